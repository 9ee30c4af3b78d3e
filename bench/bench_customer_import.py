"""Import of 100,000 customer rows: first as new customers, then the same customers with
changed figures (every customer-year and rating updated), then the identical file again."""

import random
import time

from customers.credit_code import ALPHABET, check_character
from customers.imports.service import customers_import
from customers.models import AttributeOption, Customer
from customers.reference import Industry, Region
from organisation.demo import seed_org_and_users
from organisation.models import Segment

ROWS = 100_000
YEAR = 2025
HEADER = (
    "credit_code,name,name_en,bu,segment,region,industry,year,revenue,profit,it_budget,"
    "it_spend,employees,it_staff,outsourcing_attitude,digital_maturity"
)
CITIES = [
    "上海",
    "北京",
    "深圳",
    "广州",
    "杭州",
    "苏州",
    "南京",
    "成都",
    "武汉",
    "天津",
    "宁波",
    "青岛",
]
WORDS = [
    "华",
    "鑫",
    "达",
    "瑞",
    "恒",
    "宏",
    "信",
    "泰",
    "隆",
    "盛",
    "安",
    "博",
    "创",
    "远",
    "科",
    "嘉",
]
TRADES = ["汽车零部件", "电子科技", "机械制造", "化工", "食品", "医药", "金融服务", "物流", "商贸"]
FORMS = ["有限公司", "股份有限公司", "集团有限公司"]
CODE_CHARS = ALPHABET


def credit_code(rng: random.Random) -> str:
    body = (
        "91"
        + f"{rng.randrange(110000, 660000):06d}"
        + "".join(rng.choice(CODE_CHARS) for _ in range(9))
    )
    return body + check_character(body)


def make_file(rng: random.Random, codes: list[str], factor: int = 1) -> bytes:
    segments = list(Segment.objects.values_list("code", "business_unit__code"))
    regions = [r.value for r in Region]
    industries = [i.value for i in Industry]
    lines = [HEADER]
    for number, code in enumerate(codes):
        segment, bu = segments[number % len(segments)]
        name = (
            rng.choice(CITIES)
            + "".join(rng.choice(WORDS) for _ in range(2))
            + rng.choice(TRADES)
            + rng.choice(FORMS)
            + f"{number}"
        )
        revenue = rng.randrange(1_000_000, 5_000_000_000) * factor
        lines.append(
            ",".join(
                [
                    code,
                    name,
                    f"Company {number} Ltd",
                    bu,
                    segment,
                    regions[number % len(regions)],
                    industries[number % len(industries)],
                    str(YEAR),
                    f"{revenue}.50",
                    str(rng.randrange(-50_000_000, 500_000_000) * factor),
                    str(revenue // 100),
                    str(revenue // 120),
                    str(rng.randrange(10, 50_000)),
                    str(rng.randrange(1, 500)),
                    rng.choice(["open", "neutral", "closed"]),
                    rng.choice(["low", "medium", "high"]),
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def timed(label: str, data: bytes, dry_run: bool = False):
    start = time.perf_counter()
    result = customers_import(
        file_bytes=data, filename="bench.csv", default_year=None, by=None, dry_run=dry_run
    )
    seconds = time.perf_counter() - start
    assert result.ok, result.problems[:5]
    print(
        f"{label:<48} {seconds:8.1f} s   {result.rows / seconds:8.0f} rows/s   "
        f"created {result.customers_created}, updated {result.customers_updated}, "
        f"facts +{result.facts_created}/~{result.facts_updated}, ratings {result.ratings_written}"
    )
    return seconds


def run() -> None:
    from tests.factories import attribute_with_options

    seed_org_and_users()
    attribute_with_options("outsourcing_attitude", "open", "neutral", "closed")
    attribute_with_options("digital_maturity", "low", "medium", "high")
    AttributeOption.objects.update(name_en="")
    rng = random.Random(2025)
    codes = list({credit_code(rng) for _ in range(ROWS + 100)})[:ROWS]
    first = make_file(rng, codes)
    changed = make_file(random.Random(7), codes, factor=2)
    print(f"customer import: {ROWS} rows, {len(first) / 1e6:.1f} MB CSV")
    timed("check only (dry run), all new", first, dry_run=True)
    timed("import, all new", first)
    timed("import, same customers, every figure changed", changed)
    timed("import, identical file again (no changes)", changed)
    assert Customer.objects.count() == ROWS
    print(f"customer history rows: {Customer.history.count()}")
