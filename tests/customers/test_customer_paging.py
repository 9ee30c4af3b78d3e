"""Pages of the customer list: Next/Previous by the customer at the page's edge, numbered
pages read from the nearer end; every way of reaching a page shows the same customers."""

import re

import pytest
from django.urls import reverse

from customers.credit_code import check_character
from customers.models import Customer
from customers.paging import PAGE_SIZE, ordering
from tests.factories import CustomerFactory

URL = reverse("customers:customer-list")
NAMES = ["甲公司", "乙公司", "丙公司"]  # repeated, so many customers share a name


def code(n: int) -> str:
    first_17 = f"91310000MA{n:07d}"
    return first_17 + check_character(first_17)


@pytest.fixture
def many(org):
    """130 BU1 customers over three names (ties broken by id), a third without a code."""
    return [
        CustomerFactory(
            name_zh=NAMES[n % 3],
            business_unit=org.bu1,
            credit_code=None if n % 3 == 0 else code(n),
        )
        for n in range(130)
    ]


def expected_order(org, sort):
    rows = Customer.objects.filter(business_unit=org.bu1).order_by(*ordering(sort))
    return list(rows.values_list("pk", flat=True))


def shown(response):
    return [customer.pk for customer in response.context["page"]]


def link(response, rel):
    """The query of the page's Next or Previous link, as the browser would follow it."""
    match = re.search(rf'rel="{rel}" href="\?([^"]+)"', response.content.decode())
    return match and match.group(1).replace("&amp;", "&")


@pytest.mark.parametrize("sort", ["name", "-name"])
def test_following_next_walks_the_whole_list_in_order(people, client_for, org, many, sort):
    client = client_for(people.erin)
    response = client.get(URL, {"sort": sort})
    walked, numbers = shown(response), [response.context["page"].number]
    while query := link(response, "next"):
        assert "after=" in query
        response = client.get(f"{URL}?{query}")
        walked += shown(response)
        numbers.append(response.context["page"].number)
    assert walked == expected_order(org, sort)
    assert numbers == [1, 2, 3]


@pytest.mark.parametrize("sort", ["name", "-name"])
def test_following_previous_from_the_last_page_walks_back_in_order(
    people, client_for, org, many, sort
):
    client = client_for(people.erin)
    response = client.get(URL, {"sort": sort, "page": 3})
    walked = shown(response)
    while query := link(response, "prev"):
        assert "before=" in query
        response = client.get(f"{URL}?{query}")
        walked = shown(response) + walked
    assert walked == expected_order(org, sort)
    assert response.context["page"].number == 1


@pytest.mark.parametrize("sort", ["name", "-name", "code", "-code"])
@pytest.mark.parametrize("number", [1, 2, 3])
def test_a_page_asked_for_by_number_holds_its_slice_of_the_order(
    people, client_for, org, many, sort, number
):
    response = client_for(people.erin).get(URL, {"sort": sort, "page": number})
    start = (number - 1) * PAGE_SIZE
    assert shown(response) == expected_order(org, sort)[start : start + PAGE_SIZE]


def test_next_from_a_customer_of_another_bu_is_ignored(people, client_for, org, many):
    """The edge must be in the user's own list: else the page number decides, so the
    position of a customer the user may not see is not revealed."""
    outsider = CustomerFactory(name_zh="乙公司", business_unit=org.bu2)
    response = client_for(people.erin).get(URL, {"page": 2, "after": outsider.pk})
    assert shown(response) == expected_order(org, "name")[PAGE_SIZE : 2 * PAGE_SIZE]


def test_next_from_an_archived_customer_falls_back_to_the_page_number(
    people, client_for, org, many
):
    from django.utils import timezone

    edge = many[10]
    Customer.objects.filter(pk=edge.pk).update(archived_at=timezone.now())
    response = client_for(people.erin).get(URL, {"page": 2, "after": edge.pk})
    order = [pk for pk in expected_order(org, "name") if pk != edge.pk]
    assert shown(response) == order[PAGE_SIZE : 2 * PAGE_SIZE]


@pytest.mark.parametrize("edge", ["x", "-1", "", "99999999"])
def test_an_edge_that_is_no_customer_is_ignored(people, client_for, org, many, edge):
    response = client_for(people.erin).get(URL, {"page": 2, "after": edge, "before": edge})
    assert response.status_code == 200
    assert shown(response) == expected_order(org, "name")[PAGE_SIZE : 2 * PAGE_SIZE]


def test_previous_near_the_start_shows_the_first_page_in_full(people, client_for, org, many):
    order = expected_order(org, "name")
    response = client_for(people.erin).get(URL, {"page": 2, "before": order[10]})
    assert shown(response) == order[:PAGE_SIZE]
    assert response.context["page"].number == 1


def test_the_number_shown_after_next_is_at_least_two(people, client_for, org, many):
    order = expected_order(org, "name")
    response = client_for(people.erin).get(URL, {"page": 1, "after": order[PAGE_SIZE - 1]})
    assert response.context["page"].number == 2
    assert shown(response) == order[PAGE_SIZE : 2 * PAGE_SIZE]


def test_next_keeps_the_filters(people, client_for, org, many):
    response = client_for(people.erin).get(URL, {"q": "公司", "sort": "-name"})
    query = link(response, "next")
    assert "q=%E5%85%AC%E5%8F%B8" in query and "sort=-name" in query and query.count("page=") == 1


def test_first_and_last_page_links_are_offered_away_from_the_ends(people, client_for, org, many):
    page = client_for(people.erin).get(URL, {"page": 2}).content.decode()
    assert "sort=name&amp;page=1" in page and "sort=name&amp;page=3" in page
