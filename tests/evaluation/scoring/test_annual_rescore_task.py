import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from evaluation.criteria import services
from evaluation.tasks import annual_rescore
from tests.factories import CustomerFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_it_reports_segments_without_a_published_set_as_skipped(org):
    report = annual_rescore(year=2027)
    assert report["scored"] == []
    assert sorted(item["segment"] for item in report["skipped"]) == [
        "AUTO",
        "BANK",
        "CHEM",
        "ELEC",
        "RETL",
    ]
    assert "no published criteria set" in report["skipped"][0]["reason"]


def test_it_scores_segments_with_a_published_set(document, org):
    services.criteria_set_load(document=document, publish=True)
    CustomerFactory(business_unit=org.bu1, segments=[org.auto])
    report = annual_rescore(year=2027)
    assert [item["segment"] for item in report["scored"]] == ["AUTO"]
    assert report["scored"][0]["evaluated"] == 1


def test_the_score_command_names_what_it_skipped(org, capsys):
    call_command("score", "--year", "2027")
    assert "AUTO: skipped" in capsys.readouterr().out


def test_the_score_command_refuses_an_unknown_segment(org):
    with pytest.raises(CommandError, match="Unknown segment"):
        call_command("score", "--year", "2027", "--segment", "NOPE")


def test_the_report_is_kept(document, org):
    from evaluation.models import RescoreReport

    services.criteria_set_load(document=document, publish=True)
    CustomerFactory(business_unit=org.bu1, segments=[org.auto])
    annual_rescore(year=2027)
    stored = RescoreReport.objects.get()
    assert stored.year == 2027
    assert [item["segment"] for item in stored.scored] == ["AUTO"]
    assert "CHEM" in [item["segment"] for item in stored.skipped]


def test_the_segment_manager_is_told_the_segment_was_scored(document, org, people):
    services.criteria_set_load(document=document, publish=True)
    CustomerFactory(business_unit=org.bu1, segments=[org.auto])
    annual_rescore(year=2027)
    told = people.alice.notifications.get()
    assert "2027" in told.text and "AUTO" in told.text and "1 customers evaluated" in told.text
    assert told.url.startswith("/criteria/lists/")


def test_a_skipped_segments_manager_is_told_why(org, people):
    annual_rescore(year=2027)
    told = people.grace.notifications.get()  # CHEM's segment manager
    assert "skipped CHEM" in told.text and "no published criteria set" in told.text


def test_no_one_is_told_of_another_segment(document, org, people):
    services.criteria_set_load(document=document, publish=True)
    annual_rescore(year=2027)
    assert [n.text for n in people.alice.notifications.all()] == [
        n.text for n in people.alice.notifications.filter(text__contains="AUTO")
    ]
    assert not people.dave.notifications.exists()  # an account manager


def test_the_system_status_page_shows_the_last_report(org, admin_client):
    annual_rescore(year=2027)
    admin_client.cookies["django_language"] = "en"
    page = admin_client.get("/status/").content.decode()
    assert 'data-testid="rescore-report"' in page and "Planning year 2027" in page
    assert "Skipped:" in page and "BANK" in page
