"""Every criteria page says which version is in force and that a draft waits."""

import pytest
from django.urls import reverse

from tests.evaluation.criteria.test_criteria_views import english, sets, url, weights_post  # noqa: F401


@pytest.fixture
def edited_default(client_for, people, sets):  # noqa: F811 - the imported fixture
    """BU1's published default (v1) with a draft v2 that changes two weights."""
    data = weights_post(sets.default, revenue="40", employees="10")
    client_for(people.bob).post(url("criteria-set-weights", sets.default), data)
    sets.default.refresh_from_db()
    return sets.default


def test_saving_unchanged_weights_says_nothing_was_saved_and_keeps_the_set_published(
    client_for,
    people,
    sets,  # noqa: F811
):
    response = client_for(people.bob).post(
        url("criteria-set-weights", sets.default), weights_post(sets.default), follow=True
    )
    sets.default.refresh_from_db()
    assert (sets.default.version, sets.default.status) == (1, "published")
    assert "Nothing was changed, so nothing was saved." in response.content.decode()


def test_saving_changed_weights_of_a_published_set_keeps_it_published(edited_default):
    assert (edited_default.version, edited_default.published_version) == (2, 1)
    assert edited_default.status == "published"


def test_the_set_page_says_which_version_is_in_force_and_offers_the_draft(
    client_for, people, edited_default
):
    page = client_for(people.bob).get(edited_default.get_absolute_url()).content.decode()
    assert "Version 1 is in force: scoring uses it." in page
    assert "Version 2 is a draft, not yet in force" in page
    assert "Publish version 2" in page
    assert "?a=1&amp;b=2" in page


def test_the_index_shows_the_version_in_force_and_the_pending_draft(
    client_for, people, edited_default
):
    page = client_for(people.bob).get(reverse("evaluation:criteria-index") + "?year=2027")
    text = page.content.decode()
    assert "v1 in force" in text and "draft v2 pending" in text


def test_the_versions_page_marks_the_version_in_force_and_the_draft(
    client_for, people, edited_default
):
    page = client_for(people.bob).get(url("criteria-set-versions", edited_default))
    text = page.content.decode()
    assert "Version 1 is in force" in text
    assert 'data-testid="version-1">v1 <span class="badge text-bg-success">in force' in text
    assert 'data-testid="version-2">v2 <span class="badge text-bg-warning">draft' in text


def test_the_compare_page_says_which_version_is_in_force(client_for, people, edited_default):
    page = (
        client_for(people.bob)
        .get(url("criteria-set-compare", edited_default) + "?a=1&b=2")
        .content.decode()
    )
    assert "Version 1 is in force" in page and "Version 2 is a draft" in page


def test_a_draft_set_says_no_version_is_in_force(client_for, people, sets):  # noqa: F811
    page = client_for(people.alice).get(sets.auto.get_absolute_url()).content.decode()
    assert "No version is in force yet" in page


def test_publishing_the_draft_from_the_page_puts_it_in_force(client_for, people, edited_default):
    client_for(people.bob).post(url("criteria-set-publish", edited_default))
    edited_default.refresh_from_db()
    assert (edited_default.version, edited_default.published_version) == (2, 2)


def test_a_reader_cannot_publish_the_draft(client_for, people, edited_default):
    response = client_for(people.alice).post(url("criteria-set-publish", edited_default))
    assert response.status_code == 403
    edited_default.refresh_from_db()
    assert edited_default.published_version == 1


def test_the_chinese_set_page_says_which_version_is_in_force(
    client, settings, client_for, people, edited_default
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client_for(people.bob).get(edited_default.get_absolute_url()).content.decode()
    assert "版本 1 正在生效" in page and "版本 2 为草稿" in page
