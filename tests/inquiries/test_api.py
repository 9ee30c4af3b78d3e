"""The token-authenticated intake API and its OpenAPI schema."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from inquiries.models import Inquiry

URL = "/api/inquiries/"


def payload(**overrides):
    data = {
        "channel": "web_form",
        "segment": "AUTO",
        "company_name": "宁波精工汽配有限公司",
        "contact_name": "王经理",
        "contact_email": "wang@example.com",
        "request": "希望了解MES升级方案",
    }
    data.update(overrides)
    return data


@pytest.fixture
def api_for():
    def make(user=None):
        client = APIClient()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def test_an_account_manager_posts_an_inquiry(api_for, people, org):
    response = api_for(people.dave).post(URL, payload(), format="json")
    assert response.status_code == 201, response.content
    inquiry = Inquiry.objects.get()
    assert inquiry.via == Inquiry.Via.API and inquiry.logged_by == people.dave
    assert response.json()["segment"] == "AUTO" and response.json()["business_unit"] == "BU1"
    again = api_for(people.dave).get(f"{URL}{inquiry.pk}/")
    assert again.status_code == 200 and again.json()["id"] == inquiry.pk


def test_wrong_types_come_back_per_field(api_for, people):
    response = api_for(people.dave).post(
        URL,
        payload(channel=5, received_at="yesterday", company_name={"a": 1}, request=["x"]),
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"channel", "received_at", "company_name", "request"}
    assert not Inquiry.objects.exists()


def test_an_unknown_segment_is_named(api_for, people):
    response = api_for(people.dave).post(URL, payload(segment="NOPE"), format="json")
    assert response.status_code == 400
    assert response.json() == {"segment": ["Unknown segment “NOPE”."]}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"company_name": ""}, "company_name"),
        ({"contact_name": ""}, "contact_name"),
        ({"contact_email": "", "contact_phone": ""}, "contact_phone"),
        ({"contact_phone": "<script>"}, "contact_phone"),
        ({"contact_email": "nope"}, "contact_email"),
        ({"request": "x" * 1_000_000}, "request"),
        ({"credit_code": "91350100M000100Y44"}, "credit_code"),
    ],
)
def test_bad_fields_come_back_per_field(api_for, people, overrides, field):
    response = api_for(people.dave).post(URL, payload(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Inquiry.objects.exists()


def test_a_future_time_is_refused(api_for, people):
    future = (timezone.now() + timedelta(days=1)).isoformat()
    response = api_for(people.dave).post(URL, payload(received_at=future), format="json")
    assert response.status_code == 400
    assert response.json() == {"received_at": ["The time received cannot be in the future."]}


def test_no_token_is_refused(api_for, org):
    response = api_for().post(URL, payload(), format="json")
    assert response.status_code == 401
    assert not Inquiry.objects.exists()


def test_a_bad_token_is_refused(org):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.post(URL, payload(), format="json").status_code == 401


@pytest.mark.parametrize("who", ["erin", "alice", "bob", "frank", "judy"])
def test_a_token_without_the_right_to_log_is_refused(api_for, people, who):
    response = api_for(getattr(people, who)).post(URL, payload(), format="json")
    assert response.status_code == 403
    assert not Inquiry.objects.exists()


def test_a_token_of_another_bu_is_refused(api_for, people, org):
    from tests.factories import RoleMembershipFactory

    RoleMembershipFactory(user=people.judy, role="account_manager", business_unit=org.bu2)
    response = api_for(people.judy).post(URL, payload(segment="AUTO"), format="json")
    assert response.status_code == 403
    assert api_for(people.judy).post(URL, payload(segment="CHEM"), format="json").status_code == 201


def test_reading_back_is_scoped(api_for, people):
    api_for(people.dave).post(URL, payload(), format="json")
    pk = Inquiry.objects.get().pk
    assert api_for(people.grace).get(f"{URL}{pk}/").status_code == 403
    assert api_for(people.alice).get(f"{URL}{pk}/").status_code == 200


def test_the_schema_describes_the_endpoint(api_for, people):
    assert api_for().get("/api/schema/").status_code == 401
    response = api_for(people.dave).get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert response.status_code == 200
    schema = response.json()
    assert "/api/inquiries/" in schema["paths"]
    assert "InquiryIn" in schema["components"]["schemas"]
