"""Score-run pages: access per role, the score button and its progress, the run page with its
funnel and paging, a customer's explanation, and the what-if (which writes nothing)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.criteria import services
from evaluation.models import CriteriaSet, ScoreEntry, ScoreRun, TargetList
from outbox.models import Job
from tests.factories import CustomerFactory

ALLOWED_TO_READ = ["alice", "bob", "carol"]
REFUSED_TO_READ = ["eve", "grace", "dave", "judy", "ivan"]


def text(response) -> str:
    return response.content.decode()


# --- The run page -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALLOWED_TO_READ)
def test_the_run_page_is_shown_to_managers_and_vps_over_the_segment(as_user, run, name):
    assert as_user(name).get(run.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("name", REFUSED_TO_READ)
def test_the_run_page_is_refused_to_others(as_user, run, name):
    assert as_user(name).get(run.get_absolute_url()).status_code == 403


def test_the_run_page_sends_anonymous_visitors_to_log_in(client, run):
    response = client.get(run.get_absolute_url())
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_unknown_run_is_not_found(as_user, people):
    assert as_user("alice").get(reverse("evaluation:score-run", args=[999])).status_code == 404


def test_the_run_page_shows_the_screening_funnel(as_user, run):
    page = text(as_user("alice").get(run.get_absolute_url()))
    assert "Evaluated: <strong>8</strong>" in page
    assert "Stopped by the gate “Outsourcing attitude”: 1" in page
    assert "Passed the gates: <strong>7</strong>" in page
    for layer in ("Tier A Key: 1", "Tier B Develop: 3", "Tier C Maintain: 2"):
        assert layer in page
    assert "General customers: <strong>1</strong>" in page


def test_the_run_page_header_names_the_set_version_and_facts_year(as_user, run):
    page = text(as_user("alice").get(run.get_absolute_url()))
    assert "facts of 2026" in page
    assert reverse("evaluation:criteria-set-versions", args=[run.criteria_set_id]) in page


def test_the_entries_can_be_filtered_by_tier(as_user, run):
    response = as_user("alice").get(run.get_absolute_url(), {"tier": "B"})
    assert [e.customer.name_zh for e in response.context["page"].object_list] == ["A", "F", "E"]


def test_the_entries_can_be_filtered_by_status(as_user, run):
    response = as_user("alice").get(run.get_absolute_url(), {"status": "screened_out"})
    assert [e.customer.name_zh for e in response.context["page"].object_list] == ["D"]


def test_an_unknown_filter_is_ignored(as_user, run):
    response = as_user("alice").get(run.get_absolute_url(), {"tier": "Z", "status": "x"})
    assert len(response.context["page"].object_list) == 8


@pytest.fixture
def big_run(run, org):
    """The example run with 120 more general customers, ranked 8 to 127."""
    customers = [CustomerFactory(business_unit=org.bu1) for _ in range(120)]
    ScoreEntry.objects.bulk_create(
        ScoreEntry(
            run=run,
            customer=customer,
            total=Decimal(10),
            completeness=Decimal(1),
            rank=8 + i,
            status="general",
            tier="",
            breakdown={},
        )
        for i, customer in enumerate(customers)
    )
    run.funnel = {**run.funnel, "evaluated": 128, "passed_gates": 127, "general": 121}
    run.save(update_fields=["funnel"])
    return run


def test_the_entries_come_fifty_a_page_without_counting_them(as_user, big_run):
    client = as_user("alice")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(big_run.get_absolute_url(), {"page": 3})
    page = response.context["page"]
    assert (page.paginator.num_pages, len(page.object_list)) == (3, 28)
    assert page.object_list[-1].customer.name_zh == "D"  # screened out: last
    # Besides the count of customers changed since the run (read from the history tables):
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"].upper() and "historical" not in q["sql"]
    ]
    assert len(counts) == 1 and "GROUP BY" in counts[0]  # the charts' one aggregate only


def test_run_pages_have_no_inline_script_or_style(as_user, run):
    page = text(as_user("alice").get(run.get_absolute_url()))
    assert "style=" not in page and "<script>" not in page


# --- Runs of a segment, and the index ---------------------------------------------------------


def runs_url(segment="AUTO", year=2027):
    return reverse("evaluation:score-runs", args=[segment, year])


@pytest.mark.parametrize("name", ALLOWED_TO_READ)
def test_a_segments_runs_are_listed_for_its_readers(as_user, run, name):
    response = as_user(name).get(runs_url())
    assert response.status_code == 200 and list(response.context["runs"]) == [run]


@pytest.mark.parametrize("name", REFUSED_TO_READ)
def test_a_segments_runs_are_refused_to_others(as_user, run, name):
    assert as_user(name).get(runs_url()).status_code == 403


def test_only_who_does_the_list_work_sees_the_score_button(as_user, run):
    assert 'data-testid="score-button"' in text(as_user("alice").get(runs_url()))
    assert 'data-testid="score-button"' not in text(as_user("bob").get(runs_url()))


def test_the_facts_year_defaults_to_the_year_before(as_user, run):
    response = as_user("alice").get(runs_url())
    assert response.context["form"]["facts_year"].value() == 2026


def test_the_index_shows_each_visible_segment_with_its_latest_run(as_user, run):
    response = as_user("bob").get(reverse("evaluation:score-run-index"), {"year": 2027})
    rows = {row["segment"].code: row["run"] for row in response.context["rows"]}
    assert rows == {"AUTO": run, "ELEC": None}


def test_the_index_is_refused_to_people_without_a_role(as_user, people):
    assert as_user("judy").get(reverse("evaluation:score-run-index")).status_code == 403


# --- The score button -------------------------------------------------------------------------


def score_url(segment="AUTO", year=2027):
    return reverse("evaluation:score-segment", args=[segment, year])


def test_scoring_makes_a_run_and_a_draft_list(
    as_user, example_customers, people, django_capture_on_commit_callbacks
):
    client = as_user("alice")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(score_url(), {"facts_year": 2026})
    run = ScoreRun.objects.get()
    assert (run.created_by, run.facts_year, run.funnel["evaluated"]) == (people.alice, 2026, 8)
    target_list = TargetList.objects.get()
    assert (target_list.run, target_list.state) == (run, TargetList.State.DRAFT)
    job = Job.objects.get()
    assert response.url == reverse("evaluation:score-job", args=[job.pk])
    assert job.status == Job.Status.DONE


def test_the_progress_page_links_to_the_new_run(
    as_user, example_customers, django_capture_on_commit_callbacks
):
    client = as_user("alice")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(score_url(), {"facts_year": 2026})
    page = text(client.get(response.url))
    assert ScoreRun.objects.get().get_absolute_url() in page
    assert "Scored: 8 customers evaluated." in page and "hx-trigger" not in page


def test_an_unfinished_job_is_polled_every_second(as_user, example_customers):
    client = as_user("alice")
    response = client.post(score_url(), {"facts_year": 2026})  # on_commit not run: still pending
    poll = client.get(response.url, headers={"HX-Request": "true"})
    body = text(poll)
    assert 'hx-trigger="every 1s"' in body and "<html" not in body
    assert "Waiting for the job queue" in body


def test_a_second_click_follows_the_job_already_queued(as_user, example_customers):
    client = as_user("alice")
    first = client.post(score_url(), {"facts_year": 2026})  # on_commit not run: still pending
    second = client.post(score_url(), {"facts_year": 2026})
    assert second.url == first.url and Job.objects.count() == 1


def test_a_job_that_made_no_run_says_why(as_user, example_customers, org, people):
    job = Job.objects.create(
        task_name="evaluation.tasks.score_segment_task",
        args=[org.auto.pk, 2030, 2029, people.alice.pk],
        status=Job.Status.DONE,
    )
    page = text(as_user("alice").get(reverse("evaluation:score-job", args=[job.pk])))
    assert "has no published criteria set for 2030: publish one first." in page


def test_a_failed_job_says_so(as_user, example_customers, org, people):
    job = Job.objects.create(
        task_name="evaluation.tasks.score_segment_task",
        args=[org.auto.pk, 2027, 2026, people.alice.pk],
        status=Job.Status.FAILED,
        last_error="OperationalError()",
    )
    page = text(as_user("alice").get(reverse("evaluation:score-job", args=[job.pk])))
    assert "Scoring failed." in page


def test_a_jobs_progress_is_refused_outside_the_segment(as_user, example_customers):
    response = as_user("alice").post(score_url(), {"facts_year": 2026})
    assert as_user("eve").get(response.url).status_code == 403


def test_other_jobs_are_not_score_jobs(as_user, people):
    job = Job.objects.create(task_name="outbox.tasks.heartbeat")
    assert as_user("alice").get(reverse("evaluation:score-job", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("name", ["bob", "carol", "eve", "grace", "dave", "judy"])
def test_scoring_is_refused_to_all_but_the_segment_manager(as_user, example_customers, name):
    assert as_user(name).post(score_url(), {"facts_year": 2026}).status_code == 403
    assert not Job.objects.exists()


def test_scoring_sends_anonymous_visitors_to_log_in(client, example_customers):
    response = client.post(score_url(), {"facts_year": 2026})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_bu_vp_scores_a_segment_without_a_manager(as_user, org):
    # heidi stands in for RETL, which has no criteria yet: refused with the service's message.
    response = as_user("heidi").post(score_url("RETL"), {"facts_year": 2026}, follow=True)
    assert response.status_code == 200
    assert "has no published criteria set for 2027: publish one first." in text(response)
    assert not Job.objects.exists()


def test_an_unpublished_set_is_refused_with_the_services_message(as_user, example_customers):
    CriteriaSet.objects.update(status=CriteriaSet.Status.DRAFT)
    response = as_user("alice").post(score_url(), {"facts_year": 2026}, follow=True)
    assert "has no published criteria set for 2027: publish one first." in text(response)
    assert not Job.objects.exists() and not ScoreRun.objects.exists()


def test_a_segment_without_customers_is_refused(as_user, example_set):
    response = as_user("alice").post(score_url(), {"facts_year": 2026}, follow=True)
    assert "has no customers to score." in text(response)
    assert not Job.objects.exists()


def test_a_bad_facts_year_is_refused(as_user, example_customers):
    response = as_user("alice").post(score_url(), {"facts_year": "soon"}, follow=True)
    assert "Enter a whole number." in text(response)
    assert not Job.objects.exists()


def test_the_score_button_takes_only_posts(as_user, example_customers):
    assert as_user("alice").get(score_url()).status_code == 405


# --- A customer's scores ----------------------------------------------------------------------


def scores_url(customer):
    return reverse("evaluation:customer-scores", args=[customer.pk])


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "dave", "erin"])
def test_a_customers_scores_are_shown_to_who_may_see_the_customer(
    as_user, run, example_customers, name
):
    response = as_user(name).get(scores_url(example_customers["E"]))
    assert response.status_code == 200 and len(response.context["explanations"]) == 1


@pytest.mark.parametrize("name", ["eve", "grace", "judy", "ivan"])
def test_a_customers_scores_are_refused_to_others(as_user, run, example_customers, name):
    assert as_user(name).get(scores_url(example_customers["E"])).status_code == 403


def test_a_customers_scores_send_anonymous_visitors_to_log_in(client, run, example_customers):
    response = client.get(scores_url(example_customers["E"]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_e_lost_thirty_points_for_its_missing_revenue(as_user, run, example_customers):
    page = text(as_user("alice").get(scores_url(example_customers["E"])))
    assert "Missing data cost 30 points:" in page and "Revenue (30 points lost)" in page
    assert "4 of 7" in page and "B Develop" in page


def test_d_was_screened_out_by_outsourcing(as_user, run, example_customers):
    page = text(as_user("alice").get(scores_url(example_customers["D"])))
    assert (
        "Screened out by the gate “Outsourcing attitude”: 0 points, below the minimum of 50."
        in page
    )


def test_the_run_link_is_shown_only_to_who_may_open_the_run(as_user, run, example_customers):
    assert run.get_absolute_url() in text(as_user("alice").get(scores_url(example_customers["E"])))
    assert run.get_absolute_url() not in text(
        as_user("dave").get(scores_url(example_customers["E"]))
    )


def test_the_customer_page_loads_the_scores_lazily(as_user, run, example_customers):
    customer = example_customers["E"]
    page = text(as_user("alice").get(reverse("customers:customer-detail", args=[customer.pk])))
    assert f'hx-get="{scores_url(customer)}"' in page and 'hx-trigger="load"' in page


# --- What-if ----------------------------------------------------------------------------------


def whatif_url(criteria_set):
    return reverse("evaluation:whatif", args=[criteria_set.pk])


def tried(revenue=50, employees=20, outsourcing=30, rules=""):
    return {
        "segment": "AUTO",
        "facts_year": 2026,
        "weight-revenue": revenue,
        "weight-employees": employees,
        "weight-outsourcing": outsourcing,
        "rules": rules,
    }


@pytest.mark.parametrize("name", ["alice", "bob"])
def test_the_what_if_is_open_to_who_may_edit_the_set(as_user, run, name):
    assert as_user(name).get(whatif_url(run.criteria_set)).status_code == 200


@pytest.mark.parametrize("name", ["carol", "eve", "grace", "dave", "judy"])
def test_the_what_if_is_refused_to_others(as_user, run, name):
    assert as_user(name).get(whatif_url(run.criteria_set), tried()).status_code == 403


def test_the_what_if_sends_anonymous_visitors_to_log_in(client, run):
    response = client.get(whatif_url(run.criteria_set))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_what_if_counts_movements_and_correlates_ranks(as_user, run):
    response = as_user("alice").get(whatif_url(run.criteria_set), tried())
    page = text(response)
    assert "B Develop → C Maintain: 1" in page and "C Maintain → General customer: 1" in page
    assert response.context["result"]["spearman"] == pytest.approx(1 - 36 / 336)
    assert "2 customers would change tier" in page


def test_the_what_if_writes_nothing(as_user, run):
    client = as_user("alice")
    counts = (ScoreRun.objects.count(), ScoreEntry.objects.count(), TargetList.objects.count())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(whatif_url(run.criteria_set), tried())
    assert response.context["result"]["changed_count"] == 2
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert counts == (
        ScoreRun.objects.count(),
        ScoreEntry.objects.count(),
        TargetList.objects.count(),
    )


def test_weights_not_summing_to_100_are_refused_clearly(as_user, run):
    response = as_user("alice").get(whatif_url(run.criteria_set), tried(revenue=40))
    assert "The weights add up to 90, not 100." in text(response)
    assert response.context["result"] is None


def test_a_rule_that_is_not_json_is_refused_clearly(as_user, run):
    response = as_user("alice").get(whatif_url(run.criteria_set), tried(rules="{oops"))
    assert "The rules are not valid JSON" in text(response)
    assert response.context["result"] is None


def test_a_rule_for_an_unknown_criterion_is_refused(as_user, run):
    rules = '{"profit": {"type": "linear", "lo": 0, "hi": 1, "direction": "higher_better"}}'
    response = as_user("alice").get(whatif_url(run.criteria_set), tried(rules=rules))
    assert "“profit” is not a criterion of this set." in text(response)


def test_an_invalid_rule_is_refused_with_the_rule_checks_reason(as_user, run):
    rules = '{"revenue": {"type": "dice"}}'
    response = as_user("alice").get(whatif_url(run.criteria_set), tried(rules=rules))
    assert "revenue: Unknown rule type: use linear, bands, choice or boolean." in text(response)


def test_a_changed_rule_is_applied(as_user, run):
    rules = (
        '{"outsourcing": {"type": "choice", "points": {"open": 100, "neutral": 50, "closed": 50}}}'
    )
    response = as_user("alice").get(
        whatif_url(run.criteria_set), tried(revenue=30, employees=20, outsourcing=50, rules=rules)
    )
    assert "Screened out → B Develop: 1" in text(response)


def test_a_bu_default_set_is_tried_on_one_of_its_segments(as_user, run, document, org):
    document["scope"] = {"bu": "BU1"}
    bu_set = services.criteria_set_load(document=document)
    response = as_user("bob").get(whatif_url(bu_set), tried())
    assert [code for code, _label in response.context["form"].fields["segment"].choices] == [
        "AUTO",
        "ELEC",
    ]
    assert response.context["result"]["changed_count"] == 2
