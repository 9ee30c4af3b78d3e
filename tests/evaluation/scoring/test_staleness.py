"""Stale scores (issue 12): after a run, the customers whose facts, ratings or master data
changed are counted on the run and list pages, flagged on the customer's page, and the score
page warns before scoring a segment whose list is past draft."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers import services as customer_services
from customers.imports.service import customers_import
from customers.models import Attribute, Contact, CustomerYear
from evaluation.models import ScoreRun, TargetList
from evaluation.scoring import staleness
from evaluation.scoring.runs import score_run_create
from outbox.models import Job
from tests.factories import CustomerFactory

State = TargetList.State
IMPORT_HEADER = "credit_code,name,bu,segment,year,revenue"


@pytest.fixture
def customer_a(example_customers):
    return example_customers["A"]


def text(response) -> str:
    return response.content.decode()


def save_facts(customer, people, year=2026, **facts):
    """A researcher saves the survey form of `customer` for `year`."""
    stored = CustomerYear.objects.filter(customer=customer, year=year).values().first() or {}
    values = {f: stored.get(f) for f in ("revenue", "employees")} | facts
    return customer_services.customer_year_save(
        customer=customer, year=year, facts=values, ratings={}, by=people.erin
    )


def rate(customer, people, option_key, year=2026):
    attribute = Attribute.objects.get(key="outsourcing_attitude")
    return customer_services.customer_year_save(
        customer=customer,
        year=year,
        facts={},
        ratings={attribute: attribute.options.get(key=option_key)},
        by=people.erin,
    )


def scores_page(client, customer) -> str:
    return text(client.get(reverse("evaluation:customer-scores", args=[customer.pk])))


# --- The count ---------------------------------------------------------------------------------


def test_nothing_changed_after_the_run_counts_no_customer(run):
    assert staleness.changed_count(run) == 0


def test_a_survey_form_saved_after_the_run_counts_its_customer(run, customer_a, people):
    save_facts(customer_a, people, revenue=300_000_000)
    assert staleness.changed_customer_ids(run) == {customer_a.pk}


def test_a_rating_changed_after_the_run_counts_its_customer(run, example_customers, people):
    rate(example_customers["D"], people, "open")
    rate(example_customers["B"], people, "open")
    assert staleness.changed_count(run) == 2


def test_an_import_changing_facts_after_the_run_counts_its_customers(run, customer_a, people):
    rows = [IMPORT_HEADER, f"{customer_a.credit_code},A,BU1,AUTO,2026,300000000"]
    result = customers_import(
        file_bytes=("\n".join(rows) + "\n").encode(),
        filename="facts.csv",
        default_year=None,
        dry_run=False,
    )
    assert result.ok, result.problems
    assert staleness.changed_customer_ids(run) == {customer_a.pk}


def test_facts_of_another_year_do_not_count(run, customer_a, people):
    save_facts(customer_a, people, year=2025, revenue=1)
    rate(customer_a, people, "closed", year=2025)
    assert staleness.changed_count(run) == 0


def test_another_segments_customers_do_not_count(run, org, people):
    other = CustomerFactory(business_unit=org.bu1, segments=[org.elec])
    save_facts(other, people, revenue=1)
    assert staleness.changed_count(run) == 0


def test_changes_before_the_run_do_not_count(org, example_customers, people):
    save_facts(example_customers["A"], people, revenue=1)
    run = score_run_create(segment=org.auto, year=2027)
    assert staleness.changed_count(run) == 0


def test_a_new_region_counts_but_relationship_notes_do_not(run, example_customers, people):
    a, b = example_customers["A"], example_customers["B"]
    a.region = "shanghai"
    customer_services.customer_save(customer=a, segments=[*a.segments.all()], by=people.erin)
    b.relationship_notes = "met at the fair"
    b.save()
    assert staleness.changed_customer_ids(run) == {a.pk}


def test_a_key_decision_maker_added_or_removed_counts(run, example_customers):
    Contact.objects.create(
        customer=example_customers["A"], name="王总", buying_role="decision_maker"
    )
    assert staleness.changed_count(run) == 0  # not a key decision maker
    flagged = Contact.objects.create(
        customer=example_customers["B"],
        name="李总",
        buying_role="decision_maker",
        is_key_decision_maker=True,
    )
    assert staleness.changed_customer_ids(run) == {example_customers["B"].pk}
    flagged.delete()
    assert staleness.changed_customer_ids(run) == {example_customers["B"].pk}


def test_customers_joining_leaving_or_archived_count(run, org, example_customers, people):
    CustomerFactory(business_unit=org.bu1, segments=[org.auto])  # joined
    example_customers["B"].segments.set([org.elec])  # left
    customer_services.customer_archive(customer=example_customers["C"], by=people.erin)
    assert staleness.changed_count(run) == 3


def test_the_count_is_one_query(run, customer_a, people):
    save_facts(customer_a, people, revenue=1)
    with CaptureQueriesContext(connection) as queries:
        staleness.changed_count(run)
    reads = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) == 1  # besides the savepoint and, on PostgreSQL, two SET LOCAL


# --- The run page ------------------------------------------------------------------------------


def test_the_run_page_has_no_hint_when_nothing_changed(as_user, run):
    assert 'data-testid="stale-hint"' not in text(as_user("alice").get(run.get_absolute_url()))


def test_the_run_page_says_how_many_customers_changed(as_user, run, example_customers, people):
    save_facts(example_customers["A"], people, revenue=1)
    rate(example_customers["D"], people, "open")
    page = text(as_user("alice").get(run.get_absolute_url()))
    assert f"2 customers changed since run #{run.pk}" in page
    assert staleness.score_url(run).replace("&", "&amp;") in page


def test_the_rescore_offer_is_for_segment_managers_only(as_user, run, customer_a, people):
    save_facts(customer_a, people, revenue=1)
    page = text(as_user("carol").get(run.get_absolute_url()))  # the BG VP reads, never scores
    assert f"1 customer changed since run #{run.pk}" in page
    assert 'data-testid="rescore-link"' not in page


# --- The list page -----------------------------------------------------------------------------


def test_the_draft_list_says_how_many_customers_changed(as_user, example_list, customer_a, people):
    page = text(as_user("alice").get(example_list.get_absolute_url()))
    assert 'data-testid="stale-hint"' not in page
    save_facts(customer_a, people, revenue=1)
    page = text(as_user("alice").get(example_list.get_absolute_url()))
    assert f"1 customer changed since run #{example_list.run_id}" in page
    assert 'data-testid="rescore-link"' in page
    assert "does not rebuild the list" not in page


@pytest.mark.parametrize(
    ("state", "how"),
    [
        (State.SUBMITTED, "The BU VP can send it back to draft"),
        (State.CONSOLIDATED, "The BG VP can send it back to the BU VP"),
        (State.APPROVED, "Start a revision of the approved list"),
    ],
)
def test_a_list_past_draft_says_it_is_not_rebuilt_and_how_to_revise(
    as_user, example_list, customer_a, people, state, how
):
    TargetList.objects.filter(pk=example_list.pk).update(state=state)
    save_facts(customer_a, people, revenue=1)
    page = text(as_user("alice").get(example_list.get_absolute_url()))
    assert "scoring again makes a new run but does not rebuild the list" in page
    assert how in page


# --- The customer's page -----------------------------------------------------------------------


def test_a_customer_whose_facts_changed_is_flagged_with_its_run(
    as_user, run, example_customers, people
):
    save_facts(example_customers["D"], people, revenue=1)
    rate(example_customers["D"], people, "open")
    page = scores_page(as_user("alice"), example_customers["D"])
    assert f"Facts changed after this score (run #{run.pk} of" in page
    assert 'data-testid="rescore-link"' in page


def test_an_unchanged_customer_is_not_flagged(as_user, run, example_customers, people):
    save_facts(example_customers["D"], people, revenue=1)
    assert 'data-testid="stale-hint"' not in scores_page(as_user("alice"), example_customers["A"])


def test_a_researcher_sees_the_hint_without_the_rescore_offer(as_user, run, customer_a, people):
    save_facts(customer_a, people, revenue=1)
    page = scores_page(as_user("erin"), customer_a)
    assert 'data-testid="stale-hint"' in page
    assert 'data-testid="rescore-link"' not in page


# --- The score page ----------------------------------------------------------------------------


def score_page_url(year=2027):
    return reverse("evaluation:score-runs", args=["AUTO", year])


def test_the_score_page_starts_with_the_facts_year_asked_for(as_user, run):
    page = text(as_user("alice").get(score_page_url() + "?facts_year=2025"))
    assert 'name="facts_year" id="id_facts_year" value="2025"' in page


def test_the_score_page_of_a_draft_list_asks_for_no_confirmation(as_user, example_list):
    page = text(as_user("alice").get(score_page_url()))
    assert 'data-testid="list-kept-warning"' not in page
    assert 'name="list_kept"' not in page


@pytest.mark.parametrize("state", [State.CONSOLIDATED, State.APPROVED])
def test_the_score_page_warns_before_scoring_a_list_past_draft(as_user, example_list, state):
    TargetList.objects.filter(pk=example_list.pk).update(state=state)
    page = text(as_user("alice").get(score_page_url()))
    assert "scoring makes a new run but leaves the list as it is" in page
    assert 'name="list_kept"' in page


def test_scoring_a_list_past_draft_without_confirming_runs_nothing(as_user, example_list):
    TargetList.objects.filter(pk=example_list.pk).update(state=State.APPROVED)
    client = as_user("alice")
    response = client.post(
        reverse("evaluation:score-segment", args=["AUTO", 2027]), {"facts_year": 2026}
    )
    assert response.url == score_page_url()
    assert not Job.objects.exists() and ScoreRun.objects.count() == 1
    assert "confirm that you want a new run anyway" in text(client.get(response.url))


def test_scoring_a_list_past_draft_once_confirmed_runs_and_keeps_the_list(
    as_user, example_list, django_capture_on_commit_callbacks
):
    TargetList.objects.filter(pk=example_list.pk).update(state=State.APPROVED)
    scored_from = example_list.run_id
    with django_capture_on_commit_callbacks(execute=True):
        as_user("alice").post(
            reverse("evaluation:score-segment", args=["AUTO", 2027]),
            {"facts_year": 2026, "list_kept": "on"},
        )
    assert ScoreRun.objects.count() == 2
    example_list.refresh_from_db()
    assert (example_list.state, example_list.run_id) == (State.APPROVED, scored_from)


def test_scoring_again_clears_the_hint(as_user, org, example_list, customer_a, people):
    save_facts(customer_a, people, revenue=1)
    newer = score_run_create(segment=org.auto, year=2027)
    assert staleness.changed_count(newer) == 0
