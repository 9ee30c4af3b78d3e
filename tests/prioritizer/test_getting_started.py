"""docs/getting-started.md's path on a fresh database: the example files of docs/examples/ load
in order with the documented commands, and the first ranking comes out as DESIGN.md's scoring
says (totals worked out by hand below)."""

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from customers.models import Customer
from evaluation.models import TargetList
from organisation.models import RoleMembership, Segment

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"

# revenue linear 0..500M ×40 %, employees bands ×30 %, IT budget linear 0..10M ×30 % (gate 10)
EXPECTED = [
    # name, total, status, tier
    ("上海华东汽车零部件有限公司", "97.00", "target", "A"),  # 40 + 30 + 27
    ("浙江新能源电池有限公司", "89.50", "target", "A"),  # 40 + 30 + 19.5
    ("重庆座椅系统有限公司", "57.80", "target", "B"),  # 24.8 + 21 + 12
    ("江苏精密齿轮股份有限公司", "49.20", "target", "B"),  # 19.2 + 21 + 9
    ("广州汽车电子有限公司", "27.00", "general", ""),  # 12 + 9 + 6
    ("天津车桥制造有限公司", "18.00", "screened_out", ""),  # 7.2 + 9 + 1.8; IT budget 6 < gate 10
]


def load_examples(customers="3-customers.csv"):
    call_command("load_org", str(EXAMPLES / "1-org.json"), stdout=io.StringIO())
    call_command("load_people", str(EXAMPLES / "2-people.csv"), stdout=io.StringIO())
    call_command("import_customers", str(EXAMPLES / customers), stdout=io.StringIO())
    call_command(
        "load_criteria", str(EXAMPLES / "4-criteria.json"), "--publish", stdout=io.StringIO()
    )
    call_command("score", "--year", "2027", "--segment", "AUTO", stdout=io.StringIO())


def exported(tmp_path) -> list[dict]:
    path = tmp_path / "auto.csv"
    call_command(
        "export_target_list",
        "--year",
        "2027",
        "--segment",
        "AUTO",
        "--format",
        "csv",
        "--output",
        str(path),
        stdout=io.StringIO(),
    )
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


@pytest.mark.django_db
def test_the_examples_load_in_order_and_give_the_first_ranking(tmp_path):
    load_examples()
    assert Segment.objects.count() == 2 and Customer.objects.count() == 6
    assert get_user_model().objects.get(username="zhang.wei").get_full_name() == "张伟"
    assert RoleMembership.objects.filter(user__username="zhang.wei").count() == 2
    assert TargetList.objects.get(segment__code="AUTO", year=2027).state == "draft"
    rows = exported(tmp_path)
    assert [(r["name"], r["total"], r["status"], r["tier"]) for r in rows] == EXPECTED


@pytest.mark.django_db
def test_the_gb18030_customer_file_gives_the_same_ranking(tmp_path):
    load_examples("3-customers-gb18030.csv")
    rows = exported(tmp_path)
    assert [(r["name"], r["total"], r["status"], r["tier"]) for r in rows] == EXPECTED


@pytest.mark.django_db
def test_loading_the_examples_again_changes_nothing(tmp_path):
    load_examples()
    before = exported(tmp_path)
    load_examples()
    assert Customer.objects.count() == 6 and exported(tmp_path) == before
