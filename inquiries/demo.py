"""Demo inquiries: about a year of cold calls across channels and decisions, and their
monthly roll-ups. Called by seed_demo after the org, users and customers exist; idempotent
(does nothing when inquiries already exist)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from inquiries import matching, rollup, rollup_runs, services
from inquiries.models import Channel, Decision, DeclineReason, Inquiry, InquiryEvent
from organisation.models import Role, Segment

User = get_user_model()

COMPANIES = [
    "宁波精工汽配有限公司",
    "苏州锐达电子科技有限公司",
    "无锡恒通机械股份有限公司",
    "常州新材化工有限公司",
    "杭州味源食品有限公司",
    "上海康宁医药有限公司",
    "南京城商银行股份有限公司",
    "广州安泰保险经纪有限公司",
    "深圳优品连锁超市有限公司",
    "天津顺达物流有限公司",
    "青岛海联装备制造有限公司",
    "合肥星源新能源汽车部件有限公司",
    "东莞精密模具有限公司",
    "佛山美家电器有限公司",
    "厦门蓝海电子有限公司",
    "成都西部医药连锁有限公司",
]
REQUESTS = [
    "询问ERP实施服务",
    "希望了解MES升级方案",
    "咨询数据中心运维外包",
    "需要信息安全评估",
    "询问供应链系统集成",
    "希望做一次IT规划咨询",
]
CHANNEL_WEIGHTS = {
    Channel.PHONE: 5,
    Channel.EMAIL: 3,
    Channel.WEB_FORM: 3,
    Channel.VISIT: 1,
    Channel.REFERRAL: 1,
}
DECISION_WEIGHTS = {
    Decision.TARGET: 2,
    Decision.SERVE_ONCE: 4,
    Decision.DECLINE: 3,
    Decision.REFER: 1,
}


def _account_managers() -> dict[int, list]:
    managers: dict[int, list] = {}
    for user in User.objects.filter(role_memberships__role=Role.ACCOUNT_MANAGER).values(
        "pk", "role_memberships__business_unit_id"
    ):
        managers.setdefault(user["role_memberships__business_unit_id"], []).append(user["pk"])
    return managers


@transaction.atomic
def seed_inquiries(count: int = 360, seed: int = 6) -> int:
    """Create `count` inquiries over the last twelve months and roll up each month.

    Rows are written directly (not through the services): demo history, not a workflow.
    The most recent few weeks stay partly open, so the review queue has work in it.
    """
    if Inquiry.objects.exists():
        return 0
    rng = random.Random(seed)
    managers = _account_managers()
    segments = [
        s for s in Segment.objects.select_related("business_unit") if s.business_unit_id in managers
    ]
    if not segments:
        return 0
    deciders = {s.pk: list(services._deciders(s).values_list("pk", flat=True)) for s in segments}
    now = timezone.now()
    today = timezone.localdate()
    created = []
    for n in range(count):
        segment = rng.choice(segments)
        days_ago = rng.uniform(0, 365)
        received = now - timedelta(days=days_ago)
        received = received.replace(hour=rng.randint(8, 18), minute=rng.choice([0, 15, 30, 45]))
        received = min(received, now - timedelta(minutes=5))
        logger = rng.choice(managers[segment.business_unit_id])
        company = rng.choice(COMPANIES)
        inquiry = Inquiry(
            received_at=received,
            channel=rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0],
            business_unit_id=segment.business_unit_id,
            segment=segment,
            company_name=company,
            normalised_name=matching.normalise_name(company),
            contact_name=rng.choice(["王经理", "李总", "张工", "陈主任", "刘女士"]),
            contact_phone=f"0{rng.randint(10, 999)}-{rng.randint(10000000, 99999999)}",
            request=rng.choice(REQUESTS),
            initial_handling="已发送公司介绍资料" if n % 2 else "",
            logged_by_id=logger,
            owner_id=logger,
        )
        still_open = days_ago < 20 and rng.random() < 0.6
        if not still_open and deciders[segment.pk]:
            decision = rng.choices(list(DECISION_WEIGHTS), list(DECISION_WEIGHTS.values()))[0]
            days = min(rng.uniform(0.2, 12), days_ago)
            inquiry.decision = decision
            inquiry.decided_by_id = rng.choice(deciders[segment.pk])
            inquiry.decided_at = received + timedelta(days=days)
            inquiry.days_to_decision = days
            if decision == Decision.DECLINE:
                inquiry.decline_reason = rng.choice(DeclineReason.values[:-1])
            if decision == Decision.REFER:
                others = [s for s in segments if s.pk != segment.pk]
                inquiry.referred_to = rng.choice(others)
            if decision == Decision.TARGET:
                inquiry.owner_id = rng.choice(managers[segment.business_unit_id])
        created.append(inquiry)
    Inquiry.objects.bulk_create(created, batch_size=500)
    InquiryEvent.objects.bulk_create(
        [
            InquiryEvent(
                inquiry=i, kind=InquiryEvent.Kind.LOGGED, by_id=i.logged_by_id, at=i.received_at
            )
            for i in created
        ]
        + [
            InquiryEvent(
                inquiry=i,
                kind=InquiryEvent.Kind.DECIDED,
                by_id=i.decided_by_id,
                at=i.decided_at,
                text=i.get_decision_display(),
            )
            for i in created
            if i.decision
        ],
        batch_size=1000,
    )
    month = today.replace(day=1)
    for first_day in rollup.last_months(rollup.previous_month(month), 12):
        rollup_runs.inquiry_rollup_run(month=first_day, notify=False)
    return len(created)
