"""Field-level differences between two criteria-set documents (the JSON of DESIGN.md).

Pure module: used to compare two saved versions, a segment override with its BU default, and
to show each saved version's changes in the audit. Criteria are matched by key, tiers by code;
nested fields are named by path (`rule.lo`, `rule.points.open`), lists are compared whole.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed or changed
    section: str  # "set", "criterion" or "tier"
    item: str  # criterion key, tier code, or "" for the set itself
    field: str  # dotted path; "" for a whole item added or removed
    before: str
    after: str


def show(value: Any) -> str:
    """A value as the JSON file writes it (Chinese kept readable); empty for None."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict) and value:
        flat: dict[str, Any] = {}
        for key, inner in value.items():
            flat.update(_flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: value}


def _field_changes(section: str, item: str, before: dict, after: dict) -> list[Change]:
    old, new = _flatten(before), _flatten(after)
    return [
        Change(CHANGED, section, item, field, show(old.get(field)), show(new.get(field)))
        for field in sorted(set(old) | set(new), key=lambda f: (f.count("."), f))
        if old.get(field) != new.get(field)
    ]


def _by_key(items: Any, key: str) -> dict[str, dict]:
    if not isinstance(items, list):
        return {}
    return {str(item.get(key)): item for item in items if isinstance(item, dict)}


def _summary(item: dict, drop: str) -> str:
    return show({k: v for k, v in item.items() if k != drop})


def _items(section: str, key: str, before: Any, after: Any) -> list[Change]:
    old, new = _by_key(before, key), _by_key(after, key)
    changes = [
        Change(REMOVED, section, k, "", _summary(old[k], key), "") for k in old if k not in new
    ]
    for k, item in new.items():
        if k not in old:
            changes.append(Change(ADDED, section, k, "", "", _summary(item, key)))
        else:
            changes.extend(_field_changes(section, k, old[k], item))
    return changes


def document_changes(before: dict, after: dict, *, criteria_only: bool = False) -> list[Change]:
    """What changed from `before` to `after`: the set's own fields, criteria, then tiers."""
    changes: list[Change] = []
    if not criteria_only:
        for field in ("name", "year", "scope"):
            if before.get(field) != after.get(field):
                changes.append(
                    Change(
                        CHANGED, "set", "", field, show(before.get(field)), show(after.get(field))
                    )
                )
    changes += _items("criterion", "key", before.get("criteria"), after.get("criteria"))
    if not criteria_only:
        changes += _items("tier", "code", before.get("tiers", []), after.get("tiers", []))
    return changes
