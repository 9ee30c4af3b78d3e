"""The back-test's suggested weights go into next year's published set as a draft version:
the set stays published and says which version stays in force."""

import pytest

from evaluation.criteria import services as criteria_services
from tests.reviews.conftest import YEAR
from tests.reviews.test_views import english_client, url  # noqa: F401 - fixture and helper

NEXT = YEAR + 1


@pytest.mark.usefixtures("hand_results")
def test_the_suggestion_into_a_published_set_keeps_it_published_and_says_so(
    people,
    english_client,  # noqa: F811 - the imported fixture
    example_set,
):
    existing = criteria_services.criteria_set_copy(source=example_set, year=NEXT, by=people.bob)
    criteria_services.criteria_set_publish(criteria_set=existing, by=people.bob)
    response = english_client(people.bob).post(
        url("criteria-from-suggestion", pk=example_set.pk), follow=True
    )
    page = response.content.decode()
    assert "as draft version 2; version 1 stays in force until the draft is published" in page
    existing.refresh_from_db()
    assert (existing.status, existing.published_version, existing.version) == ("published", 1, 2)
