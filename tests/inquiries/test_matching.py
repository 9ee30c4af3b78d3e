import pytest

from inquiries import matching
from inquiries.models import Inquiry
from tests.factories import CustomerFactory
from tests.inquiries.conftest import VALID_CREDIT_CODE


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("宁波精工汽配有限公司", "宁波精工汽配"),
        ("宁波 精工汽配（股份有限公司）", "宁波精工汽配"),
        ("宁波精工汽配集团股份有限公司", "宁波精工汽配"),
        ("ＡＢＣ Co., Ltd.", "abc"),
        ("Acme Corporation", "acme"),
        ("  ", ""),
    ],
)
def test_names_are_normalised(name, expected):
    assert matching.normalise_name(name) == expected


def test_a_suffix_alone_is_kept():
    assert matching.normalise_name("有限公司")


def test_the_credit_code_match_comes_first(org):
    by_code = CustomerFactory(
        name_zh="完全不同的名字有限公司", credit_code=VALID_CREDIT_CODE, business_unit=org.bu1
    )
    by_name = CustomerFactory(name_zh="宁波精工汽配股份有限公司", business_unit=org.bu1)
    from customers.models import Customer

    matches = matching.customer_matches(
        Customer.objects.all(), name="宁波精工汽配有限公司", credit_code=VALID_CREDIT_CODE
    )
    assert [(m.customer, m.reason) for m in matches[:2]] == [
        (by_code, "credit_code"),
        (by_name, "name"),
    ]


def test_no_match_for_an_unrelated_name(org):
    CustomerFactory(name_zh="宁波精工汽配有限公司", business_unit=org.bu1)
    from customers.models import Customer

    assert matching.customer_matches(Customer.objects.all(), name="北京银行") == []


def test_a_recent_inquiry_of_the_same_company_is_a_duplicate(log_inquiry):
    first = log_inquiry(company_name="宁波精工汽配有限公司")
    found = matching.recent_duplicate(
        Inquiry.objects.all(), normalised_name=matching.normalise_name("宁波精工汽配(股份有限公司)")
    )
    assert found == first
    assert matching.recent_duplicate(Inquiry.objects.all(), normalised_name="别的公司") is None
