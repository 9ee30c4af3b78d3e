"""Preliminary annual lists (2.3.2): the pages, who may use them, and what bad input gets."""

from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer, CustomerYear, Nomination, PreliminaryList, ResearcherNudge
from organisation.models import Notification, Role
from tests.factories import CustomerFactory, RoleMembershipFactory, UserFactory

THIS_YEAR = timezone.localdate().year
NEXT_YEAR = THIS_YEAR + 1
FACTS_YEAR = NEXT_YEAR - 1


@pytest.fixture
def auto_list(org):
    return PreliminaryList.objects.create(segment=org.auto, year=NEXT_YEAR)


@pytest.fixture
def parts_maker(org):
    return CustomerFactory(
        name_zh="宁波精工汽配", name_en="Ningbo Precision Parts", business_unit=org.bu1
    )


@pytest.fixture
def nomination(people, auto_list, parts_maker):
    return Nomination.objects.create(
        preliminary_list=auto_list, customer=parts_maker, nominated_by=people.alice
    )


@pytest.fixture
def bu2_researcher(org):
    user = UserFactory(username="rita")
    RoleMembershipFactory(user=user, role=Role.RESEARCHER, business_unit=org.bu2)
    return user


def url(name, preliminary_list, *extra):
    return reverse(
        f"customers:{name}", args=[preliminary_list.segment.code, preliminary_list.year, *extra]
    )


def english(client):
    client.cookies["django_language"] = "en"
    return client


class TestIndex:
    def test_a_segment_manager_sees_only_its_segment(self, people, client_for, auto_list):
        page = client_for(people.alice).get(
            reverse("customers:preliminary-list-index"), {"year": NEXT_YEAR}
        )
        content = page.content.decode()
        assert auto_list.get_absolute_url() in content and "ELEC" not in content

    def test_the_bu_vp_sees_every_segment_of_the_bu_with_a_start_button(
        self, people, client_for, auto_list
    ):
        content = (
            client_for(people.bob)
            .get(reverse("customers:preliminary-list-index"), {"year": NEXT_YEAR})
            .content.decode()
        )
        assert auto_list.get_absolute_url() in content and 'data-testid="start-ELEC"' in content
        assert "CHEM" not in content

    def test_a_researcher_sees_the_lists_but_cannot_start_one(self, people, client_for, auto_list):
        content = (
            client_for(people.erin)
            .get(reverse("customers:preliminary-list-index"), {"year": NEXT_YEAR})
            .content.decode()
        )
        assert auto_list.get_absolute_url() in content and "start-ELEC" not in content

    def test_a_user_without_a_role_is_refused(self, people, client_for):
        assert (
            client_for(people.judy).get(reverse("customers:preliminary-list-index")).status_code
            == 403
        )

    def test_a_bad_year_parameter_falls_back_to_the_planning_year(self, people, client_for):
        response = client_for(people.alice).get(
            reverse("customers:preliminary-list-index"), {"year": "x"}
        )
        assert response.status_code == 200

    def test_starting_a_list_opens_it(self, people, client_for, org):
        response = client_for(people.alice).post(
            reverse("customers:preliminary-list-start"), {"segment": "AUTO", "year": NEXT_YEAR}
        )
        preliminary_list = PreliminaryList.objects.get(segment=org.auto, year=NEXT_YEAR)
        assert response.url == preliminary_list.get_absolute_url()

    def test_starting_a_list_far_in_the_future_is_refused_with_a_message(self, people, client_for):
        client = english(client_for(people.alice))
        response = client.post(
            reverse("customers:preliminary-list-start"),
            {"segment": "AUTO", "year": NEXT_YEAR + 5},
            follow=True,
        )
        assert f"only be started for {THIS_YEAR} or {NEXT_YEAR}" in response.content.decode()
        assert not PreliminaryList.objects.exists()

    @pytest.mark.parametrize("who", ["eve", "grace", "erin", "dave"])
    def test_others_may_not_start_a_segments_list(self, people, client_for, who):
        response = client_for(getattr(people, who)).post(
            reverse("customers:preliminary-list-start"), {"segment": "AUTO", "year": NEXT_YEAR}
        )
        assert response.status_code == 403 and not PreliminaryList.objects.exists()


class TestDetailAccess:
    @pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "erin", "frank"])
    def test_people_of_the_segments_bu_and_above_may_read_it(
        self, people, client_for, auto_list, who
    ):
        assert client_for(getattr(people, who)).get(auto_list.get_absolute_url()).status_code == 200

    @pytest.mark.parametrize("who", ["eve", "grace", "oscar", "heidi", "ivan", "judy"])
    def test_other_segments_and_bus_are_refused(self, people, client_for, auto_list, who):
        assert client_for(getattr(people, who)).get(auto_list.get_absolute_url()).status_code == 403

    def test_a_researcher_of_another_bu_is_refused(
        self, people, client_for, auto_list, bu2_researcher
    ):
        assert client_for(bu2_researcher).get(auto_list.get_absolute_url()).status_code == 403

    def test_a_missing_list_is_not_found(self, people, client_for):
        response = client_for(people.alice).get(
            reverse("customers:preliminary-list-detail", args=["AUTO", 1999])
        )
        assert response.status_code == 404

    def test_a_reader_sees_no_forms(self, people, client_for, auto_list, nomination):
        content = client_for(people.dave).get(auto_list.get_absolute_url()).content.decode()
        assert 'data-testid="propose-form"' not in content
        assert 'data-testid="quota-form"' not in content and "bulk-assign" not in content


class TestDetailContent:
    def test_it_shows_progress_and_missing_fields(self, people, client_for, auto_list, nomination):
        auto_list.quota = 4
        auto_list.save()
        complete = CustomerFactory(business_unit=auto_list.segment.business_unit)
        Nomination.objects.create(preliminary_list=auto_list, customer=complete)
        complete.region, complete.industry = "east", "manufacturing"
        complete.save()
        CustomerYear.objects.create(
            customer=complete, year=FACTS_YEAR, revenue=1, employees=1, completeness=100
        )
        content = (
            english(client_for(people.alice)).get(auto_list.get_absolute_url()).content.decode()
        )
        assert "2 of 4 collected" in content
        assert "1 with the preliminary form complete" in content
        assert "1 with both forms complete" in content
        assert "revenue (CNY)" in content
        assert 'class="progress pct-25"' in content

    def test_it_has_no_inline_styles_or_scripts(self, people, client_for, auto_list, nomination):
        content = client_for(people.alice).get(auto_list.get_absolute_url()).content.decode()
        assert "style=" not in content and "<script>" not in content

    def test_a_researcher_may_show_only_their_customers(
        self, people, client_for, auto_list, nomination
    ):
        other = CustomerFactory(name_zh="别人的客户", business_unit=auto_list.segment.business_unit)
        Nomination.objects.create(preliminary_list=auto_list, customer=other)
        nomination.researcher = people.erin
        nomination.save()
        content = (
            client_for(people.erin).get(auto_list.get_absolute_url(), {"mine": 1}).content.decode()
        )
        assert nomination.customer.name_zh in content and "别人的客户" not in content


class TestQuotaViews:
    def test_the_segment_manager_proposes_a_quota(self, people, client_for, auto_list):
        response = client_for(people.alice).post(
            url("preliminary-list-propose-quota", auto_list), {"proposed_quota": "30"}
        )
        auto_list.refresh_from_db()
        assert response.status_code == 302 and auto_list.proposed_quota == 30

    @pytest.mark.parametrize(
        ("value", "message"),
        [("-1", "cannot be negative"), ("abc", "whole number"), ("2.5", "whole number")],
    )
    def test_a_bad_proposed_quota_is_shown_and_not_saved(
        self, people, client_for, auto_list, value, message
    ):
        response = english(client_for(people.alice)).post(
            url("preliminary-list-propose-quota", auto_list), {"proposed_quota": value}
        )
        assert response.status_code == 400 and message in response.content.decode()
        auto_list.refresh_from_db()
        assert auto_list.proposed_quota is None

    @pytest.mark.parametrize("who", ["bob", "eve", "erin", "dave", "judy"])
    def test_others_may_not_propose(self, people, client_for, auto_list, who):
        response = client_for(getattr(people, who)).post(
            url("preliminary-list-propose-quota", auto_list), {"proposed_quota": "30"}
        )
        assert response.status_code == 403

    def test_the_bu_vp_sets_the_quota(self, people, client_for, auto_list):
        client_for(people.bob).post(url("preliminary-list-set-quota", auto_list), {"quota": "20"})
        auto_list.refresh_from_db()
        assert auto_list.quota == 20

    @pytest.mark.parametrize("who", ["alice", "heidi", "carol", "erin"])
    def test_others_may_not_set_the_quota(self, people, client_for, auto_list, who):
        response = client_for(getattr(people, who)).post(
            url("preliminary-list-set-quota", auto_list), {"quota": "20"}
        )
        assert response.status_code == 403
        auto_list.refresh_from_db()
        assert auto_list.quota is None

    def test_a_negative_quota_is_refused(self, people, client_for, auto_list):
        response = english(client_for(people.bob)).post(
            url("preliminary-list-set-quota", auto_list), {"quota": "-4"}
        )
        assert response.status_code == 400 and "cannot be negative" in response.content.decode()

    def test_reading_the_quota_forms_needs_a_get(self, people, client_for, auto_list):
        response = client_for(people.bob).get(url("preliminary-list-set-quota", auto_list))
        assert response.status_code == 405


class TestNominateViews:
    def test_the_search_finds_the_bus_customers(
        self, people, client_for, auto_list, parts_maker, org
    ):
        CustomerFactory(name_zh="宁波化工", business_unit=org.bu2)
        content = (
            client_for(people.alice)
            .get(url("preliminary-list-nominate", auto_list), {"q": "宁波"})
            .content.decode()
        )
        assert parts_maker.name_zh in content and "宁波化工" not in content

    def test_htmx_gets_only_the_results(self, people, client_for, auto_list, parts_maker):
        response = client_for(people.alice).get(
            url("preliminary-list-nominate", auto_list), {"q": "ningbo"}, HTTP_HX_REQUEST="true"
        )
        content = response.content.decode()
        assert parts_maker.name_zh in content and "<html" not in content

    def test_nominating_a_found_customer(self, people, client_for, auto_list, parts_maker):
        response = client_for(people.alice).post(
            url("preliminary-list-nominate", auto_list) + "?q=宁波", {"customer": parts_maker.pk}
        )
        assert response.status_code == 302
        assert Nomination.objects.filter(preliminary_list=auto_list, customer=parts_maker).exists()

    def test_nominating_a_customer_of_another_bu_is_refused(
        self, people, client_for, auto_list, org
    ):
        foreign = CustomerFactory(name_zh="银行客户", business_unit=org.bu3)
        response = english(client_for(people.alice)).post(
            url("preliminary-list-nominate", auto_list), {"customer": foreign.pk}
        )
        content = response.content.decode()
        assert response.status_code == 400 and "only its customers can be nominated" in content
        assert "银行客户" not in content and not Nomination.objects.exists()

    def test_nominating_twice_is_refused(self, people, client_for, auto_list, nomination):
        response = english(client_for(people.alice)).post(
            url("preliminary-list-nominate", auto_list), {"customer": nomination.customer_id}
        )
        assert "already on this list" in response.content.decode()
        assert Nomination.objects.count() == 1

    def test_nominating_an_archived_customer_is_refused(
        self, people, client_for, auto_list, parts_maker
    ):
        parts_maker.archived_at = timezone.now()
        parts_maker.save()
        response = english(client_for(people.alice)).post(
            url("preliminary-list-nominate", auto_list), {"customer": parts_maker.pk}
        )
        assert "archived" in response.content.decode() and not Nomination.objects.exists()

    def test_nominating_an_unknown_customer_is_refused(self, people, client_for, auto_list):
        response = client_for(people.alice).post(
            url("preliminary-list-nominate", auto_list), {"customer": "999999"}
        )
        assert response.status_code == 400 and not Nomination.objects.exists()

    @pytest.mark.parametrize("who", ["eve", "erin", "dave", "bob"])
    def test_others_may_not_nominate(self, people, client_for, auto_list, parts_maker, who):
        client = client_for(getattr(people, who))
        assert client.get(url("preliminary-list-nominate", auto_list)).status_code == 403
        response = client.post(
            url("preliminary-list-nominate", auto_list), {"customer": parts_maker.pk}
        )
        assert response.status_code == 403 and not Nomination.objects.exists()

    def test_a_new_customer_is_created_and_nominated(self, people, client_for, auto_list, org):
        client_for(people.alice).post(
            url("preliminary-list-nominate-new", auto_list),
            {"name_zh": "温州新星电子", "name_en": "", "credit_code": ""},
        )
        customer = Customer.objects.get(name_zh="温州新星电子")
        assert customer.business_unit == org.bu1 and list(customer.segments.all()) == [org.auto]
        assert customer.nominations.get().preliminary_list == auto_list

    def test_a_new_customer_with_a_bad_credit_code_is_refused(self, people, client_for, auto_list):
        response = english(client_for(people.alice)).post(
            url("preliminary-list-nominate-new", auto_list),
            {"name_zh": "温州新星电子", "credit_code": "12345"},
        )
        assert response.status_code == 400 and "exactly 18 characters" in response.content.decode()
        assert not Customer.objects.exists()

    def test_a_new_customer_needs_a_chinese_name(self, people, client_for, auto_list):
        response = client_for(people.alice).post(
            url("preliminary-list-nominate-new", auto_list), {"name_zh": "", "name_en": "Nova"}
        )
        assert response.status_code == 400 and not Customer.objects.exists()

    def test_a_researcher_may_not_create_a_nominated_customer(self, people, client_for, auto_list):
        response = client_for(people.erin).post(
            url("preliminary-list-nominate-new", auto_list), {"name_zh": "温州新星电子"}
        )
        assert response.status_code == 403 and not Customer.objects.exists()

    def test_removing_a_nomination(self, people, client_for, auto_list, nomination):
        client_for(people.alice).post(url("preliminary-list-remove", auto_list, nomination.pk))
        assert not Nomination.objects.exists()

    def test_others_may_not_remove_a_nomination(self, people, client_for, auto_list, nomination):
        response = client_for(people.erin).post(
            url("preliminary-list-remove", auto_list, nomination.pk)
        )
        assert response.status_code == 403 and Nomination.objects.exists()


class TestAssignViews:
    def test_bulk_assignment(self, people, client_for, auto_list, nomination):
        second = Nomination.objects.create(
            preliminary_list=auto_list,
            customer=CustomerFactory(business_unit=auto_list.segment.business_unit),
        )
        client_for(people.alice).post(
            url("preliminary-list-assign", auto_list),
            {"nominations": [nomination.pk, second.pk], "researcher": people.erin.pk},
        )
        assert auto_list.nominations.filter(researcher=people.erin).count() == 2

    def test_assigning_a_non_researcher_is_refused(self, people, client_for, auto_list, nomination):
        response = english(client_for(people.alice)).post(
            url("preliminary-list-assign", auto_list),
            {"nominations": [nomination.pk], "researcher": people.dave.pk},
        )
        assert response.status_code == 400 and "this BU's researchers" in unescape(
            response.content.decode()
        )
        nomination.refresh_from_db()
        assert nomination.researcher is None

    def test_assigning_a_researcher_of_another_bu_is_refused(
        self, people, client_for, auto_list, nomination, bu2_researcher
    ):
        response = client_for(people.alice).post(
            url("preliminary-list-assign", auto_list),
            {"nominations": [nomination.pk], "researcher": bu2_researcher.pk},
        )
        assert response.status_code == 400
        nomination.refresh_from_db()
        assert nomination.researcher is None

    def test_assigning_nothing_is_refused(self, people, client_for, auto_list, nomination):
        response = english(client_for(people.alice)).post(
            url("preliminary-list-assign", auto_list), {"researcher": people.erin.pk}
        )
        assert response.status_code == 400 and "at least one" in response.content.decode()

    @pytest.mark.parametrize("who", ["erin", "eve", "bob", "dave"])
    def test_others_may_not_assign(self, people, client_for, auto_list, nomination, who):
        response = client_for(getattr(people, who)).post(
            url("preliminary-list-assign", auto_list),
            {"nominations": [nomination.pk], "researcher": people.erin.pk},
        )
        assert response.status_code == 403


class TestResponsibleView:
    def test_the_segment_manager_names_the_responsible_person(self, people, client_for, auto_list):
        client_for(people.alice).post(
            url("preliminary-list-responsible", auto_list), {"responsible": people.erin.pk}
        )
        auto_list.refresh_from_db()
        assert auto_list.responsible == people.erin

    def test_someone_outside_the_segment_is_refused(self, people, client_for, auto_list):
        response = client_for(people.alice).post(
            url("preliminary-list-responsible", auto_list), {"responsible": people.grace.pk}
        )
        assert response.status_code == 400
        auto_list.refresh_from_db()
        assert auto_list.responsible is None

    @pytest.mark.parametrize("who", ["erin", "eve", "dave"])
    def test_others_may_not_name_one(self, people, client_for, auto_list, who):
        response = client_for(getattr(people, who)).post(
            url("preliminary-list-responsible", auto_list), {"responsible": people.erin.pk}
        )
        assert response.status_code == 403


class TestNudgeView:
    @pytest.fixture
    def assigned(self, people, nomination):
        nomination.researcher = people.erin
        nomination.save()
        return nomination

    def test_a_nudge_is_sent_and_confirmed(self, people, client_for, auto_list, assigned):
        response = english(client_for(people.alice)).post(
            url("preliminary-list-nudge", auto_list), {"researcher": people.erin.pk}, follow=True
        )
        assert "A reminder was sent" in response.content.decode()
        assert Notification.objects.filter(recipient=people.erin).count() == 1

    def test_a_second_nudge_the_same_day_gets_a_clear_message(
        self, people, client_for, auto_list, assigned
    ):
        client = english(client_for(people.alice))
        client.post(url("preliminary-list-nudge", auto_list), {"researcher": people.erin.pk})
        response = client.post(
            url("preliminary-list-nudge", auto_list), {"researcher": people.erin.pk}, follow=True
        )
        assert "already reminded about this list in the last 24 hours" in response.content.decode()
        assert ResearcherNudge.objects.count() == 1

    def test_nudging_a_non_researcher_is_refused(self, people, client_for, auto_list, assigned):
        client_for(people.alice).post(
            url("preliminary-list-nudge", auto_list), {"researcher": people.dave.pk}
        )
        assert not Notification.objects.exists()

    @pytest.mark.parametrize("who", ["eve", "erin", "dave", "bob"])
    def test_others_may_not_nudge(self, people, client_for, auto_list, assigned, who):
        response = client_for(getattr(people, who)).post(
            url("preliminary-list-nudge", auto_list), {"researcher": people.erin.pk}
        )
        assert response.status_code == 403 and not Notification.objects.exists()


class TestHomePage:
    def test_the_researcher_finds_the_list_on_the_home_page(
        self, people, client_for, auto_list, nomination
    ):
        nomination.researcher = people.erin
        nomination.save()
        content = client_for(people.erin).get(reverse("home")).content.decode()
        assert f"{auto_list.get_absolute_url()}?mine=1" in content

    def test_the_bu_vp_finds_a_proposed_quota_on_the_home_page(self, people, client_for, auto_list):
        auto_list.proposed_quota = 15
        auto_list.save()
        content = client_for(people.bob).get(reverse("home")).content.decode()
        assert auto_list.get_absolute_url() in content
