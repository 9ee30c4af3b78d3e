import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from evaluation import services
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
