"""Which fields of a customer-year's survey forms are filled. Pure: plain values in, result out."""

from dataclasses import dataclass

# The customer-year facts each form asks for, in the order the form shows them.
PRELIMINARY_FACTS = ("revenue", "employees")
TARGET_FACTS = (
    "profit",
    "it_budget",
    "it_spend",
    "it_staff",
    "business_strategy",
    "it_landscape",
    "planned_projects",
)
# Every fact a customer-year holds (the columns of CustomerYear that the forms fill).
FACT_FIELDS = PRELIMINARY_FACTS + TARGET_FACTS
# The fields each form asks for: its facts, and what it reads from the customer and contacts.
PRELIMINARY_FORM = ("region", "industry", *PRELIMINARY_FACTS)
TARGET_FORM = (*TARGET_FACTS, "key_decision_maker")


@dataclass(frozen=True)
class Completeness:
    filled: int
    total: int
    missing: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.filled / self.total if self.total else 1.0

    @property
    def percent(self) -> int:
        return round(self.share * 100)

    @property
    def complete(self) -> bool:
        return not self.missing


def _is_filled(value) -> bool:
    return value is not None and value != "" and value is not False


def completeness(values: dict, fields: tuple[str, ...]) -> Completeness:
    missing = tuple(field for field in fields if not _is_filled(values.get(field)))
    return Completeness(filled=len(fields) - len(missing), total=len(fields), missing=missing)


def all_fields(attribute_keys) -> tuple[str, ...]:
    """Everything a customer-year should have: both forms and the BU's rated attributes."""
    return PRELIMINARY_FORM + TARGET_FORM + tuple(sorted(attribute_keys))
