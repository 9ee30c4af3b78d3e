"""The customer list's tier filter and column: tiers of the current target lists scored from
the facts year shown, and only of lists the user may see.

AUTO's 2027 list of the hand-computed example, scored from 2026 facts: G→A; A, F, E→B; B, C→C.
"""

import pytest
from django.urls import reverse

URL = reverse("customers:customer-list")


def names(response):
    return sorted(customer.name_zh for customer in response.context["page"])


@pytest.mark.parametrize(
    "tier, expected", [("A", ["G"]), ("B", ["A", "E", "F"]), ("C", ["B", "C"])]
)
def test_the_bu_vp_filters_by_tier(people, client_for, example_list, tier, expected):
    response = client_for(people.bob).get(URL, {"tier": tier, "year": 2026})
    assert names(response) == expected


def test_the_tier_column_shows_each_customers_tier(people, client_for, example_list):
    response = client_for(people.alice).get(URL, {"year": 2026, "q": "G"})
    page = response.content.decode()
    assert [c.tiers for c in response.context["page"]] == [[("AUTO", "A")]]
    assert 'title="AUTO">A</span>' in page


def test_tiers_come_from_the_lists_scored_from_the_facts_year_shown(
    people, client_for, example_list
):
    response = client_for(people.bob).get(URL, {"tier": "A", "year": 2025})
    assert names(response) == []


def test_a_superseded_list_gives_no_tier(people, client_for, example_list):
    from django.utils import timezone

    example_list.superseded_at = timezone.now()
    example_list.save(update_fields=["superseded_at"])
    response = client_for(people.bob).get(URL, {"tier": "A", "year": 2026})
    assert names(response) == []


def test_a_researcher_has_no_tier_filter_nor_column(people, client_for, example_list):
    response = client_for(people.erin).get(URL, {"tier": "A", "year": 2026})
    assert "tier" not in response.context["filter"].form.fields
    assert not response.context["tiers_shown"]
    assert len(names(response)) == 8  # the parameter is ignored, not applied


def test_another_segments_manager_sees_no_tier_of_autos_list(
    people, client_for, org, example_list, example_customers
):
    example_customers["G"].segments.add(org.elec)  # eve (ELEC) sees G, not AUTO's list
    response = client_for(people.eve).get(URL, {"year": 2026})
    assert [c.tiers for c in response.context["page"]] == [[]]
    filtered = client_for(people.eve).get(URL, {"tier": "A", "year": 2026})
    assert names(filtered) == []


def test_the_export_applies_the_tier_filter(people, client_for, example_list):
    response = client_for(people.bob).get(
        reverse("customers:customer-export"), {"tier": "C", "year": 2026, "format": "csv"}
    )
    body = response.content.decode("utf-8-sig")
    rows = body.strip().splitlines()
    assert len(rows) == 3  # the header and B, C
