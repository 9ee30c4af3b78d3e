"""A customer's change history, merged from the simple-history tables of its records."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from customers.models import AttributeValue, Contact, Customer, CustomerYear

KIND = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    record: str
    kind: str
    changes: list[tuple[str, object, object]]


def _entries(records, describe, limit):
    entries = []
    for record in records[:limit]:
        changes = []
        previous = record.prev_record if record.history_type == "~" else None
        if previous is not None:
            for change in record.diff_against(previous).changes:
                field = record.instance._meta.get_field(change.field)
                changes.append((str(field.verbose_name), change.old, change.new))
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else str(_("system")),
                record=describe(record),
                kind=str(KIND.get(record.history_type, "")),
                changes=changes,
            )
        )
    return entries


def customer_history(customer: Customer, limit: int = 40) -> list[HistoryEntry]:
    sources = [
        (Customer.history.filter(id=customer.pk), lambda r: str(_("master data"))),
        (
            CustomerYear.history.filter(customer_id=customer.pk),
            lambda r: str(_("facts %(year)s")) % {"year": r.year},
        ),
        (
            AttributeValue.history.filter(customer_id=customer.pk).select_related("attribute"),
            lambda r: f"{r.attribute.name} {r.year}",
        ),
        (
            Contact.history.filter(customer_id=customer.pk),
            lambda r: str(_("contact %(name)s")) % {"name": r.name},
        ),
    ]
    entries = []
    for records, describe in sources:
        entries += _entries(
            records.select_related("history_user").order_by("-history_date"), describe, limit
        )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)[:limit]
