import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "model",
    [
        "organisation/businessgroup",
        "organisation/rolemembership",
        "customers/customer",
        "customers/attribute",
        "customers/customeryear",
        "customers/preliminarylist",
        "customers/importrun",
        "evaluation/criteriaset",
        "inquiries/inquiry",
        "outbox/job",
    ],
)
def test_an_administrator_opens_each_list_and_add_page(admin_client, model):
    app, name = model.split("/")
    assert admin_client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200


def test_customers_cannot_be_deleted_in_the_admin(admin_client, org):
    from tests.factories import CustomerFactory

    customer = CustomerFactory(business_unit=org.bu1)
    assert (
        admin_client.get(reverse("admin:customers_customer_delete", args=[customer.pk])).status_code
        == 403
    )


def test_an_attribute_is_defined_with_its_options(admin_client, db):
    from customers.models import Attribute

    response = admin_client.post(
        reverse("admin:customers_attribute_add"),
        {
            "key": "cloud_readiness",
            "name_zh": "上云意愿",
            "name_en": "",
            "description": "",
            "order": 0,
            "options-TOTAL_FORMS": 2,
            "options-INITIAL_FORMS": 0,
            "options-0-key": "high",
            "options-0-name_zh": "高",
            "options-0-order": 0,
            "options-1-key": "low",
            "options-1-name_zh": "低",
            "options-1-order": 1,
        },
    )
    assert response.status_code == 302
    assert list(
        Attribute.objects.get(key="cloud_readiness").options.values_list("key", flat=True)
    ) == ["high", "low"]
