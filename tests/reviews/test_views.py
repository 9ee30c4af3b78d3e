"""Review pages: who may open and act on what (refusals per role), and what the pages show."""

import io
import re

import pytest
from django.conf import settings
from django.urls import reverse

from evaluation.criteria import goals as criteria_goals
from evaluation.criteria import services as criteria_services
from evaluation.models import CriteriaSet, Goal
from organisation.models import Notification
from reviews import services
from reviews.models import BUReview, DevelopmentResult, SegmentReview
from tests.reviews.conftest import YEAR, entry_of

NEXT = YEAR + 1


@pytest.fixture
def english_client(client_for):
    def login(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


def url(name, level="bu", code="BU1", year=YEAR, **extra):
    return reverse(f"reviews:{name}", kwargs={"year": year, "level": level, "code": code, **extra})


def no_inline_code(page: str) -> None:
    """The Content Security Policy forbids inline styles and scripts."""
    assert " style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page)


# --- Who may open the review pages ----------------------------------------------------------


READERS = {
    ("segment", "AUTO"): ["alice", "bob", "carol"],
    ("bu", "BU1"): ["bob", "carol"],
    ("bg", "BG1"): ["carol"],
}
EVERYONE = ["alice", "bob", "carol", "dave", "erin", "frank", "eve", "heidi", "ivan", "judy"]


@pytest.mark.parametrize("page", ["review", "backtest", "missing", "revisions", "export"])
@pytest.mark.parametrize(("scope", "readers"), READERS.items())
def test_review_pages_check_role_and_scope(hand_results, people, client_for, page, scope, readers):
    level, code = scope
    for name in EVERYONE:
        response = client_for(getattr(people, name)).get(url(page, level, code))
        expected = 200 if name in readers else 403
        assert response.status_code == expected, (name, page, scope)


@pytest.mark.parametrize("page", ["review", "backtest", "missing", "revisions", "export"])
def test_review_pages_send_anonymous_users_to_log_in(client, org, page):
    response = client.get(url(page))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_unknown_unit_is_not_found(people, client_for):
    assert client_for(people.carol).get(url("review", "bu", "NOPE")).status_code == 404
    assert client_for(people.carol).get(url("review", "planet", "BU1")).status_code == 404


def test_the_index_lists_the_scopes_a_person_reviews(approved_list, people, english_client):
    page = english_client(people.bob).get(reverse("reviews:index")).content.decode()
    assert 'data-testid="scope-BU1"' in page and 'data-testid="scope-AUTO"' in page
    assert 'data-testid="scope-BG1"' not in page and 'data-testid="scope-CHEM"' not in page


def test_the_index_sends_an_account_manager_to_their_results(people, client_for):
    response = client_for(people.dave).get(reverse("reviews:index"))
    assert response.status_code == 302 and response.url == reverse("reviews:my-results")


def test_the_index_refuses_someone_without_a_role(people, client_for):
    assert client_for(people.judy).get(reverse("reviews:index")).status_code == 403
    assert client_for(people.erin).get(reverse("reviews:index")).status_code == 403


# --- What the review shows --------------------------------------------------------------------


def test_the_bu_review_shows_figures_charts_and_the_back_test(hand_results, people, english_client):
    response = english_client(people.bob).get(url("review"))
    page = response.content.decode()
    assert 'data-testid="kf-targets">6<' in page
    assert "11,000,000.00" in page
    assert 'id="review-chart-data"' in page and "review_charts.js" in page
    assert 'data-testid="rho">0.524<' in page
    assert 'data-testid="sign-off"' in page  # bob may sign off; not signed yet
    no_inline_code(page)


def test_the_print_view_marks_the_page_for_print(hand_results, people, english_client):
    page = english_client(people.bob).get(url("review") + "?print=1").content.decode()
    assert "review-page print-view" in page and "review.css" in page
    no_inline_code(page)


def test_the_segment_review_highlights_missing_results(approved_list, people, english_client):
    page = english_client(people.alice).get(url("review", "segment", "AUTO")).content.decode()
    assert page.count('class="result-missing"') == 6
    assert "no result recorded yet" in page


def test_a_review_without_lists_says_so(people, english_client):
    page = english_client(people.bob).get(url("review")).content.decode()
    assert 'data-testid="no-lists"' in page


def test_the_export_is_a_workbook_with_the_review(hand_results, people, client_for):
    from openpyxl import load_workbook

    response = client_for(people.bob).get(url("export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="review-BU1-2027.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert len(workbook.sheetnames) >= 5
    cells = [c for row in workbook.worksheets[1].iter_rows(values_only=True) for c in row]
    assert 5_000_000 in cells


def test_the_back_test_page_shows_rho_hit_rates_and_the_suggestion(
    hand_results, people, english_client
):
    page = english_client(people.bob).get(url("backtest")).content.decode()
    assert 'data-testid="rho">0.524<' in page
    assert 'data-testid="suggested-outsourcing">68<' in page
    assert 'data-testid="draft-from-suggestion"' in page
    assert 'data-testid="backtest-too-small"' in page
    assert '<span data-testid="hit-rate">66.7</span>' in page
    no_inline_code(page)


def test_a_back_test_with_fewer_than_five_customers_shows_not_computable(
    approved_list, people, english_client
):
    from tests.reviews.conftest import record

    for name in ["G", "A", "F"]:
        record(approved_list, people, name, 1000)
    page = english_client(people.bob).get(url("backtest")).content.decode()
    assert 'data-testid="backtest-not-computable"' in page
    assert "not computable" in page and 'data-testid="rho"' not in page
    assert 'data-testid="no-suggestion"' in page


# --- Sign-off steps through the pages ---------------------------------------------------------


def test_the_segment_manager_saves_the_summary(approved_list, people, english_client):
    client = english_client(people.alice)
    response = client.post(
        reverse("reviews:segment-summary", args=[YEAR, "AUTO"]), {"summary": "顺利"}, follow=True
    )
    assert "The segment summary was saved." in response.content.decode()
    assert SegmentReview.objects.get().summary == "顺利"


@pytest.mark.parametrize("name", ["eve", "dave", "carol", "judy"])
def test_others_may_not_summarise_the_segment(approved_list, people, client_for, name):
    response = client_for(getattr(people, name)).post(
        reverse("reviews:segment-summary", args=[YEAR, "AUTO"]), {"summary": "x"}
    )
    assert response.status_code == 403
    assert not SegmentReview.objects.exists()


def test_the_bu_vp_signs_off_and_a_second_click_is_refused(
    approved_list, people, english_client, org
):
    services.segment_review_summarise(segment=org.auto, year=YEAR, summary="好", by=people.alice)
    client = english_client(people.bob)
    sign_off = reverse("reviews:bu-sign-off", args=[YEAR, "BU1"])
    first = client.post(sign_off, {"comment": "同意"}, follow=True).content.decode()
    assert "The BU review is signed off." in first and 'data-testid="signed-off"' in first
    second = client.post(sign_off, {"comment": "again"}, follow=True).content.decode()
    assert "already signed off by Bob" in second
    assert BUReview.objects.get().comment == "同意"


def test_sign_off_before_the_summaries_gets_a_message(approved_list, people, english_client):
    response = english_client(people.bob).post(
        reverse("reviews:bu-sign-off", args=[YEAR, "BU1"]), follow=True
    )
    assert "These segments have no summary yet" in response.content.decode()
    assert not BUReview.objects.filter(signed_off_at__isnull=False).exists()


@pytest.mark.parametrize("name", ["alice", "carol", "heidi", "dave"])
def test_others_may_not_sign_off(approved_list, people, client_for, name):
    response = client_for(getattr(people, name)).post(
        reverse("reviews:bu-sign-off", args=[YEAR, "BU1"])
    )
    assert response.status_code == 403


def test_the_bg_vp_confirms_next_years_goals(people, english_client, org):
    criteria_goals.goal_save(year=NEXT, by=people.carol, business_group=org.bg1, strategy="增")
    response = english_client(people.carol).post(
        reverse("reviews:goals-confirm", args=[YEAR, "BG1"]), follow=True
    )
    assert "The goals for 2028 are confirmed." in response.content.decode()
    assert Goal.objects.get().confirmed_by == people.carol


@pytest.mark.parametrize("name", ["bob", "ivan", "alice"])
def test_others_may_not_confirm_goals(people, client_for, org, name):
    criteria_goals.goal_save(year=NEXT, by=people.carol, business_group=org.bg1, strategy="增")
    response = client_for(getattr(people, name)).post(
        reverse("reviews:goals-confirm", args=[YEAR, "BG1"])
    )
    assert response.status_code == 403
    assert Goal.objects.get().confirmed_at is None


def test_the_missing_page_reminds_the_owners(approved_list, people, english_client):
    response = english_client(people.bob).post(url("missing-remind"), follow=True)
    assert "1 owners were reminded." in response.content.decode()
    assert Notification.objects.filter(recipient=people.dave).count() >= 1


# --- Revisions through the pages --------------------------------------------------------------


def test_the_bu_vp_drafts_next_years_set_from_the_suggestion(
    hand_results, people, english_client, example_set
):
    response = english_client(people.bob).post(
        url("criteria-from-suggestion", pk=example_set.pk), follow=True
    )
    draft = CriteriaSet.objects.get(year=NEXT)
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    assert "with the suggested weights" in response.content.decode()
    assert {c.key: int(c.weight) for c in draft.criteria.all()} == {
        "revenue": 0,
        "employees": 32,
        "outsourcing": 68,
    }


def test_no_draft_from_a_back_test_without_a_suggestion(
    approved_list, people, english_client, example_set
):
    response = english_client(people.bob).post(
        url("criteria-from-suggestion", pk=example_set.pk), follow=True
    )
    assert "no weight suggestion" in response.content.decode()
    assert not CriteriaSet.objects.filter(year=NEXT).exists()


@pytest.mark.parametrize("name", ["dave", "eve", "heidi", "judy"])
def test_others_may_not_draft_from_the_suggestion(
    hand_results, people, client_for, example_set, name
):
    response = client_for(getattr(people, name)).post(
        url("criteria-from-suggestion", level="segment", code="AUTO", pk=example_set.pk)
    )
    assert response.status_code == 403
    assert not CriteriaSet.objects.filter(year=NEXT).exists()


def test_the_bg_vp_may_read_but_not_draft_a_segments_criteria(
    hand_results, people, client_for, example_set
):
    response = client_for(people.carol).post(
        url("revision-create", level="bg", code="BG1", kind="criteria", pk=example_set.pk)
    )
    assert response.status_code == 403


def test_the_revisions_page_drafts_and_shows_the_diff(
    approved_list, people, english_client, example_set
):
    client = english_client(people.bob)
    page = client.get(url("revisions")).content.decode()
    assert 'data-testid="create-draft"' in page
    response = client.post(url("revision-create", kind="criteria", pk=example_set.pk), follow=True)
    page = response.content.decode()
    assert "A draft criteria set for 2028 was made from this year" in page
    assert "No differences from this year yet." in page
    no_inline_code(page)


def test_a_revision_into_a_locked_year_gets_a_clear_message(
    approved_list, people, english_client, example_set
):
    client = english_client(people.bob)
    client.post(url("revision-create", kind="criteria", pk=example_set.pk))
    criteria_services.criteria_set_lock(criteria_set=CriteriaSet.objects.get(year=NEXT))
    page = client.post(
        url("revision-create", kind="criteria", pk=example_set.pk), follow=True
    ).content.decode()
    assert "is locked: an approved target list uses it" in page
    assert 'data-testid="next-locked"' in page


def test_an_unknown_revision_kind_is_refused(approved_list, people, client_for, example_set):
    response = client_for(people.bob).post(url("revision-create", kind="planets", pk=1))
    assert response.status_code == 403


# --- Owners record results ---------------------------------------------------------------------


def test_an_owner_sees_their_targets_with_missing_results_highlighted(
    approved_list, people, english_client
):
    page = (
        english_client(people.dave)
        .get(reverse("reviews:my-results") + f"?year={YEAR}")
        .content.decode()
    )
    assert page.count('data-testid="missing-flag"') == 6
    assert "6 customers have no result yet" in page
    no_inline_code(page)


@pytest.mark.parametrize("name", ["alice", "bob", "judy"])
def test_only_account_managers_have_a_results_page(people, client_for, name):
    assert client_for(getattr(people, name)).get(reverse("reviews:my-results")).status_code == 403


def test_the_results_page_needs_a_login(client, db):
    response = client.get(reverse("reviews:my-results"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def form_data(entry, **values):
    data = {"revenue_won": "1000", "contracts_signed": "1", "stage": "won", "notes": ""}
    data.update(values)
    return {f"r{entry.pk}-{key}": value for key, value in data.items()}


def test_an_owner_saves_a_result_inline(approved_list, people, english_client):
    entry = entry_of(approved_list, "G")
    response = english_client(people.dave).post(
        reverse("reviews:result-save", args=[entry.pk]),
        form_data(entry, revenue_won="2500000.50"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="saved-flag"' in page and "<html" not in page
    assert str(DevelopmentResult.objects.get().revenue_won) == "2500000.50"


def test_negative_revenue_inline_gets_a_message_and_saves_nothing(
    approved_list, people, english_client
):
    entry = entry_of(approved_list, "G")
    response = english_client(people.dave).post(
        reverse("reviews:result-save", args=[entry.pk]),
        form_data(entry, revenue_won="-5"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "Revenue won cannot be negative." in response.content.decode()
    assert not DevelopmentResult.objects.exists()


def test_an_unknown_stage_inline_gets_a_message(approved_list, people, english_client):
    entry = entry_of(approved_list, "G")
    response = english_client(people.dave).post(
        reverse("reviews:result-save", args=[entry.pk]),
        form_data(entry, stage="signed"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "“signed” is not a relationship stage." in response.content.decode()


def test_without_htmx_the_save_returns_to_the_list(approved_list, people, english_client):
    entry = entry_of(approved_list, "G")
    response = english_client(people.dave).post(
        reverse("reviews:result-save", args=[entry.pk]), form_data(entry), follow=True
    )
    assert f"Result saved for {entry.customer.name_en}." in response.content.decode()


def test_results_for_a_draft_list_get_a_message(example_list, people, english_client):
    from evaluation.lists.services import target_list_owners_assign

    target_list_owners_assign(
        target_list=example_list,
        entry_ids=list(example_list.entries.targets().values_list("pk", flat=True)),
        owner=people.dave,
        by=people.alice,
    )
    entry = entry_of(example_list, "G")
    response = english_client(people.dave).post(
        reverse("reviews:result-save", args=[entry.pk]), form_data(entry), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "is not a target customer of an approved list for 2027" in response.content.decode()


@pytest.mark.parametrize("name", ["alice", "bob", "erin", "judy"])
def test_only_the_owner_saves_a_result(approved_list, people, client_for, name):
    entry = entry_of(approved_list, "G")
    response = client_for(getattr(people, name)).post(
        reverse("reviews:result-save", args=[entry.pk]), form_data(entry)
    )
    assert response.status_code == 403
    assert not DevelopmentResult.objects.exists()


def test_saving_a_result_needs_a_login(approved_list, client):
    entry = entry_of(approved_list, "G")
    response = client.post(reverse("reviews:result-save", args=[entry.pk]), form_data(entry))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_suggestion_goes_into_an_existing_next_year_set(
    hand_results, people, english_client, example_set
):
    existing = criteria_services.criteria_set_copy(source=example_set, year=NEXT, by=people.bob)
    client = english_client(people.bob)
    page = client.get(url("backtest")).content.decode()
    assert "Put these weights into the 2028 set" in page
    response = client.post(url("criteria-from-suggestion", pk=example_set.pk), follow=True)
    assert "The suggested weights were put into the 2028 set" in response.content.decode()
    assert {c.key: int(c.weight) for c in existing.criteria.all()}["outsourcing"] == 68
