"""Writes to the org structure."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organisation.models import BusinessGroup, BusinessUnit, Segment

CODE_MAX = 20
NAME_MAX = 100


@dataclass
class OrgLoadResult:
    created: dict[str, int] = field(default_factory=lambda: {"bg": 0, "bu": 0, "segment": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"bg": 0, "bu": 0, "segment": 0})


def _check_unit(item: Any, where: str, children_key: str | None, errors: list[str]) -> bool:
    if not isinstance(item, dict):
        errors.append(_("%(where)s: expected an object") % {"where": where})
        return False
    allowed = {"code", "name_zh", "name_en"} | ({children_key} if children_key else set())
    for unknown in sorted(set(item) - allowed):
        errors.append(
            _("%(where)s: unknown field “%(field)s”") % {"where": where, "field": unknown}
        )
    code = item.get("code")
    if not isinstance(code, str) or not code.strip():
        errors.append(_("%(where)s: “code” is required") % {"where": where})
    elif (
        len(code) > CODE_MAX
        or not all(c.isalnum() or c in "-_" for c in code)
        or not code.isascii()
    ):
        errors.append(
            _("%(where)s: code “%(code)s” must be up to %(max)d letters, digits, '-' or '_'")
            % {"where": where, "code": code, "max": CODE_MAX}
        )
    name_zh = item.get("name_zh")
    if not isinstance(name_zh, str) or not name_zh.strip():
        errors.append(_("%(where)s: “name_zh” is required") % {"where": where})
    for key in ("name_zh", "name_en"):
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            errors.append(_("%(where)s: “%(field)s” must be text") % {"where": where, "field": key})
        elif isinstance(value, str) and (len(value) > NAME_MAX or "\x00" in value):
            errors.append(
                _("%(where)s: “%(field)s” must be at most %(max)d characters")
                % {"where": where, "field": key, "max": NAME_MAX}
            )
    if children_key is not None and not isinstance(item.get(children_key, []), list):
        errors.append(
            _("%(where)s: “%(field)s” must be a list") % {"where": where, "field": children_key}
        )
        return False
    return True


def validate_org_document(document: Any) -> list[str]:
    """Every reason the document cannot be loaded; empty when it can."""
    errors: list[str] = []
    if not isinstance(document, dict) or not isinstance(document.get("business_groups"), list):
        return [_("The file must be a JSON object with a “business_groups” list.")]
    seen: dict[str, dict[str, str]] = {"bg": {}, "bu": {}, "segment": {}}

    def note_code(level: str, code: Any, where: str) -> None:
        if isinstance(code, str) and code in seen[level]:
            errors.append(
                _("%(where)s: code “%(code)s” is used twice in the file (also at %(other)s)")
                % {"where": where, "code": code, "other": seen[level][code]}
            )
        elif isinstance(code, str):
            seen[level][code] = where

    for i, bg in enumerate(document["business_groups"], start=1):
        where = f"business_groups[{i}]"
        if not _check_unit(bg, where, "business_units", errors):
            continue
        note_code("bg", bg.get("code"), where)
        for j, bu in enumerate(bg.get("business_units", []), start=1):
            bu_where = f"{where}.business_units[{j}]"
            if not _check_unit(bu, bu_where, "segments", errors):
                continue
            note_code("bu", bu.get("code"), bu_where)
            for k, segment in enumerate(bu.get("segments", []), start=1):
                segment_where = f"{bu_where}.segments[{k}]"
                if _check_unit(segment, segment_where, None, errors):
                    note_code("segment", segment.get("code"), segment_where)
    if not errors:
        errors.extend(_moves_between_parents(document))
    return errors


def _moves_between_parents(document: dict) -> list[str]:
    """Codes identify rows; a file may rename a unit but not silently re-parent one."""
    errors = []
    bu_parent = dict(BusinessUnit.objects.values_list("code", "business_group__code"))
    segment_parent = dict(Segment.objects.values_list("code", "business_unit__code"))
    for bg in document["business_groups"]:
        for bu in bg.get("business_units", []):
            if bu_parent.get(bu["code"], bg["code"]) != bg["code"]:
                errors.append(
                    _(
                        "Business unit “%(code)s” belongs to %(old)s, not %(new)s; move it in the admin."
                    )
                    % {"code": bu["code"], "old": bu_parent[bu["code"]], "new": bg["code"]}
                )
            for segment in bu.get("segments", []):
                if segment_parent.get(segment["code"], bu["code"]) != bu["code"]:
                    errors.append(
                        _(
                            "Segment “%(code)s” belongs to %(old)s, not %(new)s; move it in the admin."
                        )
                        % {
                            "code": segment["code"],
                            "old": segment_parent[segment["code"]],
                            "new": bu["code"],
                        }
                    )
    return errors


def parse_org_file(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The file is not UTF-8 text.")) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            _("The file is not valid JSON (line %(line)d, column %(column)d: %(reason)s).")
            % {"line": exc.lineno, "column": exc.colno, "reason": exc.msg}
        ) from exc


def _upsert(model, code: str, values: dict, level: str, result: OrgLoadResult):
    obj, created = model.objects.get_or_create(code=code, defaults=values)
    if created:
        result.created[level] += 1
    elif any(getattr(obj, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(obj, key, value)
        obj.save(update_fields=list(values))
        result.updated[level] += 1
    return obj


@transaction.atomic
def org_load(*, document: Any) -> OrgLoadResult:
    """Create or update BGs, BUs and segments from an org document; all or nothing.

    Idempotent: codes identify rows, names are updated, nothing is deleted.
    """
    errors = validate_org_document(document)
    if errors:
        raise ValidationError(errors)
    result = OrgLoadResult()
    for bg_data in document["business_groups"]:
        bg = _upsert(BusinessGroup, bg_data["code"], _names(bg_data), "bg", result)
        for bu_data in bg_data.get("business_units", []):
            bu = _upsert(
                BusinessUnit,
                bu_data["code"],
                {**_names(bu_data), "business_group": bg},
                "bu",
                result,
            )
            for segment_data in bu_data.get("segments", []):
                _upsert(
                    Segment,
                    segment_data["code"],
                    {**_names(segment_data), "business_unit": bu},
                    "segment",
                    result,
                )
    return result


def _names(data: dict) -> dict[str, str]:
    return {"name_zh": data["name_zh"].strip(), "name_en": (data.get("name_en") or "").strip()}


@transaction.atomic
def notification_send(*, recipient, text: str, url: str = "", sender=None):
    """Tell one person something: on their home page now, by e-mail after commit (outbox)."""
    from organisation.models import Notification
    from outbox.services import job_enqueue

    notification = Notification.objects.create(
        recipient=recipient, sender=sender, text=text[:500], url=url
    )
    if recipient.email:
        job_enqueue("organisation.tasks.email_notification", notification.pk)
    return notification


def notifications_mark_read(*, recipient, pk: int | None = None, url: str | None = None) -> int:
    """Mark the recipient's notifications read: one (`pk`), those linking to `url`, or all of
    them; a notification of someone else is never touched. Returns how many changed."""
    from django.utils import timezone

    from organisation.models import Notification

    unread = Notification.objects.filter(recipient=recipient).unread()
    if pk is not None:
        unread = unread.filter(pk=pk)
    if url is not None:
        unread = unread.filter(url=url)
    return unread.update(read_at=timezone.now())
