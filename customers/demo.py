"""Demo customers for `seed_demo`: believable Chinese companies with valid credit codes,
two years of facts, rated attributes and decision makers. Deterministic (fixed seed)."""

from __future__ import annotations

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from customers import credit_code
from customers.completeness import all_fields, completeness
from customers.models import (
    Attribute,
    AttributeOption,
    AttributeValue,
    Contact,
    Customer,
    CustomerYear,
)
from customers.reference import Industry, Region
from organisation.models import Role, Segment

DEMO_ATTRIBUTES = [
    (
        "outsourcing_attitude",
        "外包接受程度",
        "Outsourcing attitude",
        [("open", "开放", "Open"), ("neutral", "中立", "Neutral"), ("closed", "保守", "Closed")],
    ),
    (
        "it_importance",
        "IT对业务的重要性",
        "IT importance to the business",
        [("high", "高", "High"), ("medium", "中", "Medium"), ("low", "低", "Low")],
    ),
    (
        "inhouse_it",
        "自有IT能力",
        "In-house IT capability",
        [("strong", "强", "Strong"), ("medium", "一般", "Medium"), ("weak", "弱", "Weak")],
    ),
    (
        "purchase_factor",
        "主要采购因素",
        "Key purchase factor",
        [
            ("price", "价格", "Price"),
            ("quality", "质量", "Quality"),
            ("service", "服务", "Service"),
            ("brand", "品牌", "Brand"),
        ],
    ),
    (
        "solution_need",
        "解决方案需求",
        "Solution need",
        [
            ("erp", "ERP", "ERP"),
            ("ecommerce", "电子商务", "E-commerce"),
            ("middleware", "中间件", "Middleware"),
            ("analytics", "数据分析", "Analytics"),
        ],
    ),
    # Read by the criteria demo's segment_trend criterion (evaluation.criteria.demo). Seeded and rated
    # with the others, so the stored completeness counts it from the start.
    (
        "segment_trend",
        "细分市场趋势",
        "Segment trend",
        [
            ("growing", "增长", "Growing"),
            ("stable", "平稳", "Stable"),
            ("declining", "下滑", "Declining"),
        ],
    ),
]

CITIES = [
    ("北京", Region.BEIJING, "110000"),
    ("上海", Region.SHANGHAI, "310000"),
    ("广州", Region.GUANGDONG, "440100"),
    ("深圳", Region.GUANGDONG, "440300"),
    ("杭州", Region.ZHEJIANG, "330100"),
    ("宁波", Region.ZHEJIANG, "330200"),
    ("苏州", Region.JIANGSU, "320500"),
    ("南京", Region.JIANGSU, "320100"),
    ("成都", Region.SICHUAN, "510100"),
    ("重庆", Region.CHONGQING, "500000"),
    ("武汉", Region.HUBEI, "420100"),
    ("西安", Region.SHAANXI, "610100"),
    ("天津", Region.TIANJIN, "120000"),
    ("青岛", Region.SHANDONG, "370200"),
    ("厦门", Region.FUJIAN, "350200"),
    ("长沙", Region.HUNAN, "430100"),
    ("郑州", Region.HENAN, "410100"),
    ("合肥", Region.ANHUI, "340100"),
    ("沈阳", Region.LIAONING, "210100"),
    ("昆明", Region.YUNNAN, "530100"),
]
WORDS = [
    "华",
    "盛",
    "恒",
    "联",
    "创",
    "新",
    "远",
    "达",
    "鑫",
    "瑞",
    "中",
    "泰",
    "宏",
    "凯",
    "博",
    "锦",
    "东方",
    "天成",
    "海",
    "金",
    "永",
    "信",
    "汇",
    "安",
    "德",
    "嘉",
    "晨",
    "光",
    "星",
    "峰",
]
SEGMENT_TRADE = {
    "AUTO": ("汽车零部件", Industry.AUTOMOTIVE),
    "ELEC": ("电子科技", Industry.ELECTRONICS),
    "MACH": ("机械装备", Industry.MACHINERY),
    "CHEM": ("化工", Industry.CHEMICALS),
    "FOOD": ("食品", Industry.FOOD_BEVERAGE),
    "PHAR": ("医药", Industry.PHARMACEUTICALS),
    "BANK": ("银行", Industry.BANKING),
    "INSU": ("保险", Industry.INSURANCE),
    "RETL": ("商贸连锁", Industry.RETAIL),
    "LOGI": ("物流", Industry.LOGISTICS),
}
PINYIN = {
    "北京": "Beijing",
    "上海": "Shanghai",
    "广州": "Guangzhou",
    "深圳": "Shenzhen",
    "杭州": "Hangzhou",
    "宁波": "Ningbo",
    "苏州": "Suzhou",
    "南京": "Nanjing",
    "成都": "Chengdu",
    "重庆": "Chongqing",
    "武汉": "Wuhan",
    "西安": "Xi'an",
    "天津": "Tianjin",
    "青岛": "Qingdao",
    "厦门": "Xiamen",
    "长沙": "Changsha",
    "郑州": "Zhengzhou",
    "合肥": "Hefei",
    "沈阳": "Shenyang",
    "昆明": "Kunming",
}
FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "军",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "华",
    "丽",
]
TITLES = ["总经理", "首席信息官", "IT总监", "财务总监", "采购经理", "运营副总裁", "信息中心主任"]
ALPHABET_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def seed_attributes() -> list[Attribute]:
    attributes = []
    for order, (key, name_zh, name_en, options) in enumerate(DEMO_ATTRIBUTES):
        attribute, _created = Attribute.objects.get_or_create(
            key=key, defaults={"name_zh": name_zh, "name_en": name_en, "order": order}
        )
        for option_order, (option_key, option_zh, option_en) in enumerate(options):
            AttributeOption.objects.get_or_create(
                attribute=attribute,
                key=option_key,
                defaults={"name_zh": option_zh, "name_en": option_en, "order": option_order},
            )
        attributes.append(attribute)
    return attributes


def _credit_code(rng: random.Random, division: str) -> str:
    body = "".join(rng.choice(ALPHABET_BODY) for _ in range(9))
    first_17 = "91" + division + body
    return first_17 + credit_code.check_character(first_17)


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(f"{rng.uniform(low, high):.2f}")


@transaction.atomic
def seed_customers(*, count: int = 2000, years: tuple[int, int], seed: int = 2026) -> int:
    """Create `count` demo customers spread over the segments (idempotent: tops up only)."""
    missing = count - Customer.objects.count()
    if missing <= 0:
        return 0
    rng = random.Random(seed + Customer.objects.count())
    attributes = seed_attributes()
    options = {a.pk: list(a.options.all()) for a in attributes}
    segments = list(Segment.objects.select_related("business_unit"))
    users = get_user_model().objects.filter(role_memberships__isnull=False).distinct()
    people = {}
    for user in users.prefetch_related("role_memberships"):
        for membership in user.role_memberships.all():
            people.setdefault((membership.role, membership.business_unit_id), []).append(user)
    used_codes = set(
        Customer.objects.exclude(credit_code=None).values_list("credit_code", flat=True)
    )
    used_names = set(Customer.objects.values_list("name_zh", flat=True))

    customers, links = [], []
    while len(customers) < missing:
        segment = rng.choice(segments)
        city, region, division = rng.choice(CITIES)
        trade, industry = SEGMENT_TRADE.get(segment.code, ("科技", Industry.OTHER))
        brand = rng.choice(WORDS) + rng.choice(WORDS)
        name = f"{city}{brand}{trade}{rng.choice(['有限公司', '股份有限公司', '集团有限公司'])}"
        if name in used_names:
            continue
        code = _credit_code(rng, division) if rng.random() < 0.92 else None
        if code in used_codes:
            continue
        used_names.add(name)
        used_codes.add(code)
        bu_id = segment.business_unit_id
        customers.append(
            Customer(
                name_zh=name,
                name_en=f"{PINYIN[city]} {segment.name_en} Co., Ltd.",
                credit_code=code,
                business_unit_id=bu_id,
                region=region,
                industry=industry,
                address=f"{city}市{rng.choice(['高新区', '经开区', '工业园区', '中心区'])}{rng.randint(1, 999)}号",
                status=rng.choices(
                    [Customer.Status.PROSPECT, Customer.Status.ACTIVE, Customer.Status.FORMER],
                    [5, 4, 1],
                )[0],
                data_steward=rng.choice(people.get((Role.RESEARCHER, bu_id), [None])),
                account_manager=rng.choice(people.get((Role.ACCOUNT_MANAGER, bu_id), [None])),
            )
        )
        links.append(segment.pk)
    Customer.objects.bulk_create(customers, batch_size=1000)
    Customer.segments.through.objects.bulk_create(
        [
            Customer.segments.through(customer_id=c.pk, segment_id=s)
            for c, s in zip(customers, links, strict=True)
        ],
        batch_size=2000,
    )

    contacts, years_rows, ratings = [], [], []
    keys = [a.key for a in attributes]
    for customer in customers:
        size = rng.lognormvariate(19, 1.3)  # revenue in yuan, median about 180 million
        key_dm = rng.random() < 0.7
        for index in range(rng.randint(1, 3)):
            contacts.append(
                Contact(
                    customer=customer,
                    name=rng.choice(FAMILY)
                    + rng.choice(GIVEN)
                    + (rng.choice(GIVEN) if rng.random() < 0.5 else ""),
                    title=rng.choice(TITLES),
                    buying_role=Contact.BuyingRole.DECISION_MAKER
                    if index == 0
                    else rng.choice(Contact.BuyingRole.values),
                    influence=rng.choice(Contact.Level.values),
                    attitude=rng.choice(Contact.Attitude.values),
                    is_key_decision_maker=key_dm and index == 0,
                    phone=f"1{rng.randint(3, 9)}{rng.randint(0, 999999999):09d}",
                )
            )
        for age, year in enumerate(sorted(years)):
            growth = 1 + rng.uniform(-0.1, 0.25) * age
            filled = rng.random() < (0.6 if age else 0.85)  # newer year still being collected
            revenue = Decimal(f"{size * growth:.2f}")
            values = {
                "revenue": revenue,
                "employees": int(size / rng.uniform(800_000, 2_000_000)) + 5,
                "profit": (revenue * Decimal(f"{rng.uniform(-0.05, 0.18):.3f}")).quantize(
                    Decimal("0.01")
                )
                if filled
                else None,
                "it_budget": (revenue * Decimal(f"{rng.uniform(0.005, 0.04):.4f}")).quantize(
                    Decimal("0.01")
                )
                if filled
                else None,
                "it_spend": (revenue * Decimal(f"{rng.uniform(0.004, 0.035):.4f}")).quantize(
                    Decimal("0.01")
                )
                if filled
                else None,
                "it_staff": rng.randint(2, 300) if filled else None,
                "business_strategy": rng.choice(
                    ["扩大产能，进入海外市场", "数字化转型，提升运营效率", "聚焦核心业务，控制成本"]
                )
                if filled
                else "",
                "it_landscape": rng.choice(
                    ["SAP ERP，自建MES", "用友ERP，金蝶财务", "Oracle EBS，Salesforce"]
                )
                if filled
                else "",
                "planned_projects": rng.choice(["供应链协同平台", "数据中台建设", "云迁移", ""])
                if filled
                else "",
            }
            rated = {}
            for attribute in attributes:
                if rng.random() < (0.9 if filled else 0.5):
                    option = rng.choice(options[attribute.pk])
                    ratings.append(
                        AttributeValue(
                            customer=customer, year=year, attribute=attribute, option=option
                        )
                    )
                    rated[attribute.key] = True
            share = completeness(
                {
                    **values,
                    "region": customer.region,
                    "industry": customer.industry,
                    "key_decision_maker": key_dm,
                    **rated,
                },
                all_fields(keys),
            )
            years_rows.append(
                CustomerYear(customer=customer, year=year, completeness=share.percent, **values)
            )
    Contact.objects.bulk_create(contacts, batch_size=2000)
    CustomerYear.objects.bulk_create(years_rows, batch_size=2000)
    AttributeValue.objects.bulk_create(ratings, batch_size=5000)
    return len(customers)
