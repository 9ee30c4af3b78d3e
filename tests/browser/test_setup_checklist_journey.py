"""An administrator's home page in headless Chromium shows the set-up checklist with its
criteria step to do; once a criteria set is published (through the service), the reloaded page
shows that step done."""

import copy

import pytest
from playwright.sync_api import expect

from evaluation.criteria import services
from prioritizer import years
from tests.conftest import PASSWORD
from tests.evaluation.conftest import DESIGN_EXAMPLE
from tests.factories import (
    BusinessGroupFactory,
    BusinessUnitFactory,
    SegmentFactory,
    UserFactory,
    attribute_with_options,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def administrator():
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def draft_set(administrator):
    """One BG > BU > AUTO, and AUTO's criteria of the planning year, loaded as a draft."""
    unit = BusinessUnitFactory(code="BU1", business_group=BusinessGroupFactory(code="BG1"))
    SegmentFactory(code="AUTO", business_unit=unit)
    attribute_with_options("outsourcing_attitude", "open", "neutral", "closed")
    document = copy.deepcopy(DESIGN_EXAMPLE) | {"year": years.planning_year()}
    return services.criteria_set_load(document=document, by=administrator)


def test_the_checklist_turns_the_criteria_step_done_once_a_set_is_published(
    csp_violations, page, administrator, draft_set, log_in, live_server, screenshot
):
    log_in("root", PASSWORD)
    checklist = page.get_by_test_id("setup-checklist")
    expect(checklist).to_be_visible()
    expect(checklist).to_have_attribute("data-done", "false")
    expect(page.get_by_test_id("setup-step-1")).to_have_attribute("data-done", "true")
    criteria_step = page.get_by_test_id("setup-step-4")
    expect(criteria_step).to_have_attribute("data-done", "false")
    expect(criteria_step).to_contain_text("待办")
    expect(criteria_step.get_by_test_id("setup-missing")).to_contain_text("AUTO")
    screenshot("setup-checklist-criteria-to-do")

    services.criteria_set_publish(criteria_set=draft_set, by=administrator)
    page.reload()
    criteria_step = page.get_by_test_id("setup-step-4")
    expect(criteria_step).to_have_attribute("data-done", "true")
    expect(criteria_step).to_contain_text("已完成")
    expect(criteria_step.get_by_test_id("setup-missing")).to_have_count(0)
    screenshot("setup-checklist-criteria-done")
    assert csp_violations == []
