"""Logging, deciding and following up inquiries through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import override

from customers.models import Customer, Nomination
from customers.preliminary import default_planning_year
from inquiries import services
from inquiries.models import Decision, DeclineReason, Inquiry, InquiryEvent
from organisation.models import Notification
from tests.factories import CustomerFactory
from tests.inquiries.conftest import VALID_CREDIT_CODE, inquiry_data


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


class TestLogging:
    def test_it_records_who_where_and_the_history(self, log_inquiry, people, org):
        inquiry = log_inquiry()
        assert inquiry.business_unit == org.bu1
        assert inquiry.logged_by == inquiry.owner == people.dave
        assert inquiry.normalised_name == "宁波精工汽配"
        assert inquiry.is_open
        assert list(inquiry.events.values_list("kind", flat=True)) == [InquiryEvent.Kind.LOGGED]

    def test_a_recent_inquiry_from_the_same_company_is_flagged(self, log_inquiry):
        first = log_inquiry(company_name="宁波精工汽配有限公司")
        second = log_inquiry(company_name="宁波 精工汽配 股份有限公司")
        other = log_inquiry(company_name="上海电子有限公司")
        assert second.possible_duplicate_of == first
        assert other.possible_duplicate_of is None

    def test_an_old_inquiry_is_not_a_duplicate(self, log_inquiry):
        log_inquiry(received_at=timezone.now() - timedelta(days=60))
        assert log_inquiry().possible_duplicate_of is None

    def test_a_known_credit_code_links_the_customer(self, log_inquiry, org):
        customer = CustomerFactory(credit_code=VALID_CREDIT_CODE, business_unit=org.bu1)
        assert log_inquiry(credit_code=VALID_CREDIT_CODE.lower()).customer == customer

    @pytest.mark.parametrize("who", ["erin", "alice", "bob", "frank", "judy", "grace"])
    def test_only_account_managers_of_the_bu_may_log(self, people, org, who):
        with pytest.raises(PermissionDenied):
            services.inquiry_log(by=getattr(people, who), data=inquiry_data(org.auto))
        assert not Inquiry.objects.exists()

    def test_an_account_manager_cannot_log_for_another_bu(self, people, org):
        with pytest.raises(PermissionDenied):
            services.inquiry_log(by=people.dave, data=inquiry_data(org.chem))

    def test_a_customer_of_another_bu_cannot_be_linked(self, people, org):
        stranger = CustomerFactory(business_unit=org.bu3)
        with pytest.raises(ValidationError) as error:
            services.inquiry_log(by=people.dave, data=inquiry_data(org.auto, customer=stranger))
        assert "customer" in error.value.message_dict


class TestBadInput:
    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"company_name": ""}, "company_name"),
            ({"contact_name": ""}, "contact_name"),
            ({"contact_phone": "", "contact_email": ""}, "contact_phone"),
            ({"received_at": timezone.now() + timedelta(days=1)}, "received_at"),
            ({"contact_phone": "call me maybe"}, "contact_phone"),
            ({"contact_email": "not-an-email"}, "contact_email"),
            ({"request": "x" * 1_000_000}, "request"),
            ({"credit_code": "91350100M000100Y44"}, "credit_code"),
            ({"company_name": "x" * 201}, "company_name"),
        ],
    )
    def test_it_says_what_is_wrong_and_writes_nothing(self, people, org, overrides, field):
        with pytest.raises(ValidationError) as error:
            services.inquiry_log(by=people.dave, data=inquiry_data(org.auto, **overrides))
        assert field in error.value.message_dict
        assert not Inquiry.objects.exists()
        assert not InquiryEvent.objects.exists()

    def test_a_future_time_says_so(self, people, org):
        future = timezone.now() + timedelta(hours=2)
        with pytest.raises(ValidationError) as error:
            services.inquiry_log(by=people.dave, data=inquiry_data(org.auto, received_at=future))
        assert error.value.message_dict["received_at"] == [
            "The time received cannot be in the future."
        ]


class TestEditing:
    def test_the_logger_edits_an_open_inquiry(self, log_inquiry, people):
        inquiry = log_inquiry()
        services.inquiry_update(
            inquiry=inquiry,
            by=people.dave,
            data={"contact_name": "李总", "segment": inquiry.segment},
        )
        inquiry.refresh_from_db()
        assert inquiry.contact_name == "李总"
        assert inquiry.events.last().kind == InquiryEvent.Kind.EDITED

    def test_nobody_else_edits_it(self, log_inquiry, people):
        inquiry = log_inquiry()
        with pytest.raises(PermissionDenied):
            services.inquiry_update(inquiry=inquiry, by=people.alice, data={"contact_name": "x"})

    def test_a_decided_inquiry_is_not_edited(self, log_inquiry, people):
        inquiry = log_inquiry()
        services.inquiry_decide(inquiry=inquiry, by=people.alice, decision=Decision.SERVE_ONCE)
        with pytest.raises(ValidationError):
            services.inquiry_update(inquiry=inquiry, by=people.dave, data={"contact_name": "x"})


class TestDeciding:
    def test_serve_once_records_who_and_when_and_tells_the_logger(self, log_inquiry, people):
        inquiry = log_inquiry()
        decided = services.inquiry_decide(
            inquiry=inquiry, by=people.alice, decision=Decision.SERVE_ONCE
        )
        assert decided.decided_by == people.alice
        assert decided.decided_at is not None
        assert decided.days_to_decision == pytest.approx(1 / 24, abs=0.01)
        assert Notification.objects.filter(recipient=people.dave).count() == 1

    def test_add_as_target_prospect_creates_the_customer_and_nominates_it(
        self, log_inquiry, people, org
    ):
        inquiry = log_inquiry(credit_code=VALID_CREDIT_CODE)
        services.inquiry_decide(
            inquiry=inquiry, by=people.alice, decision=Decision.TARGET, owner=people.dave
        )
        inquiry.refresh_from_db()
        customer = Customer.objects.get(credit_code=VALID_CREDIT_CODE)
        assert inquiry.customer == customer and inquiry.owner == people.dave
        assert customer.business_unit == org.bu1 and customer.account_manager == people.dave
        assert list(customer.segments.all()) == [org.auto]
        nomination = Nomination.objects.get(customer=customer)
        assert nomination.preliminary_list.segment == org.auto
        assert nomination.preliminary_list.year == default_planning_year()

    def test_add_as_target_prospect_links_an_existing_customer_by_name(
        self, log_inquiry, people, org
    ):
        existing = CustomerFactory(name_zh="宁波精工汽配股份有限公司", business_unit=org.bu1)
        inquiry = log_inquiry()
        services.inquiry_decide(
            inquiry=inquiry, by=people.alice, decision=Decision.TARGET, owner=people.dave
        )
        assert Customer.objects.count() == 1
        existing.refresh_from_db()
        assert existing.account_manager == people.dave
        assert Nomination.objects.filter(customer=existing).count() == 1

    def test_the_owner_must_be_an_account_manager_of_the_bu(self, log_inquiry, people):
        inquiry = log_inquiry()
        for owner in (None, people.erin):
            with pytest.raises(ValidationError) as error:
                services.inquiry_decide(
                    inquiry=inquiry, by=people.alice, decision=Decision.TARGET, owner=owner
                )
            assert "owner" in error.value.message_dict
        assert not Customer.objects.exists()
        inquiry.refresh_from_db()
        assert inquiry.is_open

    def test_decline_needs_a_reason_from_the_list(self, log_inquiry, people):
        inquiry = log_inquiry()
        with pytest.raises(ValidationError) as error:
            services.inquiry_decide(inquiry=inquiry, by=people.alice, decision=Decision.DECLINE)
        assert error.value.message_dict == {"decline_reason": ["Choose the reason for declining."]}
        with pytest.raises(ValidationError) as error:
            services.inquiry_decide(
                inquiry=inquiry,
                by=people.alice,
                decision=Decision.DECLINE,
                decline_reason=DeclineReason.OTHER,
            )
        assert "note" in error.value.message_dict
        inquiry.refresh_from_db()
        assert inquiry.is_open
        services.inquiry_decide(
            inquiry=inquiry,
            by=people.alice,
            decision=Decision.DECLINE,
            decline_reason=DeclineReason.TOO_SMALL,
            note="年采购额不足五万",
        )
        inquiry.refresh_from_db()
        assert inquiry.decline_reason == DeclineReason.TOO_SMALL

    def test_refer_hands_an_open_copy_to_the_other_segment(self, log_inquiry, people, org):
        inquiry = log_inquiry()
        services.inquiry_decide(
            inquiry=inquiry, by=people.alice, decision=Decision.REFER, refer_to=org.chem
        )
        inquiry.refresh_from_db()
        referral = inquiry.referrals.get()
        assert inquiry.decision == Decision.REFER and inquiry.referred_to == org.chem
        assert referral.is_open and referral.segment == org.chem
        assert referral.business_unit == org.bu2
        assert list(Inquiry.objects.to_decide_by(people.grace)) == [referral]
        assert Notification.objects.filter(recipient=people.grace).exists()
        services.inquiry_decide(inquiry=referral, by=people.grace, decision=Decision.SERVE_ONCE)

    def test_refer_needs_another_segment(self, log_inquiry, people, org):
        inquiry = log_inquiry()
        for segment in (None, org.auto):
            with pytest.raises(ValidationError) as error:
                services.inquiry_decide(
                    inquiry=inquiry, by=people.alice, decision=Decision.REFER, refer_to=segment
                )
            assert "refer_to" in error.value.message_dict

    def test_an_unknown_decision_is_refused(self, log_inquiry, people):
        with pytest.raises(ValidationError):
            services.inquiry_decide(inquiry=log_inquiry(), by=people.alice, decision="maybe")

    def test_an_inquiry_is_decided_only_once(self, log_inquiry, people):
        inquiry = log_inquiry()
        services.inquiry_decide(inquiry=inquiry, by=people.alice, decision=Decision.SERVE_ONCE)
        with pytest.raises(ValidationError) as error:
            services.inquiry_decide(
                inquiry=inquiry,
                by=people.alice,
                decision=Decision.DECLINE,
                decline_reason=DeclineReason.TOO_SMALL,
            )
        assert "already decided" in error.value.messages[0]
        inquiry.refresh_from_db()
        assert inquiry.decision == Decision.SERVE_ONCE

    @pytest.mark.parametrize("who", ["dave", "eve", "bob", "carol", "frank", "grace", "judy"])
    def test_only_the_segment_manager_decides(self, log_inquiry, people, who):
        inquiry = log_inquiry()
        with pytest.raises(PermissionDenied):
            services.inquiry_decide(
                inquiry=inquiry, by=getattr(people, who), decision=Decision.SERVE_ONCE
            )

    def test_the_bu_vp_decides_where_the_segment_has_no_manager(self, people, org):
        from tests.factories import RoleMembershipFactory

        RoleMembershipFactory(user=people.dave, role="account_manager", business_unit=org.bu4)
        inquiry = services.inquiry_log(by=people.dave, data=inquiry_data(org.retl))
        services.inquiry_decide(inquiry=inquiry, by=people.heidi, decision=Decision.SERVE_ONCE)
        assert Inquiry.objects.get(pk=inquiry.pk).decided_by == people.heidi


class TestFollowUps:
    def test_the_logger_adds_a_follow_up_to_the_history(self, log_inquiry, people):
        inquiry = log_inquiry()
        services.inquiry_follow_up_add(
            inquiry=inquiry,
            by=people.dave,
            happened_on=timezone.localdate(),
            feedback="客户希望下周演示",
            next_steps="安排演示",
        )
        assert inquiry.follow_ups.count() == 1
        assert inquiry.events.last().kind == InquiryEvent.Kind.FOLLOW_UP

    def test_an_empty_or_future_follow_up_is_refused(self, log_inquiry, people):
        inquiry = log_inquiry()
        with pytest.raises(ValidationError) as error:
            services.inquiry_follow_up_add(
                inquiry=inquiry,
                by=people.dave,
                happened_on=timezone.localdate() + timedelta(days=3),
            )
        assert set(error.value.message_dict) == {"feedback", "happened_on"}
        assert not inquiry.follow_ups.exists()

    @pytest.mark.parametrize("who", ["eve", "erin", "judy", "carol"])
    def test_others_cannot_add_follow_ups(self, log_inquiry, people, who):
        with pytest.raises(PermissionDenied):
            services.inquiry_follow_up_add(
                inquiry=log_inquiry(),
                by=getattr(people, who),
                happened_on=timezone.localdate(),
                feedback="x",
            )
