"""The reads the inquiry pages use, one behaviour a test."""

from inquiries import services
from inquiries.models import Decision, Inquiry, InquiryEvent, InquiryFollowUp
from organisation.models import Role
from tests.factories import RoleMembershipFactory, UserFactory


def test_in_status_open_keeps_the_undecided(db, people, log_inquiry):
    waiting = log_inquiry(company_name="甲公司")
    decided = log_inquiry(company_name="乙公司")
    services.inquiry_decide(inquiry=decided, by=people.alice, decision=Decision.SERVE_ONCE)
    assert list(Inquiry.objects.in_status("open")) == [waiting]


def test_in_status_decided_keeps_the_decided(db, people, log_inquiry):
    log_inquiry(company_name="甲公司")
    decided = log_inquiry(company_name="乙公司")
    services.inquiry_decide(inquiry=decided, by=people.alice, decision=Decision.SERVE_ONCE)
    assert list(Inquiry.objects.in_status("decided")) == [decided]


def test_in_status_of_anything_else_keeps_all(db, log_inquiry):
    log_inquiry(company_name="甲公司")
    log_inquiry(company_name="乙公司")
    assert Inquiry.objects.in_status("").count() == 2


def test_named_like_matches_part_of_the_name_as_typed(db, log_inquiry):
    found = log_inquiry(company_name="宁波精工汽配有限公司")
    log_inquiry(company_name="杭州电子有限公司")
    assert list(Inquiry.objects.named_like("精工")) == [found]


def test_named_like_matches_the_normalised_name(db, log_inquiry):
    found = log_inquiry(company_name="Ningbo Precision Co., Ltd.")
    assert list(Inquiry.objects.named_like("ningbo  precision")) == [found]


def test_logged_by_keeps_the_user_s_own(db, people, org, log_inquiry):
    other = UserFactory(username="mallory")
    RoleMembershipFactory(user=other, role=Role.ACCOUNT_MANAGER, business_unit=org.bu1)
    mine = log_inquiry(by=people.dave)
    log_inquiry(by=other)
    assert list(Inquiry.objects.logged_by(people.dave)) == [mine]


def test_last_segment_id_logged_by_is_the_segment_of_the_latest(db, people, org, log_inquiry):
    log_inquiry(by=people.dave, segment=org.auto)
    log_inquiry(by=people.dave, segment=org.elec)
    assert Inquiry.objects.last_segment_id_logged_by(people.dave) == org.elec.pk


def test_last_segment_id_logged_by_is_none_for_someone_who_logged_none(db, people):
    assert Inquiry.objects.last_segment_id_logged_by(people.dave) is None


def test_with_segment_loads_the_segment_in_the_same_query(
    db, log_inquiry, django_assert_num_queries
):
    log_inquiry()
    with django_assert_num_queries(1):
        assert [i.segment.code for i in Inquiry.objects.with_segment()] == ["AUTO"]


def test_events_with_author_load_who_recorded_them(
    db, people, log_inquiry, django_assert_num_queries
):
    inquiry = log_inquiry(by=people.dave)
    with django_assert_num_queries(1):
        assert [e.by.username for e in InquiryEvent.objects.with_author()] == ["dave"]
    assert inquiry.events.with_author().count() == 1


def test_follow_ups_with_author_load_who_recorded_them(
    db, people, log_inquiry, django_assert_num_queries
):
    inquiry = log_inquiry(by=people.dave)
    services.inquiry_follow_up_add(
        inquiry=inquiry, by=people.dave, happened_on=inquiry.received_at.date(), feedback="好"
    )
    with django_assert_num_queries(1):
        assert [f.by.username for f in InquiryFollowUp.objects.with_author()] == ["dave"]
