"""Segment reads used across the apps' pages, one behaviour a test."""

from organisation.models import BusinessUnit, Role, RoleMembership, Segment


def test_in_org_order_sorts_by_bu_code_then_segment_code(org):
    codes = [s.code for s in Segment.objects.in_org_order()]
    assert codes == ["AUTO", "ELEC", "CHEM", "BANK", "RETL"]


def test_other_than_leaves_out_the_given_segment(org):
    assert org.auto not in Segment.objects.other_than(org.auto.pk)
    assert Segment.objects.other_than(org.auto.pk).count() == 4


def test_in_unit_keeps_the_segments_of_that_bu(org):
    assert list(Segment.objects.in_unit(org.bu1)) == [org.auto, org.elec]


def test_in_group_keeps_the_bus_of_that_bg(org):
    assert list(BusinessUnit.objects.in_group(org.bg2)) == [org.bu3, org.bu4]


def test_held_over_a_bu_is_the_roles_held_over_that_bu_only_by_role(people, org):
    held = RoleMembership.objects.held_over(org.bu1)
    assert [(m.role, m.user.username) for m in held] == [
        (Role.ACCOUNT_MANAGER, "dave"),
        (Role.BU_VP, "bob"),
        (Role.EXTERNAL_RELATIONS, "frank"),
        (Role.RESEARCHER, "erin"),
    ]


def test_held_over_a_segment_is_its_segment_roles(people, org):
    assert [m.user.username for m in RoleMembership.objects.held_over(org.auto)] == ["alice"]


def test_held_over_a_bg_is_its_bg_roles(people, org):
    assert [m.user.username for m in RoleMembership.objects.held_over(org.bg1)] == ["carol"]


def test_with_group_loads_the_bu_s_bg_in_the_same_query(org, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert BusinessUnit.objects.with_group().get(pk=org.bu3.pk).business_group.code == "BG2"
