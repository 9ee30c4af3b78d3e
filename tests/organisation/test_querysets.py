"""Segment reads used across the apps' pages, one behaviour a test."""

from organisation.models import Segment


def test_in_org_order_sorts_by_bu_code_then_segment_code(org):
    codes = [s.code for s in Segment.objects.in_org_order()]
    assert codes == ["AUTO", "ELEC", "CHEM", "BANK", "RETL"]


def test_other_than_leaves_out_the_given_segment(org):
    assert org.auto not in Segment.objects.other_than(org.auto.pk)
    assert Segment.objects.other_than(org.auto.pk).count() == 4
