"""The reads the preliminary lists' pages use, one behaviour a test."""

from customers.models import PreliminaryList


def test_with_org_loads_the_segment_bu_and_bg_in_one_query(org, django_assert_num_queries):
    PreliminaryList.objects.create(segment=org.auto, year=2027)
    with django_assert_num_queries(1):
        [found] = PreliminaryList.objects.with_org()
        assert found.segment.business_unit.business_group.code == "BG1"


def test_of_year_keeps_the_lists_of_that_planning_year(org):
    PreliminaryList.objects.create(segment=org.auto, year=2026)
    wanted = PreliminaryList.objects.create(segment=org.auto, year=2027)
    assert list(PreliminaryList.objects.of_year(2027)) == [wanted]


def test_with_responsible_loads_the_responsible_person(org, people, django_assert_num_queries):
    PreliminaryList.objects.create(segment=org.auto, year=2027, responsible=people.alice)
    with django_assert_num_queries(1):
        [found] = PreliminaryList.objects.with_responsible()
        assert found.responsible.username == "alice"


def test_year_numbers_are_the_planning_years_that_have_a_list(org):
    PreliminaryList.objects.create(segment=org.auto, year=2026)
    PreliminaryList.objects.create(segment=org.elec, year=2026)
    PreliminaryList.objects.create(segment=org.auto, year=2027)
    assert PreliminaryList.objects.year_numbers() == {2026, 2027}
