"""The owner's results page in pages (filters kept, saving works on any page, the missing count
over every page), and query counts of the review pages that do not grow with the rows."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.models import TargetEntry
from reviews.models import DevelopmentResult
from reviews.views import results as views
from tests.reviews.conftest import YEAR, entry_of, record

RESULTS = reverse("reviews:my-results")


@pytest.fixture
def dave_client(people, client_for):
    client = client_for(people.dave)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def pages_of_four(monkeypatch):
    """Four rows a page: the six targets of the example make two pages."""
    monkeypatch.setattr(views, "RESULTS_PAGE_SIZE", 4)


def rows_on(page: str) -> list[str]:
    return re.findall(r'data-testid="result-([^"]+)"', page)


def form_data(entry, **values):
    data = {"revenue_won": "1000", "contracts_signed": "1", "stage": "won", "notes": ""}
    data.update(values)
    return {f"r{entry.pk}-{key}": value for key, value in data.items()}


# --- Pages ---------------------------------------------------------------------------------------


def test_the_results_come_in_pages_with_the_missing_count_over_all(
    approved_list, people, dave_client, pages_of_four
):
    record(approved_list, people, "G", 1000)
    first = dave_client.get(f"{RESULTS}?year={YEAR}").content.decode()
    second = dave_client.get(f"{RESULTS}?year={YEAR}&page=2").content.decode()
    assert len(rows_on(first)) == 4 and len(rows_on(second)) == 2
    assert not set(rows_on(first)) & set(rows_on(second))
    for page in (first, second):
        assert "5 customers have no result yet" in page
        assert "Page " in page and 'data-testid="results-pages"' in page
    assert f'href="?year={YEAR}&amp;page=2"' in first
    assert f'href="?year={YEAR}"' in second  # the first page


def test_only_the_missing_ones_and_the_filter_is_kept_in_the_page_links(
    approved_list, people, dave_client, monkeypatch
):
    monkeypatch.setattr(views, "RESULTS_PAGE_SIZE", 2)
    for name in ["G", "A"]:
        record(approved_list, people, name, 1000)
    page = dave_client.get(f"{RESULTS}?year={YEAR}&missing=1").content.decode()
    assert len(rows_on(page)) == 2 and page.count('data-testid="missing-flag"') == 2
    assert "4 customers have no result yet" in page and 'data-testid="show-all"' in page
    assert f'href="?year={YEAR}&amp;missing=1&amp;page=2"' in page
    last = dave_client.get(f"{RESULTS}?year={YEAR}&missing=1&page=2").content.decode()
    assert len(rows_on(last)) == 2 and not set(rows_on(page)) & set(rows_on(last))


def test_page_links_keep_only_the_known_filters(approved_list, dave_client, pages_of_four):
    page = dave_client.get(f"{RESULTS}?year={YEAR}&page=2&next=//evil.example").content.decode()
    # The page's own links and row forms (the language switcher keeps the whole path).
    links = re.findall(r'(?:href|hx-post|action)="(\?[^"]*|/reviews/results/[^"]*)"', page)
    assert len(links) > 4 and not [link for link in links if "evil" in link]


def test_a_row_on_the_second_page_saves_in_place(approved_list, people, dave_client, pages_of_four):
    page = dave_client.get(f"{RESULTS}?year={YEAR}&page=2").content.decode()
    action = re.search(r'hx-post="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert action.endswith(f"?year={YEAR}&page=2")
    pk = int(re.search(r"/results/(\d+)/", action).group(1))
    entry = TargetEntry.objects.select_related("customer").get(pk=pk)
    response = dave_client.post(action, form_data(entry), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    row = response.content.decode()
    assert 'data-testid="saved-flag"' in row and "<html" not in row
    assert f'hx-post="{action.replace("&", "&amp;")}"' in row  # the swapped row saves again
    assert DevelopmentResult.objects.get().customer_id == entry.customer_id


def test_a_save_in_place_updates_the_missing_count_out_of_band(approved_list, dave_client):
    entry = entry_of(approved_list, "C")
    url = reverse("reviews:result-save", args=[entry.pk])
    response = dave_client.post(f"{url}?year={YEAR}", form_data(entry), HTTP_HX_REQUEST="true")
    swapped = response.content.decode()
    assert 'id="missing-summary"' in swapped and 'hx-swap-oob="true"' in swapped
    assert "5 customers have no result yet" in swapped  # six targets, one saved


def test_a_refused_save_leaves_the_missing_count_alone(approved_list, dave_client):
    entry = entry_of(approved_list, "C")
    url = reverse("reviews:result-save", args=[entry.pk])
    data = form_data(entry, revenue_won="-5")
    response = dave_client.post(f"{url}?year={YEAR}", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "hx-swap-oob" not in response.content.decode()


def test_without_htmx_a_save_returns_to_the_same_page(approved_list, dave_client):
    entry = entry_of(approved_list, "C")
    url = reverse("reviews:result-save", args=[entry.pk])
    response = dave_client.post(f"{url}?year={YEAR}&missing=1&page=2", form_data(entry))
    assert response.status_code == 302
    assert response.url == f"{RESULTS}?year={YEAR}&missing=1&page=2"


def test_a_page_past_the_end_shows_the_last(approved_list, dave_client, pages_of_four):
    page = dave_client.get(f"{RESULTS}?year={YEAR}&page=99").content.decode()
    assert len(rows_on(page)) == 2


# --- Query counts: constant, whatever the rows --------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def set_tier(target_list, names, tier):
    """Put customers into a tier, or ("") off the targets, as if the scores had said so."""
    TargetEntry.objects.filter(target_list=target_list, customer__name_zh__in=names).update(
        tier=tier, scored_tier=tier
    )


def test_the_results_page_costs_the_same_queries_on_any_page(
    approved_list, people, dave_client, pages_of_four, django_assert_num_queries
):
    url = f"{RESULTS}?year={YEAR}"
    expected = count_queries(dave_client, url)
    record(approved_list, people, "G", 1000)
    record(approved_list, people, "C", 1000)
    with django_assert_num_queries(expected):
        dave_client.get(url)
    with django_assert_num_queries(expected):
        dave_client.get(f"{url}&page=2")
    set_tier(approved_list, ["A", "F", "E"], "")
    with django_assert_num_queries(expected):
        dave_client.get(url)


@pytest.mark.parametrize(
    ("user", "path"),
    [
        ("alice", f"{YEAR}/segment/AUTO/"),
        ("bob", f"{YEAR}/bu/BU1/"),
        ("carol", f"{YEAR}/bg/BG1/"),
        ("carol", f"{YEAR}/bg/BG1/missing/"),
    ],
)
def test_the_review_pages_cost_the_same_queries_for_more_rows(
    approved_list, people, client_for, django_assert_num_queries, user, path
):
    client = client_for(getattr(people, user))
    url = f"/reviews/{path}"
    set_tier(approved_list, ["A", "F", "E", "B"], "")
    expected = count_queries(client, url)  # two targets, no result
    set_tier(approved_list, ["A", "F", "E", "B"], "B")
    for name in ["G", "A", "F"]:
        record(approved_list, people, name, 1000)
    # Six targets, three results, two owners.
    TargetEntry.objects.filter(target_list=approved_list, customer__name_zh="B").update(
        owner=people.alice
    )
    with django_assert_num_queries(expected):
        client.get(url)
