"""What each tier takes, in words, and the tiers that can never take anyone."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from evaluation.criteria.tier_texts import tier_sentence, tier_warnings


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def tier(code, kind, value):
    return SimpleNamespace(code=code, rule_type=kind, rule_value=Decimal(value))


def test_top_percent_says_rounded_up():
    assert tier_sentence("top_percent", Decimal("12.50")) == (
        "Takes the top 12.5 % of eligible customers (rounded up) not yet tiered, in rank order."
    )


def test_one_customer_is_singular():
    assert tier_sentence("top_n", Decimal(1)) == (
        "Takes the first 1 eligible customer not yet tiered, in rank order."
    )


def test_a_sound_policy_has_no_warnings():
    tiers = [tier("A", "top_percent", 10), tier("B", "min_score", 60), tier("C", "top_n", 50)]
    assert tier_warnings(tiers) == [None, None, None]


@pytest.mark.parametrize(
    ("kind", "value", "fragment"),
    [
        ("min_score", "100.01", "No total can reach 100.01"),
        ("top_n", "0", "takes 0 customers"),
        ("top_percent", "0", "takes 0 customers"),
    ],
)
def test_a_tier_that_can_take_no_one_is_warned_about(kind, value, fragment):
    [warning] = tier_warnings([tier("A", kind, value)])
    assert fragment in warning


@pytest.mark.parametrize(("kind", "value"), [("min_score", "0"), ("top_percent", "100")])
def test_every_tier_after_one_that_takes_everyone_is_warned_about(kind, value):
    warnings = tier_warnings([tier("A", kind, value), tier("B", "top_n", 5), tier("C", "top_n", 1)])
    assert warnings[0] is None
    assert all("Tier A before it already takes every eligible customer" in w for w in warnings[1:])


def test_a_minimum_of_100_is_reachable():
    assert tier_warnings([tier("A", "min_score", 100)]) == [None]


def test_a_higher_minimum_after_a_lower_one_takes_no_one_but_a_lower_one_does():
    tiers = [tier("A", "min_score", 50), tier("B", "min_score", 50), tier("C", "min_score", 40)]
    warnings = tier_warnings(tiers)
    assert "total of 50 or more" in warnings[1]
    assert warnings[0] is None and warnings[2] is None
