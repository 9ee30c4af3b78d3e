"""Preliminary annual lists (2.3.2): the services, their refusals, progress and home-page items."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import override

from customers import preliminary
from customers.models import (
    Contact,
    Customer,
    CustomerYear,
    Nomination,
    PreliminaryList,
    ResearcherNudge,
)
from customers.preliminary.demo import seed_preliminary_lists
from customers.waiting import lists_to_manage, nominations_to_complete, quotas_to_decide
from organisation.models import Notification, Role
from tests.factories import CustomerFactory, RoleMembershipFactory, UserFactory

THIS_YEAR = timezone.localdate().year
NEXT_YEAR = THIS_YEAR + 1
FACTS_YEAR = NEXT_YEAR - 1
VALID_CODE = "91350100M000100Y43"


@pytest.fixture
def auto_list(org):
    return PreliminaryList.objects.create(segment=org.auto, year=NEXT_YEAR)


@pytest.fixture
def retl_list(org):
    return PreliminaryList.objects.create(segment=org.retl, year=NEXT_YEAR)


@pytest.fixture
def bu1_customer(org):
    return CustomerFactory(name_zh="艾克美汽车零部件", business_unit=org.bu1, segments=[org.auto])


@pytest.fixture
def bu2_researcher(org):
    user = UserFactory(username="rita")
    RoleMembershipFactory(user=user, role=Role.RESEARCHER, business_unit=org.bu2)
    return user


def nominate(preliminary_list, people, **kwargs):
    customer = CustomerFactory(business_unit=preliminary_list.segment.business_unit, **kwargs)
    return preliminary.nomination_add(
        preliminary_list=preliminary_list, customer=customer, by=people.alice
    )


def fill_preliminary_form(customer, year=FACTS_YEAR, completeness=40):
    customer.region = "east"
    customer.industry = "manufacturing"
    customer.save()
    CustomerYear.objects.update_or_create(
        customer=customer,
        year=year,
        defaults={"revenue": 1_000_000, "employees": 250, "completeness": completeness},
    )


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


class TestOpeningAList:
    def test_a_segment_manager_starts_next_years_list(self, people, org):
        preliminary_list = preliminary.preliminary_list_open(
            segment=org.auto, year=NEXT_YEAR, by=people.alice
        )
        assert (preliminary_list.segment, preliminary_list.year) == (org.auto, NEXT_YEAR)

    def test_the_bu_vp_may_start_a_list_of_its_segments(self, people, org):
        assert preliminary.preliminary_list_open(segment=org.elec, year=THIS_YEAR, by=people.bob)

    def test_the_bu_vp_standing_in_starts_a_list(self, people, org):
        assert preliminary.preliminary_list_open(segment=org.retl, year=NEXT_YEAR, by=people.heidi)

    def test_opening_an_existing_list_returns_it(self, people, auto_list, org):
        again = preliminary.preliminary_list_open(segment=org.auto, year=NEXT_YEAR, by=people.alice)
        assert again.pk == auto_list.pk and PreliminaryList.objects.count() == 1

    @pytest.mark.parametrize("year", [THIS_YEAR - 1, THIS_YEAR + 2, 1990, 9999])
    def test_a_year_outside_this_and_next_year_is_refused(self, people, org, year):
        with override("en"), pytest.raises(ValidationError) as caught:
            preliminary.preliminary_list_open(segment=org.auto, year=year, by=people.alice)
        assert f"{THIS_YEAR} or {NEXT_YEAR}" in messages_of(caught.value)
        assert not PreliminaryList.objects.exists()

    @pytest.mark.parametrize("who", ["eve", "grace", "dave", "erin", "frank", "carol", "judy"])
    def test_others_may_not_start_a_segments_list(self, people, org, who):
        with pytest.raises(PermissionDenied):
            preliminary.preliminary_list_open(
                segment=org.auto, year=NEXT_YEAR, by=getattr(people, who)
            )
        assert not PreliminaryList.objects.exists()


class TestQuota:
    def test_the_segment_manager_proposes_a_quota(self, people, auto_list):
        preliminary.preliminary_list_propose_quota(
            preliminary_list=auto_list, proposed_quota=40, by=people.alice
        )
        auto_list.refresh_from_db()
        assert auto_list.proposed_quota == 40 and auto_list.quota is None

    def test_the_bu_vp_proposes_for_a_segment_without_a_manager(self, people, retl_list):
        preliminary.preliminary_list_propose_quota(
            preliminary_list=retl_list, proposed_quota="12", by=people.heidi
        )
        retl_list.refresh_from_db()
        assert retl_list.proposed_quota == 12

    @pytest.mark.parametrize("who", ["bob", "eve", "erin", "dave", "carol", "heidi"])
    def test_others_may_not_propose_a_quota(self, people, auto_list, who):
        with pytest.raises(PermissionDenied):
            preliminary.preliminary_list_propose_quota(
                preliminary_list=auto_list, proposed_quota=5, by=getattr(people, who)
            )

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            (-1, "cannot be negative"),
            ("-3", "cannot be negative"),
            ("abc", "whole number"),
            ("1.5", "whole number"),
            (10**9, "cannot be more than"),
        ],
    )
    def test_a_bad_proposed_quota_is_refused_and_nothing_saved(
        self, people, auto_list, value, message
    ):
        with override("en"), pytest.raises(ValidationError) as caught:
            preliminary.preliminary_list_propose_quota(
                preliminary_list=auto_list, proposed_quota=value, by=people.alice
            )
        assert message in messages_of(caught.value)
        auto_list.refresh_from_db()
        assert auto_list.proposed_quota is None

    def test_the_bu_vp_sets_the_quota_and_the_segment_manager_is_told(self, people, auto_list):
        preliminary.preliminary_list_set_quota(preliminary_list=auto_list, quota=30, by=people.bob)
        auto_list.refresh_from_db()
        assert auto_list.quota == 30
        notice = Notification.objects.get(recipient=people.alice)
        assert notice.url == auto_list.get_absolute_url() and "30" in notice.text

    @pytest.mark.parametrize("who", ["alice", "heidi", "carol", "erin"])
    def test_only_the_bus_vp_sets_the_quota(self, people, auto_list, who):
        with pytest.raises(PermissionDenied):
            preliminary.preliminary_list_set_quota(
                preliminary_list=auto_list, quota=30, by=getattr(people, who)
            )

    def test_a_negative_quota_is_refused(self, people, auto_list):
        with override("en"), pytest.raises(ValidationError, match="negative"):
            preliminary.preliminary_list_set_quota(
                preliminary_list=auto_list, quota=-5, by=people.bob
            )
        auto_list.refresh_from_db()
        assert auto_list.quota is None


class TestNominating:
    def test_a_customer_of_the_bu_is_nominated_and_joins_the_segment(self, people, org, auto_list):
        customer = CustomerFactory(business_unit=org.bu1)
        nomination = preliminary.nomination_add(
            preliminary_list=auto_list, customer=customer, by=people.alice
        )
        assert nomination.nominated_by == people.alice
        assert org.auto in customer.segments.all()

    def test_a_customer_of_another_bu_is_refused(self, people, org, auto_list):
        customer = CustomerFactory(name_zh="化工客户", business_unit=org.bu2)
        with override("en"), pytest.raises(ValidationError) as caught:
            preliminary.nomination_add(
                preliminary_list=auto_list, customer=customer, by=people.alice
            )
        assert "not in" in messages_of(caught.value)
        assert "化工客户" not in messages_of(caught.value)
        assert not Nomination.objects.exists() and not customer.segments.exists()

    def test_nominating_a_customer_twice_is_refused(self, people, auto_list, bu1_customer):
        preliminary.nomination_add(
            preliminary_list=auto_list, customer=bu1_customer, by=people.alice
        )
        with override("en"), pytest.raises(ValidationError, match="already on this list"):
            preliminary.nomination_add(
                preliminary_list=auto_list, customer=bu1_customer, by=people.alice
            )
        assert Nomination.objects.count() == 1

    def test_an_archived_customer_is_refused(self, people, auto_list, bu1_customer):
        bu1_customer.archived_at = timezone.now()
        bu1_customer.save()
        with override("en"), pytest.raises(ValidationError, match="archived"):
            preliminary.nomination_add(
                preliminary_list=auto_list, customer=bu1_customer, by=people.alice
            )
        assert not Nomination.objects.exists()

    @pytest.mark.parametrize("who", ["eve", "grace", "erin", "dave", "bob", "carol", "judy"])
    def test_others_may_not_nominate(self, people, auto_list, bu1_customer, who):
        with pytest.raises(PermissionDenied):
            preliminary.nomination_add(
                preliminary_list=auto_list, customer=bu1_customer, by=getattr(people, who)
            )

    def test_the_bu_vp_standing_in_nominates(self, people, org, retl_list):
        customer = CustomerFactory(business_unit=org.bu4)
        assert preliminary.nomination_add(
            preliminary_list=retl_list, customer=customer, by=people.heidi
        )

    def test_a_new_customer_is_created_in_the_segments_bu_and_segment(self, people, org, auto_list):
        nomination = preliminary.nomination_add_new_customer(
            preliminary_list=auto_list,
            name_zh=" 新星汽车电子 ",
            credit_code=VALID_CODE.lower(),
            by=people.alice,
        )
        customer = nomination.customer
        assert customer.name_zh == "新星汽车电子" and customer.credit_code == VALID_CODE
        assert customer.business_unit == org.bu1
        assert list(customer.segments.all()) == [org.auto]

    def test_a_new_customer_needs_a_chinese_name(self, people, auto_list):
        with override("en"), pytest.raises(ValidationError, match="Chinese name"):
            preliminary.nomination_add_new_customer(
                preliminary_list=auto_list, name_zh="  ", by=people.alice
            )
        assert not Customer.objects.exists()

    def test_a_new_customer_with_a_bad_credit_code_writes_nothing(self, people, auto_list):
        with pytest.raises(ValidationError):
            preliminary.nomination_add_new_customer(
                preliminary_list=auto_list,
                name_zh="新星",
                credit_code="91350100M000100Y44",
                by=people.alice,
            )
        assert not Customer.objects.exists() and not Nomination.objects.exists()

    def test_a_new_customer_with_a_known_credit_code_is_refused(self, people, org, auto_list):
        CustomerFactory(business_unit=org.bu2, credit_code=VALID_CODE)
        with override("en"), pytest.raises(ValidationError, match="already exists"):
            preliminary.nomination_add_new_customer(
                preliminary_list=auto_list, name_zh="新星", credit_code=VALID_CODE, by=people.alice
            )
        assert Customer.objects.count() == 1

    def test_a_new_customer_named_like_one_of_the_bu_is_refused(
        self, people, auto_list, bu1_customer
    ):
        with override("en"), pytest.raises(ValidationError, match="search for it"):
            preliminary.nomination_add_new_customer(
                preliminary_list=auto_list, name_zh=bu1_customer.name_zh, by=people.alice
            )
        assert Customer.objects.count() == 1

    def test_a_new_customer_may_not_be_created_by_a_researcher(self, people, auto_list):
        with pytest.raises(PermissionDenied):
            preliminary.nomination_add_new_customer(
                preliminary_list=auto_list, name_zh="新星", by=people.erin
            )
        assert not Customer.objects.exists()

    def test_removing_a_nomination_keeps_the_customer(self, people, auto_list, bu1_customer):
        nomination = preliminary.nomination_add(
            preliminary_list=auto_list, customer=bu1_customer, by=people.alice
        )
        preliminary.nomination_remove(nomination=nomination, by=people.alice)
        assert not Nomination.objects.exists() and Customer.objects.filter(pk=bu1_customer.pk)

    def test_search_finds_the_bus_customers_by_name_or_code_not_yet_nominated(
        self, people, org, auto_list
    ):
        wanted = CustomerFactory(
            name_zh="华东精密",
            name_en="East Precision",
            credit_code=VALID_CODE,
            business_unit=org.bu1,
        )
        CustomerFactory(name_zh="华东化工", business_unit=org.bu2)
        archived = CustomerFactory(name_zh="华东旧厂", business_unit=org.bu1)
        archived.archived_at = timezone.now()
        archived.save()
        for query in ("华东", "precision", VALID_CODE.lower()):
            assert list(preliminary.nomination_candidates(auto_list, query)) == [wanted]
        preliminary.nomination_add(preliminary_list=auto_list, customer=wanted, by=people.alice)
        assert not preliminary.nomination_candidates(auto_list, "华东")


class TestAssigningResearchers:
    def test_one_nomination_is_assigned_and_the_researcher_told(self, people, auto_list):
        nomination = nominate(auto_list, people)
        count = preliminary.nominations_assign_researcher(
            preliminary_list=auto_list,
            nominations=[nomination],
            researcher=people.erin,
            by=people.alice,
        )
        nomination.refresh_from_db()
        assert count == 1 and nomination.researcher == people.erin
        assert Notification.objects.filter(recipient=people.erin).count() == 1

    def test_many_nominations_are_assigned_at_once(self, people, auto_list):
        nominations = [nominate(auto_list, people) for _ in range(3)]
        preliminary.nominations_assign_researcher(
            preliminary_list=auto_list,
            nominations=[n.pk for n in nominations],
            researcher=people.erin,
            by=people.alice,
        )
        assert auto_list.nominations.filter(researcher=people.erin).count() == 3
        assert Notification.objects.filter(recipient=people.erin).count() == 1

    def test_a_nomination_is_unassigned_with_nobody(self, people, auto_list):
        nomination = nominate(auto_list, people)
        nomination.researcher = people.erin
        nomination.save()
        preliminary.nominations_assign_researcher(
            preliminary_list=auto_list, nominations=[nomination], researcher=None, by=people.alice
        )
        nomination.refresh_from_db()
        assert nomination.researcher is None

    @pytest.mark.parametrize("who", ["dave", "frank", "bob", "judy"])
    def test_a_non_researcher_is_refused(self, people, auto_list, who):
        nomination = nominate(auto_list, people)
        with override("en"), pytest.raises(ValidationError, match="not a researcher"):
            preliminary.nominations_assign_researcher(
                preliminary_list=auto_list,
                nominations=[nomination],
                researcher=getattr(people, who),
                by=people.alice,
            )
        nomination.refresh_from_db()
        assert nomination.researcher is None

    def test_a_researcher_of_another_bu_is_refused(self, people, auto_list, bu2_researcher):
        nomination = nominate(auto_list, people)
        with override("en"), pytest.raises(ValidationError, match="not a researcher of"):
            preliminary.nominations_assign_researcher(
                preliminary_list=auto_list,
                nominations=[nomination],
                researcher=bu2_researcher,
                by=people.alice,
            )
        assert not Notification.objects.exists()

    def test_a_nomination_of_another_list_is_refused(self, people, org, auto_list):
        elec_list = PreliminaryList.objects.create(segment=org.elec, year=NEXT_YEAR)
        foreign = preliminary.nomination_add(
            preliminary_list=elec_list,
            customer=CustomerFactory(business_unit=org.bu1),
            by=people.eve,
        )
        with pytest.raises(ValidationError):
            preliminary.nominations_assign_researcher(
                preliminary_list=auto_list,
                nominations=[foreign],
                researcher=people.erin,
                by=people.alice,
            )
        foreign.refresh_from_db()
        assert foreign.researcher is None

    @pytest.mark.parametrize("who", ["erin", "eve", "dave"])
    def test_others_may_not_assign(self, people, auto_list, who):
        nomination = nominate(auto_list, people)
        with pytest.raises(PermissionDenied):
            preliminary.nominations_assign_researcher(
                preliminary_list=auto_list,
                nominations=[nomination],
                researcher=people.erin,
                by=getattr(people, who),
            )


class TestResponsible:
    def test_the_segment_manager_names_a_researcher_who_is_told(self, people, auto_list):
        preliminary.preliminary_list_set_responsible(
            preliminary_list=auto_list, responsible=people.erin, by=people.alice
        )
        auto_list.refresh_from_db()
        assert auto_list.responsible == people.erin
        assert Notification.objects.get(recipient=people.erin).url == auto_list.get_absolute_url()

    def test_the_bu_vp_may_name_the_responsible_person(self, people, auto_list):
        preliminary.preliminary_list_set_responsible(
            preliminary_list=auto_list, responsible=people.alice, by=people.bob
        )
        auto_list.refresh_from_db()
        assert auto_list.responsible == people.alice

    @pytest.mark.parametrize("who", ["judy", "eve", "grace", "carol"])
    def test_someone_not_working_on_the_segment_is_refused(self, people, auto_list, who):
        with pytest.raises(ValidationError):
            preliminary.preliminary_list_set_responsible(
                preliminary_list=auto_list, responsible=getattr(people, who), by=people.alice
            )
        auto_list.refresh_from_db()
        assert auto_list.responsible is None

    @pytest.mark.parametrize("who", ["erin", "dave", "eve"])
    def test_others_may_not_name_the_responsible_person(self, people, auto_list, who):
        with pytest.raises(PermissionDenied):
            preliminary.preliminary_list_set_responsible(
                preliminary_list=auto_list, responsible=people.erin, by=getattr(people, who)
            )


class TestNudging:
    @pytest.fixture
    def assigned(self, people, auto_list):
        nomination = nominate(auto_list, people)
        nomination.researcher = people.erin
        nomination.save()
        return nomination

    def test_a_nudge_notifies_the_researcher_with_a_link(self, people, auto_list, assigned):
        preliminary.researcher_nudge(
            preliminary_list=auto_list, researcher=people.erin, by=people.alice
        )
        notice = Notification.objects.get(recipient=people.erin)
        assert notice.url == auto_list.get_absolute_url() and notice.sender == people.alice
        assert ResearcherNudge.objects.filter(researcher=people.erin).count() == 1

    def test_a_second_nudge_within_a_day_is_refused(self, people, auto_list, assigned):
        preliminary.researcher_nudge(
            preliminary_list=auto_list, researcher=people.erin, by=people.alice
        )
        with override("en"), pytest.raises(ValidationError, match="last 24 hours"):
            preliminary.researcher_nudge(
                preliminary_list=auto_list, researcher=people.erin, by=people.alice
            )
        assert Notification.objects.filter(recipient=people.erin).count() == 1

    def test_a_nudge_is_allowed_again_after_a_day(self, people, auto_list, assigned):
        first = preliminary.researcher_nudge(
            preliminary_list=auto_list, researcher=people.erin, by=people.alice
        )
        ResearcherNudge.objects.filter(pk=first.pk).update(
            sent_at=timezone.now() - timedelta(hours=25)
        )
        preliminary.researcher_nudge(
            preliminary_list=auto_list, researcher=people.erin, by=people.alice
        )
        assert Notification.objects.filter(recipient=people.erin).count() == 2

    def test_the_same_researcher_may_be_nudged_about_another_list(
        self, people, org, auto_list, assigned
    ):
        elec_list = PreliminaryList.objects.create(segment=org.elec, year=NEXT_YEAR)
        other = preliminary.nomination_add(
            preliminary_list=elec_list,
            customer=CustomerFactory(business_unit=org.bu1),
            by=people.eve,
        )
        other.researcher = people.erin
        other.save()
        preliminary.researcher_nudge(
            preliminary_list=auto_list, researcher=people.erin, by=people.alice
        )
        preliminary.researcher_nudge(
            preliminary_list=elec_list, researcher=people.erin, by=people.eve
        )
        assert Notification.objects.filter(recipient=people.erin).count() == 2

    def test_nothing_to_nudge_about_is_refused(self, people, auto_list, assigned):
        CustomerYear.objects.create(customer=assigned.customer, year=FACTS_YEAR, completeness=100)
        with override("en"), pytest.raises(ValidationError, match="no incomplete"):
            preliminary.researcher_nudge(
                preliminary_list=auto_list, researcher=people.erin, by=people.alice
            )
        assert not ResearcherNudge.objects.exists()

    @pytest.mark.parametrize("who", ["eve", "erin", "dave", "carol"])
    def test_others_may_not_nudge(self, people, auto_list, assigned, who):
        with pytest.raises(PermissionDenied):
            preliminary.researcher_nudge(
                preliminary_list=auto_list, researcher=people.erin, by=getattr(people, who)
            )
        assert not Notification.objects.exists()


class TestProgress:
    def test_it_counts_collected_preliminary_and_fully_complete_for_the_facts_year(
        self, people, auto_list
    ):
        auto_list.quota = 10
        auto_list.save()
        complete, preliminary_only, empty, last_year_only = (
            nominate(auto_list, people) for _ in range(4)
        )
        fill_preliminary_form(complete.customer, completeness=100)
        fill_preliminary_form(preliminary_only.customer, completeness=40)
        fill_preliminary_form(last_year_only.customer, year=FACTS_YEAR - 1, completeness=100)
        progress = preliminary.preliminary_list_progress(auto_list)
        assert (progress.collected, progress.quota) == (4, 10)
        assert progress.preliminary_complete == 2
        assert progress.fully_complete == 1
        assert progress.unassigned == 4

    def test_the_bar_measures_against_the_quota(self):
        progress = preliminary.Progress(
            quota=10,
            proposed_quota=12,
            collected=6,
            preliminary_complete=4,
            fully_complete=1,
            unassigned=0,
        )
        assert progress.bar == {"full": 10, "preliminary_only": 30, "collected_only": 20}

    def test_the_bar_never_exceeds_the_whole_when_over_quota(self):
        progress = preliminary.Progress(
            quota=2,
            proposed_quota=None,
            collected=5,
            preliminary_complete=5,
            fully_complete=5,
            unassigned=0,
        )
        assert sum(progress.bar.values()) == 100 and progress.over_quota

    def test_without_a_quota_the_proposal_is_the_target(self):
        progress = preliminary.Progress(
            quota=None,
            proposed_quota=20,
            collected=5,
            preliminary_complete=0,
            fully_complete=0,
            unassigned=5,
        )
        assert progress.collected_percent == 25

    def test_each_row_lists_the_missing_fields(self, people, auto_list):
        nomination = nominate(auto_list, people)
        fill_preliminary_form(nomination.customer)
        Contact.objects.create(
            customer=nomination.customer,
            name="王总",
            buying_role="decision_maker",
            is_key_decision_maker=True,
        )
        [row] = preliminary.nomination_rows(auto_list)
        assert row.preliminary_complete and not row.complete
        assert "profit" in row.missing and "key_decision_maker" not in row.missing
        assert "region" not in row.missing

    def test_a_row_without_facts_misses_the_preliminary_form(self, people, auto_list):
        nominate(auto_list, people)
        [row] = preliminary.nomination_rows(auto_list)
        assert row.preliminary_missing == ("region", "industry", "revenue", "employees")
        assert row.completeness == 0

    def test_missing_fields_are_labelled_in_the_active_language(self, people, auto_list):
        nominate(auto_list, people)
        with override("en"):
            [row] = preliminary.nomination_rows(auto_list)
        assert "revenue (CNY)" in row.missing_labels


class TestWaitingItems:
    def test_a_researcher_sees_lists_with_incomplete_assignments(self, people, auto_list):
        nomination = nominate(auto_list, people)
        nomination.researcher = people.erin
        nomination.save()
        [item] = nominations_to_complete(people.erin)
        assert item.url.startswith(auto_list.get_absolute_url())

    def test_a_researcher_whose_assignments_are_complete_sees_nothing(self, people, auto_list):
        nomination = nominate(auto_list, people)
        nomination.researcher = people.erin
        nomination.save()
        CustomerYear.objects.create(customer=nomination.customer, year=FACTS_YEAR, completeness=100)
        assert nominations_to_complete(people.erin) == []

    def test_an_old_lists_incomplete_assignments_are_not_shown(self, people, org):
        old = PreliminaryList.objects.create(segment=org.auto, year=THIS_YEAR - 2)
        Nomination.objects.create(
            preliminary_list=old,
            customer=CustomerFactory(business_unit=org.bu1),
            researcher=people.erin,
        )
        assert nominations_to_complete(people.erin) == []

    def test_the_segment_manager_is_asked_for_a_quota_and_researchers(self, people, auto_list):
        nominate(auto_list, people)
        texts = [item.text for item in lists_to_manage(people.alice)]
        assert len(texts) == 2
        assert lists_to_manage(people.eve) == []

    def test_the_bu_vp_is_asked_to_decide_a_proposed_quota(self, people, auto_list):
        auto_list.proposed_quota = 25
        auto_list.save()
        [item] = quotas_to_decide(people.bob)
        assert "25" in item.text and item.url == auto_list.get_absolute_url()
        assert quotas_to_decide(people.heidi) == []
        assert quotas_to_decide(people.alice) == []

    def test_a_decided_quota_no_longer_waits(self, people, auto_list):
        auto_list.proposed_quota = 25
        auto_list.quota = 20
        auto_list.save()
        assert quotas_to_decide(people.bob) == []


class TestDemoSeed:
    def test_it_fills_every_segment_part_way_with_the_bus_researcher(self, people, org):
        for _ in range(12):
            CustomerFactory(business_unit=org.bu1, segments=[org.auto])
        assert seed_preliminary_lists(NEXT_YEAR) == 5
        auto_list = PreliminaryList.objects.get(segment=org.auto, year=NEXT_YEAR)
        collected = auto_list.nominations.count()
        assert 0 < collected < auto_list.quota <= auto_list.proposed_quota
        assert set(auto_list.nominations.values_list("researcher", flat=True)) == {people.erin.pk}

    def test_it_is_idempotent(self, people, org):
        CustomerFactory(business_unit=org.bu1, segments=[org.auto])
        seed_preliminary_lists(NEXT_YEAR)
        nominations = Nomination.objects.count()
        assert seed_preliminary_lists(NEXT_YEAR) == 0
        assert Nomination.objects.count() == nominations
        assert PreliminaryList.objects.count() == 5
