from inquiries.demo import seed_inquiries
from inquiries.models import Decision, Inquiry, InquiryRollup
from organisation.demo import seed_org_and_users


def test_the_demo_has_a_year_of_inquiries_and_their_rollups(db):
    seed_org_and_users()
    assert seed_inquiries(count=200) == 200
    decisions = set(Inquiry.objects.values_list("decision", flat=True))
    assert set(Decision.values) | {""} == decisions
    assert len(set(Inquiry.objects.values_list("channel", flat=True))) == 5
    assert InquiryRollup.objects.count() == 12
    assert sum(r.inquiries for r in InquiryRollup.objects.all()) <= 200
    assert seed_inquiries() == 0  # idempotent
