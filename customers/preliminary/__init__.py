"""Preliminary annual lists (初步客户名单, step 2.3.2).

The models are in `models` (imported by `customers.models`: one app label), the reads for the
pages in `reads`, the writes (each checking role and scope) in `services`, the pages in `views`
(`forms`, `urls`) and seed_demo's lists in `demo`. The names other apps use are reachable here,
`from customers import preliminary` then `preliminary.nomination_add(...)`, and load on first
use, so that loading the models does not import the services before the models exist.
"""

import importlib

_FROM = {
    "MAX_QUOTA": "reads",
    "NUDGE_INTERVAL": "reads",
    "NominationRow": "reads",
    "Progress": "reads",
    "allowed_new_list_years": "reads",
    "default_planning_year": "reads",
    "field_labels": "reads",
    "nomination_candidates": "reads",
    "nomination_rows": "reads",
    "preliminary_list_progress": "reads",
    "progress_by_list": "reads",
    "researcher_workload": "reads",
    "researchers_of": "reads",
    "responsible_candidates": "reads",
    "nomination_add": "services",
    "nomination_add_new_customer": "services",
    "nomination_remove": "services",
    "nominations_assign_researcher": "services",
    "preliminary_list_open": "services",
    "preliminary_list_propose_quota": "services",
    "preliminary_list_set_quota": "services",
    "preliminary_list_set_responsible": "services",
    "researcher_nudge": "services",
}

__all__ = sorted(_FROM)


def __getattr__(name: str):
    if name not in _FROM:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_FROM[name]}"), name)
