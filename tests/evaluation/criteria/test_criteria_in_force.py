"""A published set stays in force: an unchanged save writes nothing, an edit is a newer draft
version while the published version keeps scoring, until that draft is published."""

import copy

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from evaluation.criteria import services
from evaluation.models import CriteriaSet, CriteriaSetVersion
from evaluation.scoring.runs import score_run_create
from tests.evaluation.conftest import make_example_customers


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def published(document):
    return services.criteria_set_load(document=document, publish=True)


def criteria_of(criteria_set):
    return services.criteria_set_dump(criteria_set)["criteria"]


def reweighted(criteria, **weights):
    return [c | {"weight": weights.get(c["key"], c["weight"])} for c in criteria]


def save(criteria_set, criteria, by=None):
    return services.criteria_set_save(
        criteria_set=criteria_set,
        expected_version=criteria_set.version,
        name=criteria_set.name,
        criteria=criteria,
        by=by,
    )


def run_criteria(run):
    return {c["key"]: c["weight"] for c in run.criteria}


def test_an_unchanged_save_writes_no_version_and_keeps_the_set_published(published):
    before = CriteriaSet.objects.get(pk=published.pk)
    saved = save(published, criteria_of(published))
    after = CriteriaSet.objects.get(pk=published.pk)
    assert (after.version, after.status, after.published_version) == (1, "published", 1)
    assert after.updated_at == before.updated_at and saved.version == 1
    assert CriteriaSetVersion.objects.filter(criteria_set=published).count() == 1


def test_an_unchanged_save_of_a_draft_writes_nothing(document):
    draft = services.criteria_set_load(document=document)
    save(draft, json_like(criteria_of(draft)))
    assert CriteriaSet.objects.get(pk=draft.pk).version == 1
    assert CriteriaSetVersion.objects.filter(criteria_set=draft).count() == 1


def json_like(criteria):
    """The same weights written another way (30.0 for 30)."""
    return [c | {"weight": float(c["weight"])} for c in copy.deepcopy(criteria)]


def test_editing_a_published_set_makes_a_draft_version_and_keeps_the_published_one_in_force(
    published,
):
    edited = save(published, reweighted(criteria_of(published), revenue=40, employees=10))
    edited.refresh_from_db()
    assert (edited.version, edited.published_version, edited.status) == (2, 1, "published")
    assert edited.has_pending_draft
    assert {c.key: int(c.weight) for c in edited.criteria_in_force()} == {
        "revenue": 30,
        "employees": 20,
        "outsourcing": 50,
    }


def test_scoring_after_an_edit_uses_the_published_version_until_the_draft_is_published(
    org, published
):
    make_example_customers(org)
    first = score_run_create(segment=org.auto, year=2027)
    save(published, reweighted(criteria_of(published), revenue=40, employees=10))
    while_draft = score_run_create(segment=org.auto, year=2027)
    assert while_draft.criteria_set_version == 1
    assert while_draft.criteria == first.criteria
    assert run_criteria(while_draft) == {
        "revenue": "30.00",
        "employees": "20.00",
        "outsourcing": "50.00",
    }
    assert {e.customer_id: e.total for e in while_draft.entries.all()} == {
        e.customer_id: e.total for e in first.entries.all()
    }

    services.criteria_set_publish(criteria_set=published, by=None)
    after = score_run_create(segment=org.auto, year=2027)
    assert after.criteria_set_version == 2
    assert run_criteria(after) == {"revenue": "40.00", "employees": "10.00", "outsourcing": "50.00"}


def test_publishing_the_draft_version_puts_it_in_force(published):
    save(published, reweighted(criteria_of(published), revenue=40, employees=10))
    services.criteria_set_publish(criteria_set=published, by=None)
    published.refresh_from_db()
    assert (published.version, published.published_version) == (2, 2)
    assert not published.has_pending_draft


def test_publishing_a_set_with_nothing_new_is_refused(published):
    with pytest.raises(ValidationError, match="already in force"):
        services.criteria_set_publish(criteria_set=published, by=None)


def test_an_invalid_draft_version_is_not_published_and_the_old_one_stays_in_force(published):
    save(published, reweighted(criteria_of(published), revenue=10))  # weights add up to 80
    with pytest.raises(ValidationError, match="add up to"):
        services.criteria_set_publish(criteria_set=published, by=None)
    published.refresh_from_db()
    assert published.published_version == 1 and published.status == "published"


def test_loading_an_unchanged_file_writes_nothing(document):
    loaded = services.criteria_set_load(document=copy.deepcopy(document), publish=True)
    again = services.criteria_set_load(document=copy.deepcopy(document), publish=True)
    assert (again.pk, again.version, again.published_version, again.status) == (
        loaded.pk,
        1,
        1,
        "published",
    )
    assert CriteriaSetVersion.objects.filter(criteria_set=loaded).count() == 1


def test_loading_a_changed_file_into_a_published_set_keeps_the_published_version_in_force(
    document, published
):
    document["criteria"][0]["weight"] = 40
    document["criteria"][1]["weight"] = 10
    loaded = services.criteria_set_load(document=document)
    assert (loaded.version, loaded.published_version, loaded.status) == (2, 1, "published")


def test_loading_a_changed_file_with_publish_puts_it_in_force(document, published):
    document["criteria"][0]["weight"] = 40
    document["criteria"][1]["weight"] = 10
    loaded = services.criteria_set_load(document=document, publish=True)
    assert (loaded.version, loaded.published_version) == (2, 2)


def test_locking_a_set_with_a_draft_version_keeps_the_published_version_in_force(org, published):
    make_example_customers(org)
    save(published, reweighted(criteria_of(published), revenue=40, employees=10))
    services.criteria_set_lock(criteria_set=published)
    published.refresh_from_db()
    assert (published.status, published.published_version) == ("locked", 1)
    run = score_run_create(segment=org.auto, year=2027)
    assert run.criteria_set_version == 1 and run_criteria(run)["revenue"] == "30.00"
    with pytest.raises(ValidationError, match="locked"):
        services.criteria_set_publish(criteria_set=published, by=None)
    with pytest.raises(ValidationError, match="locked"):
        save(published, criteria_of(published))
