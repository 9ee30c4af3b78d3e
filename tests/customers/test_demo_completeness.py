"""The demo's stored completeness is the completeness rule's value for every customer-year, so
re-importing an export of the demo changes nothing.

Before, the demo computed completeness before the criteria demo added a rated attribute
(segment_trend), and all its customer-years disagreed with the rule.
"""

import pytest
from django.core.management import call_command

import customers.demo
from customers.models import Customer, CustomerYear
from customers.services import customer_year_completeness


@pytest.fixture
def seeded_demo(db, monkeypatch):
    """`seed_demo` in its own order, with 60 customers instead of 2,000 (to stay fast)."""
    seed = customers.demo.seed_customers
    monkeypatch.setattr(
        customers.demo, "seed_customers", lambda **kwargs: seed(**{**kwargs, "count": 60})
    )
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_stored_completeness_is_the_rule_s_value(seeded_demo):
    rows = list(CustomerYear.objects.select_related("customer"))
    assert len(rows) >= 60
    wrong = [
        (row.customer.name_zh, row.year, row.completeness, rule)
        for row in rows
        if row.completeness
        != (rule := customer_year_completeness(customer=row.customer, year=row.year).percent)
    ]
    assert wrong == []


def test_the_demo_has_customers_with_complete_and_partial_years(seeded_demo):
    stored = set(CustomerYear.objects.values_list("completeness", flat=True))
    assert 100 in stored and min(stored) < 100 and Customer.objects.count() == 60


def test_re_importing_an_export_of_the_demo_changes_nothing(seeded_demo):
    from customers.exporting import customers_export
    from customers.imports.service import customers_import

    for year in sorted(set(CustomerYear.objects.values_list("year", flat=True))):
        content, _type, name = customers_export(Customer.objects.all(), year=year, fmt="xlsx")
        result = customers_import(
            file_bytes=content, filename=name, default_year=None, by=None, dry_run=True
        )
        assert result.ok, result.problems[:3]
        assert (result.customers_updated, result.facts_created, result.facts_updated) == (0, 0, 0)
