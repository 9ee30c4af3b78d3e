"""Demo criteria for `seed_demo`: the criteria library the process names, and for a planning
year the goals, a published BU default and segment override per BU, and tier policies.
Idempotent: what exists is left alone (a second run changes nothing, bumps no version)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from customers.demo import DEMO_ATTRIBUTES, seed_attributes
from customers.models import Attribute, AttributeOption
from customers.reference import Region
from evaluation.criteria.services import criteria_set_load
from evaluation.models import CriteriaSet, CriterionTemplate, Goal
from organisation.models import BusinessGroup, BusinessUnit

COASTAL = {
    "beijing",
    "tianjin",
    "shanghai",
    "jiangsu",
    "zhejiang",
    "fujian",
    "shandong",
    "guangdong",
}
# One of the customer demo's rated attributes (so customer completeness counts it).
SEGMENT_TREND = next(item for item in DEMO_ATTRIBUTES if item[0] == "segment_trend")


def _linear(lo, hi, direction="higher_better") -> dict:
    return {"type": "linear", "lo": lo, "hi": hi, "direction": direction}


def _bands(*bands) -> dict:
    return {
        "type": "bands",
        "bands": [{"min": low, "max": high, "points": points} for low, high, points in bands],
    }


def _choice(**points) -> dict:
    return {"type": "choice", "points": points}


# key, name_zh, name_en, family, source, rule, description
LIBRARY = [
    ("revenue", "营业收入", "Revenue", "profitability", "revenue", _linear(0, 500_000_000),
     "年营业收入（元），越高越有吸引力"),
    ("profit", "利润", "Profit", "profitability", "profit",
     _bands((None, 0, 0), (0, 10_000_000, 50), (10_000_000, None, 100)), "年度利润（元）"),
    ("it_budget", "IT预算", "IT budget", "profitability", "it_budget", _linear(0, 20_000_000),
     "年度IT预算（元）"),
    ("it_spend", "实际IT支出", "Actual IT spend", "profitability", "it_spend",
     _linear(0, 10_000_000), "上一年度实际IT支出（元）"),
    ("employees", "员工人数", "Employees", "implementability", "employees",
     _bands((None, 100, 20), (100, 1000, 60), (1000, None, 100)), "企业规模"),
    ("it_staff", "IT人员数量", "IT staff", "implementability", "it_staff",
     _bands((None, 5, 30), (5, 50, 70), (50, None, 100)), "IT团队规模"),
    ("region", "区域", "Region", "accessibility", "region",
     _choice(**{r: 100 if r in COASTAL else 50 for r in Region.values}), "我方服务网络的覆盖"),
    ("segment_trend", "细分市场趋势", "Segment trend", "sustainability", "segment_trend",
     _choice(growing=100, stable=60, declining=10), "客户所在细分市场的发展趋势"),
    ("it_importance", "IT对业务的重要性", "IT importance to the business", "sustainability",
     "it_importance", _choice(high=100, medium=60, low=20), ""),
    ("inhouse_it", "自有IT能力", "In-house IT capability", "implementability", "inhouse_it",
     _choice(strong=50, medium=100, weak=60), "能力适中的客户最易合作"),
    ("outsourcing_attitude", "外包接受程度", "Outsourcing attitude", "accessibility",
     "outsourcing_attitude", _choice(open=100, neutral=50, closed=0), ""),
    ("purchase_factor", "主要采购因素", "Key purchase factors", "accessibility", "purchase_factor",
     _choice(quality=100, service=100, brand=60, price=20), "看重质量与服务的客户更认可我方价值"),
    ("key_decision_maker", "关键决策人", "Key decision makers known", "accessibility",
     "key_decision_maker", {"type": "boolean", "true": 100, "false": 0}, "已识别关键决策人"),
    ("solution_need", "解决方案需求", "Solution needs", "sustainability", "solution_need",
     _choice(erp=100, ecommerce=80, middleware=60, analytics=90), ""),
]  # fmt: skip

TIERS = [
    {
        "code": "A",
        "name_zh": "重点客户",
        "name_en": "Key",
        "rule": {"type": "top_percent", "value": 10},
        "development_principle": "集中资源，深度合作，制定一户一策的发展计划",
        "service_level": "专属客户团队，7×24 响应",
        "contact_frequency": "每月至少一次高层拜访",
        "responsible_role": "客户经理（资深）",
    },
    {
        "code": "B",
        "name_zh": "发展客户",
        "name_en": "Develop",
        "rule": {"type": "min_score", "value": 60},
        "development_principle": "挖掘需求，扩大合作范围，培育为重点客户",
        "service_level": "指定客户经理，工作日 4 小时响应",
        "contact_frequency": "每季度拜访一次",
        "responsible_role": "客户经理",
    },
    {
        "code": "C",
        "name_zh": "维持客户",
        "name_en": "Maintain",
        "rule": {"type": "top_n", "value": 50},
        "development_principle": "保持联系，控制服务成本",
        "service_level": "标准服务，工作日 1 天响应",
        "contact_frequency": "每半年联系一次",
        "responsible_role": "销售代表",
    },
]


def _criterion(key: str, weight, gate=None, **override) -> dict:
    template = next(item for item in LIBRARY if item[0] == key)
    _key, name_zh, name_en, family, source, rule, _description = template
    return {
        "key": key,
        "name_zh": name_zh,
        "name_en": name_en,
        "family": family,
        "source": source,
        "weight": weight,
        "rule": override.get("rule", rule),
        "gate": gate,
    }


def _ensure_segment_trend() -> None:
    key, name_zh, name_en, options = SEGMENT_TREND
    attribute, _created = Attribute.objects.get_or_create(
        key=key, defaults={"name_zh": name_zh, "name_en": name_en, "order": 10}
    )
    for order, (option, option_zh, option_en) in enumerate(options):
        AttributeOption.objects.get_or_create(
            attribute=attribute,
            key=option,
            defaults={"name_zh": option_zh, "name_en": option_en, "order": order},
        )


@transaction.atomic
def seed_library() -> int:
    """The criteria library; also the rated attributes its criteria read."""
    seed_attributes()
    _ensure_segment_trend()
    for key, name_zh, name_en, family, source, rule, description in LIBRARY:
        CriterionTemplate.objects.update_or_create(
            key=key,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "family": family,
                "source": source,
                "rule": rule,
                "description": description,
            },
        )
    return len(LIBRARY)


def _default_document(unit: BusinessUnit, year: int) -> dict:
    return {
        "year": year,
        "scope": {"bu": unit.code},
        "name": f"{year} {unit.name_zh} 客户选择标准",
        "criteria": [
            _criterion("revenue", 25),
            _criterion("employees", 15),
            _criterion("it_budget", 15),
            _criterion("outsourcing_attitude", 20, gate=30),
            _criterion("it_importance", 15),
            _criterion("key_decision_maker", 10),
        ],
        "tiers": TIERS,
    }


def _override_document(segment, year: int) -> dict:
    return {
        "year": year,
        "scope": {"segment": segment.code},
        "name": f"{year} {segment.name_zh} 细分市场标准",
        "criteria": [
            _criterion("revenue", 30, rule=_linear(0, 300_000_000)),
            _criterion("employees", 10),
            _criterion("it_budget", 15),
            _criterion("outsourcing_attitude", 20, gate=30),
            _criterion("segment_trend", 15),
            _criterion("solution_need", 10),
        ],
        "tiers": [
            TIERS[0] | {"rule": {"type": "top_n", "value": 10}},
            TIERS[1] | {"rule": {"type": "min_score", "value": 65}},
            TIERS[2],
        ],
    }


def _seed_goals(year: int) -> None:
    for group in BusinessGroup.objects.all():
        Goal.objects.get_or_create(
            business_group=group,
            year=year,
            defaults={
                "strategy": f"{group.name_zh}：聚焦数字化转型需求旺盛的中大型客户，"
                "提升重点客户收入占比，对低潜力客户减少投入。",
                "target_customer_count": 120,
                "target_revenue": Decimal("800000000"),
                "resource_share": 70,
            },
        )
    for unit in BusinessUnit.objects.all():
        Goal.objects.get_or_create(
            business_unit=unit,
            year=year,
            defaults={
                "strategy": f"{unit.name_zh}：重点客户满意度达到 90%，"
                "每个重点客户有明确的发展负责人和年度计划。",
                "target_customer_count": 40,
                "target_revenue": Decimal("200000000"),
                "resource_share": 70,
            },
        )


@transaction.atomic
def seed_criteria(year: int) -> dict:
    """Goals, a published BU default and one published segment override per BU, tier policies."""
    seed_library()
    _seed_goals(year)
    loaded = []
    for unit in BusinessUnit.objects.order_by("code"):
        if not CriteriaSet.objects.filter(business_unit=unit, segment=None, year=year).exists():
            loaded.append(criteria_set_load(document=_default_document(unit, year), publish=True))
        segment = unit.segments.order_by("code").first()
        if segment and not CriteriaSet.objects.filter(segment=segment, year=year).exists():
            loaded.append(
                criteria_set_load(document=_override_document(segment, year), publish=True)
            )
    return {"year": year, "loaded": len(loaded)}
