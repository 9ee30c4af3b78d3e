"""Preliminary annual lists (初步客户名单, step 2.3.2).

The reads for the pages are in `reads`, the writes (each checking role and scope) in
`services`, the pages in `views` (`forms`, `urls`) and seed_demo's lists in `demo`. The names
other apps use are re-exported here: `from customers import preliminary` then
`preliminary.nomination_add(...)`.
"""

from customers.preliminary.reads import (
    MAX_QUOTA,
    NUDGE_INTERVAL,
    NominationRow,
    Progress,
    allowed_new_list_years,
    default_planning_year,
    field_labels,
    nomination_candidates,
    nomination_rows,
    preliminary_list_progress,
    progress_by_list,
    researcher_workload,
    researchers_of,
    responsible_candidates,
)
from customers.preliminary.services import (
    nomination_add,
    nomination_add_new_customer,
    nomination_remove,
    nominations_assign_researcher,
    preliminary_list_open,
    preliminary_list_propose_quota,
    preliminary_list_set_quota,
    preliminary_list_set_responsible,
    researcher_nudge,
)

__all__ = [
    "MAX_QUOTA",
    "NUDGE_INTERVAL",
    "NominationRow",
    "Progress",
    "allowed_new_list_years",
    "default_planning_year",
    "field_labels",
    "nomination_add",
    "nomination_add_new_customer",
    "nomination_candidates",
    "nomination_remove",
    "nomination_rows",
    "nominations_assign_researcher",
    "preliminary_list_open",
    "preliminary_list_progress",
    "preliminary_list_propose_quota",
    "preliminary_list_set_quota",
    "preliminary_list_set_responsible",
    "progress_by_list",
    "researcher_nudge",
    "researcher_workload",
    "researchers_of",
    "responsible_candidates",
]
