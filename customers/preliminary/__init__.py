"""Preliminary annual lists (初步客户名单, step 2.3.2).

The reads for the pages and the writes are in `services`; the names other apps use are
re-exported here, so `from customers import preliminary` reads `preliminary.nomination_add(...)`.
"""

from customers.preliminary.services import (
    MAX_QUOTA,
    NUDGE_INTERVAL,
    NominationRow,
    Progress,
    allowed_new_list_years,
    default_planning_year,
    field_labels,
    nomination_add,
    nomination_add_new_customer,
    nomination_candidates,
    nomination_remove,
    nomination_rows,
    nominations_assign_researcher,
    preliminary_list_open,
    preliminary_list_progress,
    preliminary_list_propose_quota,
    preliminary_list_set_quota,
    preliminary_list_set_responsible,
    progress_by_list,
    researcher_nudge,
    researcher_workload,
    researchers_of,
    responsible_candidates,
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
