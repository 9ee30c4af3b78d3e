"""The customer list reads tiers through `customers.tiers`, whose source evaluation provides."""

import pytest
from django.urls import reverse

from customers import tiers
from evaluation.lists import customer_tiers

URL = reverse("customers:customer-list")


def test_evaluation_provides_the_tier_source():
    assert tiers._source is customer_tiers.SOURCE


def test_without_a_source_the_list_shows_no_tiers(people, client_for, example_list, monkeypatch):
    monkeypatch.setattr(tiers, "_source", tiers.NO_TIERS)
    response = client_for(people.alice).get(URL, {"year": 2026, "q": "G"})
    assert [c.tiers for c in response.context["page"]] == [[]]
    assert response.context["filter"].form.fields["tier"].choices == [("", "---------")]


@pytest.mark.django_db
def test_the_tier_codes_come_in_tier_order(example_list):
    assert tiers.tier_codes() == ["A", "B", "C"]
