"""The two lookups of a scope's set and tier policy: `in_force_for` (what scoring a segment
uses: its override, else its BU's default) and `for_scope` (exactly one scope)."""

import pytest

from evaluation.models import CriteriaSet, TierPolicy

YEAR = 2027
PUBLISHED = CriteriaSet.Status.PUBLISHED


def criteria_set(org, segment=None, year=YEAR, status=CriteriaSet.Status.DRAFT):
    unit = segment.business_unit if segment else org.bu1
    return CriteriaSet.objects.create(
        business_unit=unit, segment=segment, year=year, name="set", status=status
    )


@pytest.mark.django_db
class TestCriteriaSetInForceFor:
    def test_it_takes_the_segments_published_override(self, org):
        criteria_set(org, status=PUBLISHED)
        override = criteria_set(org, org.auto, status=PUBLISHED)
        assert CriteriaSet.objects.in_force_for(org.auto, YEAR) == override

    def test_it_falls_back_to_the_bus_published_default(self, org):
        default = criteria_set(org, status=PUBLISHED)
        criteria_set(org, org.auto)  # a draft override is not in force
        assert CriteriaSet.objects.in_force_for(org.auto, YEAR) == default
        assert CriteriaSet.objects.in_force_for(org.elec, YEAR) == default

    def test_a_locked_set_is_in_force(self, org):
        locked = criteria_set(org, org.auto, status=CriteriaSet.Status.LOCKED)
        assert CriteriaSet.objects.in_force_for(org.auto, YEAR) == locked

    def test_it_is_none_without_a_published_set_of_the_year(self, org):
        criteria_set(org)
        criteria_set(org, org.auto, year=YEAR - 1, status=PUBLISHED)
        assert CriteriaSet.objects.in_force_for(org.auto, YEAR) is None
        assert CriteriaSet.objects.in_force_for(org.chem, YEAR) is None  # another BU


@pytest.mark.django_db
class TestTierPolicyInForceFor:
    def test_it_takes_the_segments_policy_else_the_bus_default(self, org):
        default = TierPolicy.objects.create(business_unit=org.bu1, segment=None, year=YEAR)
        own = TierPolicy.objects.create(business_unit=org.bu1, segment=org.auto, year=YEAR)
        assert TierPolicy.objects.in_force_for(org.auto, YEAR) == own
        assert TierPolicy.objects.in_force_for(org.elec, YEAR) == default
        assert TierPolicy.objects.in_force_for(org.auto, YEAR + 1) is None


@pytest.mark.django_db
class TestForScope:
    def test_it_is_exactly_the_scope_with_no_falling_back(self, org):
        default = criteria_set(org, status=PUBLISHED)
        policy = TierPolicy.objects.create(business_unit=org.bu1, segment=None, year=YEAR)
        bu_scope = {"business_unit": org.bu1, "segment": None, "year": YEAR}
        auto_scope = bu_scope | {"segment": org.auto}
        assert list(CriteriaSet.objects.for_scope(**bu_scope)) == [default]
        assert list(TierPolicy.objects.for_scope(**bu_scope)) == [policy]
        assert not CriteriaSet.objects.for_scope(**auto_scope).exists()
        assert not TierPolicy.objects.for_scope(**auto_scope).exists()
        assert not CriteriaSet.objects.for_scope(**bu_scope | {"year": YEAR + 1}).exists()

    def test_it_chains(self, org):
        criteria_set(org)
        scope = {"business_unit": org.bu1, "segment": None, "year": YEAR}
        assert not CriteriaSet.objects.published().for_scope(**scope).exists()
