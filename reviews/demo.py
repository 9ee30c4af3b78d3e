"""Demo review for `seed_demo`: carries the demo through a year.

For the year's approved target lists (by default the latest planning year up to this year that
has any), each owner records a result for most of their target customers: revenue that tends
to grow with the score, so the back-test has something to find, and a few results left missing
so the missing-results page has something to show. Segment managers summarise their segments,
and some BUs are signed off, leaving the others for a BU VP to sign in the demo.

Idempotent and robust: works on whatever approved lists exist, does nothing without them, and
never changes a result, summary or sign-off already there.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from evaluation.lists.people import bu_vps_of, segment_managers_of
from evaluation.models import TargetList
from organisation.models import BusinessUnit, Segment
from reviews import services
from reviews.models import BUReview, DevelopmentResult, SegmentReview, Stage
from reviews.scopes import approved_lists, target_entries

SUMMARY = (
    "{segment}：{year}年{targets}家目标客户中{won}家签约，赢得收入{revenue:,.0f}元；"
    "重点客户覆盖良好，一般客户申请处理及时。明年建议提高可实施性指标的权重。"
)
# BUs whose review the demo signs off; the others wait for their BU VP.
SIGNED_OFF_BUS = ("BU2", "BU4")
NOTES = {
    Stage.WON: "已签订框架协议",
    Stage.NEGOTIATION: "商务条款谈判中",
    Stage.PROPOSAL: "已提交解决方案建议书",
    Stage.CONTACTED: "完成首次高层拜访",
    Stage.LOST: "客户选择了竞争对手",
    Stage.DORMANT: "客户预算冻结，暂缓接触",
    Stage.IDENTIFIED: "",
}


def default_year() -> int | None:
    latest = (
        TargetList.objects.filter(
            state=TargetList.State.APPROVED, year__lte=timezone.localdate().year
        )
        .aggregate(year=Max("year"))
        .get("year")
    )
    return latest


def _outcome(rng: random.Random, total: float) -> tuple[str, Decimal, int]:
    """A plausible year for a target customer with this score (0..100)."""
    strength = max(0.0, min(1.0, total / 100))
    roll = rng.random()
    if roll < 0.15 + 0.55 * strength:
        revenue = Decimal(int(rng.lognormvariate(0, 0.5) * 8_000_000 * strength**2 + 50_000))
        return Stage.WON, revenue.quantize(Decimal("1000")), rng.randint(1, 3)
    stage = rng.choice(
        [Stage.NEGOTIATION, Stage.PROPOSAL, Stage.CONTACTED, Stage.CONTACTED, Stage.LOST]
        + [Stage.DORMANT, Stage.IDENTIFIED]
    )
    return stage, Decimal(0), 0


@transaction.atomic
def seed_reviews(year: int | None = None, *, missing_share: float = 0.08) -> dict:
    """Results, summaries and sign-offs for `year`'s approved lists. Returns counts."""
    year = year or default_year()
    report = {"year": year, "results": 0, "summaries": 0, "signed_off": 0}
    if year is None:
        return report
    lists = approved_lists(year, Segment.objects.all())
    if not lists:
        return report
    owners: dict[int, object] = {}  # one user object per owner: its roles are read once
    existing = set(
        DevelopmentResult.objects.filter(year=year).values_list("segment_id", "customer_id")
    )
    for entry in target_entries(lists):
        key = (entry.target_list.segment_id, entry.customer_id)
        if entry.owner is None or key in existing:
            continue
        # Seeded by codes and names, not ids: the same demo year on every database.
        customer = entry.customer
        rng = random.Random(  # noqa: S311 - demo data
            f"{year}-{entry.target_list.segment.code}-{customer.credit_code or customer.name_zh}"
        )
        if rng.random() < missing_share:
            continue
        stage, revenue, contracts = _outcome(rng, float(entry.total))
        owner = owners.setdefault(entry.owner_id, entry.owner)
        if not services.may_record(owner, entry):
            continue
        services.result_record(
            entry=entry,
            by=owner,
            revenue_won=revenue,
            contracts_signed=contracts,
            stage=stage,
            notes=NOTES[stage],
        )
        report["results"] += 1
    summarised = set(SegmentReview.objects.filter(year=year).values_list("segment_id", flat=True))
    for target_list in lists:
        segment = target_list.segment
        if segment.pk in summarised:
            continue
        author = segment_managers_of(segment).order_by("username").first()
        if author is None:
            continue
        results = DevelopmentResult.objects.filter(year=year, segment=segment)
        services.segment_review_summarise(
            segment=segment,
            year=year,
            summary=SUMMARY.format(
                segment=segment.name_zh,
                year=year,
                targets=target_list.entries.targets().count(),
                won=results.filter(stage=Stage.WON).count(),
                revenue=sum((r.revenue_won for r in results), Decimal(0)),
            ),
            by=author,
        )
        report["summaries"] += 1
    for unit in BusinessUnit.objects.filter(code__in=SIGNED_OFF_BUS).select_related(
        "business_group"
    ):
        if BUReview.objects.filter(
            business_unit=unit, year=year, signed_off_at__isnull=False
        ).exists():
            continue
        segment = Segment.objects.filter(business_unit=unit).first()
        signer = bu_vps_of(segment).order_by("username").first() if segment else None
        if signer is None or services.segments_without_summary(unit, year):
            continue
        if not approved_lists(year, Segment.objects.filter(business_unit=unit)):
            continue
        services.bu_review_sign_off(
            business_unit=unit, year=year, by=signer, comment="同意本年度评审结论。"
        )
        report["signed_off"] += 1
    return report
