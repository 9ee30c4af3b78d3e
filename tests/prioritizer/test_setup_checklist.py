"""The administrator's set-up checklist (issue 14): every step to do on an empty database, each
turning done once its data exists, shown to superusers only."""

from django.conf import settings
from django.urls import reverse

from customers.preliminary.models import PreliminaryList
from evaluation.criteria.models import CriteriaSet
from organisation.models import Role
from prioritizer.setup_checklist import setup_checklist
from tests.factories import (
    BusinessGroupFactory,
    BusinessUnitFactory,
    CustomerFactory,
    CustomerYearFactory,
    RoleMembershipFactory,
    SegmentFactory,
    attribute_with_options,
)

YEAR = 2027  # the planning year these tests ask about; its facts year is 2026


def step(number: int, year: int = YEAR):
    return setup_checklist(year).steps[number - 1]


def published(business_unit, segment=None, year=YEAR, status=CriteriaSet.Status.PUBLISHED):
    return CriteriaSet.objects.create(
        year=year, business_unit=business_unit, segment=segment, name="set", status=status
    )


def test_on_an_empty_database_every_step_is_to_do(db):
    checklist = setup_checklist(YEAR)
    assert [s.done for s in checklist.steps] == [False] * 6
    assert not checklist.done


def test_every_step_says_what_is_missing_on_an_empty_database(db):
    assert all(s.missing for s in setup_checklist(YEAR).steps)


def test_the_facts_year_is_the_year_before_the_planning_year(db):
    assert setup_checklist(YEAR).facts_year == 2026


def test_the_checklist_reads_the_planning_year_by_default(db):
    from prioritizer import years

    assert setup_checklist().planning_year == years.planning_year()


def test_the_org_step_is_done_once_a_group_a_unit_and_a_segment_exist(org):
    org_step = step(1)
    assert org_step.done
    assert [f.number for f in org_step.counts] == [2, 4, 5]


def test_the_org_step_names_the_empty_level(db):
    BusinessUnitFactory()
    assert step(1).missing == ["尚无细分市场。"]


def test_the_people_step_is_done_once_every_bu_has_a_bu_vp(org):
    assert not step(2).done
    for unit in (org.bu1, org.bu2, org.bu3, org.bu4):
        RoleMembershipFactory(role=Role.BU_VP, business_unit=unit)
    people_step = step(2)
    assert people_step.done
    assert people_step.counts[0].number == 4


def test_the_people_step_lists_the_bus_without_a_bu_vp_and_segments_without_a_manager(org, people):
    people_step = step(2)
    assert people_step.missing == [f"{org.bu2} 没有BU营销副总。", f"{org.bu3} 没有BU营销副总。"]
    assert people_step.notes == [f"{org.retl} 没有细分市场经理：由其BU营销副总代行。"]
    assert people_step.counts[0].number == 11  # everyone but judy


def test_the_reference_step_is_done_once_an_attribute_has_options(db):
    attribute_with_options("outsourcing_attitude", "open", "neutral", "closed")
    reference_step = step(3)
    assert reference_step.done
    assert [f.number for f in reference_step.counts] == [1, 3]


def test_an_attribute_without_options_keeps_the_reference_step_to_do(db):
    attribute_with_options("outsourcing_attitude", "open")
    attribute_with_options("empty_one")
    assert len(step(3).missing) == 1


def test_the_criteria_step_is_done_once_every_bu_has_a_published_default(org):
    for unit in (org.bu1, org.bu2, org.bu3, org.bu4):
        published(unit)
    assert step(4).done


def test_a_segment_override_counts_for_its_segment_only(org):
    for unit in (org.bu2, org.bu3, org.bu4):
        published(unit)
    published(org.bu1, org.auto)
    criteria_step = step(4)
    assert len(criteria_step.missing) == 1 and criteria_step.missing[0].startswith("ELEC")
    assert criteria_step.counts[0].number == 4


def test_a_draft_or_another_years_set_does_not_count(org):
    published(org.bu1, status=CriteriaSet.Status.DRAFT)
    published(org.bu2, year=YEAR - 1)
    assert step(4).counts[0].number == 0


def test_a_locked_set_counts_as_in_force(org):
    for unit in (org.bu1, org.bu2, org.bu3, org.bu4):
        published(unit, status=CriteriaSet.Status.LOCKED)
    assert step(4).done


def test_the_customers_step_is_done_once_every_bu_has_customers_with_facts_of_the_year(org):
    for unit in (org.bu1, org.bu2, org.bu3):
        CustomerYearFactory(customer=CustomerFactory(business_unit=unit), year=2026)
    CustomerYearFactory(customer=CustomerFactory(business_unit=org.bu4), year=2025)
    customers_step = step(5)
    assert customers_step.missing == [f"{org.bu4} 没有 2026 年数据的客户。"]
    units_with_customers = customers_step.counts[1]
    assert (units_with_customers.number, units_with_customers.out_of) == (3, 4)
    CustomerYearFactory(customer=CustomerFactory(business_unit=org.bu4), year=2026)
    assert step(5).done
    assert step(5).counts[0].number == 4


def test_the_preliminary_step_is_done_once_every_segment_has_a_list_for_the_year(org):
    for segment in (org.auto, org.elec, org.chem, org.bank):
        PreliminaryList.objects.create(segment=segment, year=YEAR)
    PreliminaryList.objects.create(segment=org.retl, year=YEAR - 1)
    assert step(6).missing == [f"{org.retl} 没有初步客户名单。"]
    assert (step(6).counts[0].number, step(6).counts[0].out_of) == (4, 5)
    PreliminaryList.objects.create(segment=org.retl, year=YEAR)
    assert step(6).done


def test_a_long_missing_list_shows_ten_and_counts_the_rest(db):
    unit = BusinessUnitFactory(business_group=BusinessGroupFactory())
    for n in range(13):
        SegmentFactory(code=f"S{n:02}", business_unit=unit)
    assert len(step(6).missing_shown) == 10
    assert step(6).missing_more == 3


def test_the_whole_list_is_done_when_every_step_is(org):
    attribute_with_options("outsourcing_attitude", "open")
    for unit in (org.bu1, org.bu2, org.bu3, org.bu4):
        RoleMembershipFactory(role=Role.BU_VP, business_unit=unit)
        published(unit)
        CustomerYearFactory(customer=CustomerFactory(business_unit=unit), year=2026)
    for segment in (org.auto, org.elec, org.chem, org.bank, org.retl):
        PreliminaryList.objects.create(segment=segment, year=YEAR)
    assert setup_checklist(YEAR).done


def test_the_checklist_takes_a_handful_of_queries_whatever_the_org_size(
    org, django_assert_max_num_queries
):
    for n in range(30):
        SegmentFactory(code=f"X{n:02}", business_unit=org.bu1)
    with django_assert_max_num_queries(8):
        setup_checklist(YEAR)


def test_a_superuser_sees_the_checklist_on_the_home_page(client_for, admin_user):
    page = client_for(admin_user).get(reverse("home")).content.decode()
    assert 'data-testid="setup-checklist"' in page
    assert "从空白安装到" in page and "待办" in page
    assert "0 / 0" in page


def test_a_superuser_sees_the_checklist_in_english(client_for, admin_user):
    client = client_for(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("home")).content.decode()
    assert "from an empty installation to the first ranking" in page
    assert "0 of 0" in page
    assert "To do" in page and "No market segments yet." in page


def test_a_bu_vps_home_page_has_no_checklist(people, client_for):
    response = client_for(people.bob).get(reverse("home"))
    assert response.context["checklist"] is None
    assert 'data-testid="setup-checklist"' not in response.content.decode()


def test_a_user_without_a_role_sees_no_checklist(people, client_for):
    page = client_for(people.judy).get(reverse("home")).content.decode()
    assert 'data-testid="setup-checklist"' not in page
