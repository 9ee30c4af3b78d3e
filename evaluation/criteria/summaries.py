"""What the criteria pages show besides forms: readable rules, criteria rows, the audit trail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from evaluation.criteria.diff import ADDED, CHANGED, REMOVED, Change, document_changes, show
from evaluation.criteria.documents import plain_number
from evaluation.criteria.models import TIER_SHOWN_FIELDS
from evaluation.criteria.sources import Source
from evaluation.criteria.tier_policies import BASELINE
from evaluation.models import CriteriaSet, Family, Tier, TierPolicy

TIER_AUDIT_FIELDS = ("order", *TIER_SHOWN_FIELDS)


def _bound(value) -> str:
    return "" if value is None else f"{value:,}" if isinstance(value, int | float) else str(value)


def rule_summary(rule: dict) -> str:
    """A rule in one line, e.g. "bands: < 100 → 20 · 100–1,000 → 60 · ≥ 1,000 → 100"."""
    kind = (rule or {}).get("type")
    if kind == "linear":
        arrow = "↑" if rule.get("direction") == "higher_better" else "↓"
        return _("linear %(lo)s → %(hi)s %(arrow)s") % {
            "lo": _bound(rule.get("lo")),
            "hi": _bound(rule.get("hi")),
            "arrow": arrow,
        }
    if kind == "bands":
        parts = []
        for band in rule.get("bands") or []:
            low, high = band.get("min"), band.get("max")
            if low is None and high is None:
                span = _("any")
            elif low is None:
                span = f"< {_bound(high)}"
            elif high is None:
                span = f"≥ {_bound(low)}"
            else:
                span = f"{_bound(low)}–{_bound(high)}"
            parts.append(f"{span} → {band.get('points')}")
        return _("bands: %(bands)s") % {"bands": " · ".join(parts)}
    if kind == "choice":
        points = rule.get("points") or {}
        return _("choice: %(points)s") % {
            "points": " · ".join(f"{k} {v}" for k, v in points.items())
        }
    if kind == "boolean":
        return _("yes %(true)s · no %(false)s") % {
            "true": rule.get("true"),
            "false": rule.get("false"),
        }
    return show(rule)


FAMILY_LABELS = dict(Family.choices)


def criteria_rows(criteria: list[dict], sources: dict[str, Source]) -> list[dict]:
    return [
        {
            "criterion": criterion,
            "source": str(sources[criterion["source"]].label)
            if criterion["source"] in sources
            else criterion["source"],
            "rule": rule_summary(criterion["rule"]),
            "family": FAMILY_LABELS.get(criterion["family"], criterion["family"]),
        }
        for criterion in criteria
    ]


@dataclass
class AuditEntry:
    when: datetime
    who: object
    what: str
    changes: list[Change] = field(default_factory=list)


def _version_entries(criteria_set: CriteriaSet) -> list[AuditEntry]:
    entries = []
    previous = None
    for version in criteria_set.versions.select_related("created_by").order_by("number"):
        changes = document_changes(previous.document, version.document) if previous else []
        what = _("version %(number)d: %(note)s") % {
            "number": version.number,
            "note": version.note or "—",
        }
        entries.append(AuditEntry(version.created_at, version.created_by, what, changes))
        previous = version
    return entries


def _status_entries(criteria_set: CriteriaSet) -> list[AuditEntry]:
    entries = []
    for record in criteria_set.history.select_related("history_user").order_by("history_date"):
        before = record.prev_record
        if before is None or before.status == record.status:
            continue
        entries.append(
            AuditEntry(
                record.history_date,
                record.history_user,
                _("status"),
                [
                    Change(
                        CHANGED,
                        "set",
                        "",
                        "status",
                        str(CriteriaSet.Status(before.status).label),
                        str(CriteriaSet.Status(record.status).label),
                    )
                ],
            )
        )
    return entries


def _tier_value(record, name: str):
    value = getattr(record, name)
    return plain_number(value) if name == "rule_value" else value


def _tier_entries(policy: TierPolicy | None) -> list[AuditEntry]:
    if policy is None:
        return []
    entries = []
    records = Tier.history.filter(policy_id=policy.pk).select_related("history_user")
    for record in records.order_by("history_date", "history_id"):
        if record.history_change_reason == BASELINE:
            continue  # how a tier was before its first recorded change, not a change
        summary = show(
            {
                "name": record.name_zh,
                "rule": {"type": record.rule_type, "value": plain_number(record.rule_value)},
            }
        )
        if record.history_type == "+":
            changes = [Change(ADDED, "tier", record.code, "", "", summary)]
        elif record.history_type == "-":
            changes = [Change(REMOVED, "tier", record.code, "", summary, "")]
        else:
            before = record.prev_record
            changes = [
                Change(
                    CHANGED,
                    "tier",
                    record.code,
                    name,
                    show(_tier_value(before, name)),
                    show(_tier_value(record, name)),
                )
                for name in TIER_AUDIT_FIELDS
                if before is not None and _tier_value(before, name) != _tier_value(record, name)
            ]
            if not changes:
                continue
        entries.append(
            AuditEntry(record.history_date, record.history_user, _("tier policy"), changes)
        )
    return entries


def audit_entries(criteria_set: CriteriaSet, policy: TierPolicy | None, limit: int = 50):
    """Who changed what and when, newest first: saved versions (criteria, weights, rules,
    gates), status changes, and the tier policy's tiers, each with before and after."""
    entries = _version_entries(criteria_set) + _status_entries(criteria_set) + _tier_entries(policy)
    return sorted(entries, key=lambda entry: entry.when, reverse=True)[:limit]
