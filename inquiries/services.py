"""Writes for inquiries: logging, editing, deciding and follow-ups (the monthly roll-up is in
inquiries.rollup_runs).

Each function checks role and scope itself (organisation.permissions), validates what it is
given and runs in one transaction, so a view, the API, a command or a task calling it can
neither skip a check nor leave anything half-written.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers import preliminary
from customers.credit_code import normalise as normalise_credit_code
from customers.models import Customer, PreliminaryList
from inquiries import matching
from inquiries.models import (
    INPUT_FIELDS,
    Decision,
    DeclineReason,
    Inquiry,
    InquiryEvent,
    InquiryFollowUp,
)
from organisation import permissions
from organisation.models import Role, Segment
from organisation.permissions import Action
from organisation.services import notification_send

User = get_user_model()


def _clean_text(data: dict) -> dict:
    cleaned = dict(data)
    for key in ("company_name", "contact_name", "contact_phone", "contact_email"):
        if isinstance(cleaned.get(key), str):
            cleaned[key] = cleaned[key].strip()
    if isinstance(cleaned.get("credit_code"), str):
        cleaned["credit_code"] = normalise_credit_code(cleaned["credit_code"])
    return cleaned


def _check_customer(by, customer: Customer | None) -> None:
    """A linked customer must be one the person may see (no guessing of other BUs' ids)."""
    if customer is not None and not permissions.can(by, Action.VIEW_CUSTOMERS, customer):
        raise ValidationError({"customer": _("Choose a customer of your business unit.")})


def _event(inquiry: Inquiry, kind: str, by, text: str = "") -> None:
    InquiryEvent.objects.create(inquiry=inquiry, kind=kind, by=by, text=text[:500])


@transaction.atomic
def inquiry_log(*, by, data: dict, via: str = Inquiry.Via.WEB) -> Inquiry:
    """Record a new inquiry for a segment the person may log for.

    A recent inquiry from the same company (credit code or normalised name, last 30 days) is
    linked as a possible duplicate; a known credit code links the customer.
    """
    data = _clean_text({key: data.get(key) for key in INPUT_FIELDS if key in data})
    segment = data.get("segment")
    if not isinstance(segment, Segment):
        raise ValidationError({"segment": _("Choose a market segment.")})
    permissions.require(by, Action.LOG_INQUIRY, segment)
    _check_customer(by, data.get("customer"))
    inquiry = Inquiry(
        **{key: value for key, value in data.items() if value is not None},
        business_unit_id=segment.business_unit_id,
        logged_by=by,
        owner=by,
        via=via,
    )
    if inquiry.received_at is None:
        inquiry.received_at = timezone.now()
    inquiry.full_clean()
    inquiry.normalised_name = matching.normalise_name(inquiry.company_name)
    if inquiry.customer is None and inquiry.credit_code:
        inquiry.customer = Customer.objects.filter(credit_code=inquiry.credit_code).first()
        if inquiry.customer and not permissions.can(by, Action.VIEW_CUSTOMERS, inquiry.customer):
            inquiry.customer = None
    inquiry.possible_duplicate_of = matching.recent_duplicate(
        Inquiry.objects.all(),
        normalised_name=inquiry.normalised_name,
        credit_code=inquiry.credit_code,
        now=inquiry.received_at,
    )
    inquiry.save()
    _event(inquiry, InquiryEvent.Kind.LOGGED, by, inquiry.get_channel_display())
    return inquiry


@transaction.atomic
def inquiry_update(*, inquiry: Inquiry, by, data: dict) -> Inquiry:
    """The person who logged an inquiry corrects it while it waits for review."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if inquiry.logged_by_id != by.pk and not by.is_superuser:
        raise PermissionDenied(Action.LOG_INQUIRY)
    if not inquiry.is_open:
        raise ValidationError(_("This inquiry is already decided and can no longer be edited."))
    data = _clean_text({key: data.get(key) for key in INPUT_FIELDS if key in data})
    segment = data.get("segment", inquiry.segment)
    permissions.require(by, Action.LOG_INQUIRY, segment)
    _check_customer(by, data.get("customer"))
    changed = [key for key, value in data.items() if getattr(inquiry, key) != value]
    for key, value in data.items():
        if value is None and key not in ("customer", "received_at"):
            value = ""
        if value is not None or key == "customer":
            setattr(inquiry, key, value)
    inquiry.business_unit_id = segment.business_unit_id
    inquiry.full_clean()
    inquiry.normalised_name = matching.normalise_name(inquiry.company_name)
    inquiry.save()
    if changed:
        labels = [str(Inquiry._meta.get_field(key).verbose_name) for key in changed]
        _event(inquiry, InquiryEvent.Kind.EDITED, by, ", ".join(labels))
    return inquiry


def owner_candidates(business_unit_id: int):
    """Account managers of the BU: the people a target prospect may be assigned to."""
    return (
        User.objects.filter(
            is_active=True,
            role_memberships__role=Role.ACCOUNT_MANAGER,
            role_memberships__business_unit_id=business_unit_id,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _find_customer(inquiry: Inquiry) -> Customer | None:
    if inquiry.customer_id:
        return inquiry.customer
    if inquiry.credit_code:
        found = Customer.objects.filter(credit_code=inquiry.credit_code).first()
        if found:
            return found
    core = inquiry.normalised_name
    if not core:
        return None
    candidates = Customer.objects.active().filter(
        business_unit_id=inquiry.business_unit_id, name_zh__icontains=core
    )[:50]
    return next((c for c in candidates if matching.normalise_name(c.name_zh) == core), None)


def _add_as_target_prospect(inquiry: Inquiry, *, owner, by) -> Customer:
    """Create or link the customer, nominate it into the segment's preliminary list of the
    current planning year, and make the owner its account manager."""
    year = preliminary.default_planning_year()
    preliminary_list = preliminary.preliminary_list_open(segment=inquiry.segment, year=year, by=by)
    customer = _find_customer(inquiry)
    if customer is None:
        nomination = preliminary.nomination_add_new_customer(
            preliminary_list=preliminary_list,
            name_zh=inquiry.company_name,
            credit_code=inquiry.credit_code or None,
            by=by,
        )
        customer = nomination.customer
    elif not PreliminaryList.objects.filter(
        pk=preliminary_list.pk, nominations__customer=customer
    ).exists():
        preliminary.nomination_add(preliminary_list=preliminary_list, customer=customer, by=by)
    customer.account_manager = owner
    customer.save(update_fields=["account_manager", "updated_at"])
    return customer


def _decision_errors(inquiry, decision, owner, decline_reason, note, refer_to) -> dict:
    errors: dict[str, str] = {}
    if decision not in Decision.values:
        errors["decision"] = _("Choose one of the four decisions.")
    elif decision == Decision.TARGET:
        if owner is None:
            errors["owner"] = _("Choose the account manager who will own this prospect.")
        elif not owner_candidates(inquiry.business_unit_id).filter(pk=owner.pk).exists():
            errors["owner"] = _("%(user)s is not an account manager of %(bu)s.") % {
                "user": owner,
                "bu": inquiry.business_unit,
            }
    elif decision == Decision.DECLINE:
        if decline_reason not in DeclineReason.values:
            errors["decline_reason"] = _("Choose the reason for declining.")
        elif decline_reason == DeclineReason.OTHER and not note.strip():
            errors["note"] = _("Explain the reason in the note.")
    elif decision == Decision.REFER:
        if refer_to is None:
            errors["refer_to"] = _("Choose the segment to refer the inquiry to.")
        elif refer_to.pk == inquiry.segment_id:
            errors["refer_to"] = _("Refer the inquiry to another segment than its own.")
    return errors


@transaction.atomic
def inquiry_decide(
    *,
    inquiry: Inquiry,
    by,
    decision: str,
    owner=None,
    decline_reason: str = "",
    note: str = "",
    refer_to: Segment | None = None,
) -> Inquiry:
    """The segment manager (or the BU VP standing in) decides an open inquiry, once."""
    permissions.require(by, Action.DECIDE_INQUIRY, inquiry)
    # The row lock makes a second, simultaneous decision wait and then see the first one.
    inquiry = (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related("segment__business_unit", "business_unit")
        .get(pk=inquiry.pk)
    )
    if not inquiry.is_open:
        raise ValidationError(
            _("This inquiry was already decided (%(decision)s) by %(user)s on %(date)s.")
            % {
                "decision": inquiry.get_decision_display(),
                "user": inquiry.decided_by or "-",
                "date": timezone.localtime(inquiry.decided_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    note = (note or "").strip()
    errors = _decision_errors(inquiry, decision, owner, decline_reason, note, refer_to)
    if len(note) > Inquiry._meta.get_field("decision_note").max_length:
        errors["note"] = _("The note is too long.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    inquiry.decision = decision
    inquiry.decided_by = by
    inquiry.decided_at = now
    inquiry.days_to_decision = max(0.0, (now - inquiry.received_at).total_seconds() / 86400)
    inquiry.decision_note = note
    inquiry.decline_reason = decline_reason if decision == Decision.DECLINE else ""
    detail = inquiry.get_decision_display()
    if decision == Decision.TARGET:
        inquiry.customer = _add_as_target_prospect(inquiry, owner=owner, by=by)
        inquiry.owner = owner
        detail = _("%(decision)s: %(customer)s, owner %(owner)s") % {
            "decision": detail,
            "customer": inquiry.customer,
            "owner": owner,
        }
    elif decision == Decision.DECLINE:
        detail = f"{detail}: {inquiry.get_decline_reason_display()}"
    elif decision == Decision.REFER:
        inquiry.referred_to = refer_to
        detail = _("%(decision)s: to %(segment)s") % {"decision": detail, "segment": refer_to}
    inquiry.save()
    _event(inquiry, InquiryEvent.Kind.DECIDED, by, f"{detail} {note}".strip())
    if decision == Decision.REFER:
        _refer(inquiry, refer_to, by)
    if inquiry.logged_by_id and inquiry.logged_by_id != by.pk:
        notification_send(
            recipient=inquiry.logged_by,
            text=_("Your inquiry from %(company)s was decided: %(decision)s.")
            % {"company": inquiry.company_name, "decision": inquiry.get_decision_display()},
            url=inquiry.get_absolute_url(),
            sender=by,
        )
    return inquiry


def _deciders(segment: Segment):
    """Segment managers of the segment, or the BU VPs where it has none."""
    managers = User.objects.filter(
        is_active=True,
        role_memberships__role=Role.SEGMENT_MANAGER,
        role_memberships__segment=segment,
    )
    if managers.exists():
        return managers.distinct()
    return User.objects.filter(
        is_active=True,
        role_memberships__role=Role.BU_VP,
        role_memberships__business_unit_id=segment.business_unit_id,
    ).distinct()


def _refer(original: Inquiry, segment: Segment, by) -> Inquiry:
    """The receiving segment gets its own open copy, linked to the original."""
    copied = {f: getattr(original, f) for f in INPUT_FIELDS if f not in ("segment", "customer")}
    referral = Inquiry.objects.create(
        **copied,
        segment=segment,
        business_unit_id=segment.business_unit_id,
        normalised_name=original.normalised_name,
        customer=original.customer,
        logged_by=original.logged_by,
        owner=original.logged_by,
        via=original.via,
        referred_from=original,
    )
    _event(
        referral,
        InquiryEvent.Kind.REFERRED_IN,
        by,
        _("from %(segment)s") % {"segment": original.segment},
    )
    for recipient in _deciders(segment):
        notification_send(
            recipient=recipient,
            text=_("%(user)s referred an inquiry from %(company)s to %(segment)s.")
            % {"user": by, "company": original.company_name, "segment": segment},
            url=referral.get_absolute_url(),
            sender=by,
        )
    return referral


def may_follow_up(user, inquiry: Inquiry) -> bool:
    """Whoever logged or owns the inquiry, and those who decide its segment's inquiries."""
    if user.is_superuser or user.pk in (inquiry.logged_by_id, inquiry.owner_id):
        return getattr(user, "is_active", False)
    return permissions.can(user, Action.DECIDE_INQUIRY, inquiry)


def may_edit(user, inquiry: Inquiry) -> bool:
    return (
        inquiry.is_open
        and (user.pk == inquiry.logged_by_id or user.is_superuser)
        and permissions.can(user, Action.LOG_INQUIRY, inquiry)
    )


@transaction.atomic
def inquiry_follow_up_add(
    *, inquiry: Inquiry, by, happened_on: date, feedback: str = "", next_steps: str = ""
) -> InquiryFollowUp:
    """Record the customer's feedback and our next steps on the inquiry."""
    if not may_follow_up(by, inquiry):
        raise PermissionDenied(Action.VIEW_INQUIRIES)
    feedback, next_steps = (feedback or "").strip(), (next_steps or "").strip()
    follow_up = InquiryFollowUp(
        inquiry=inquiry, happened_on=happened_on, feedback=feedback, next_steps=next_steps, by=by
    )
    errors = {}
    if not feedback and not next_steps:
        errors["feedback"] = _("Write the customer's feedback or our next steps.")
    if happened_on and happened_on > timezone.localdate():
        errors["happened_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    follow_up.full_clean()
    follow_up.save()
    _event(inquiry, InquiryEvent.Kind.FOLLOW_UP, by, feedback or next_steps)
    return follow_up
