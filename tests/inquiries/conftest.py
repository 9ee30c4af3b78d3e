from datetime import timedelta

import pytest
from django.utils import timezone

from inquiries import services
from inquiries.models import Channel

VALID_CREDIT_CODE = "91350100M000100Y43"


def inquiry_data(segment, **overrides) -> dict:
    data = {
        "received_at": timezone.now() - timedelta(hours=1),
        "channel": Channel.PHONE,
        "segment": segment,
        "company_name": "宁波精工汽配有限公司",
        "credit_code": "",
        "contact_name": "王经理",
        "contact_phone": "+86 574 8888 1234",
        "contact_email": "",
        "request": "询问MES升级服务",
        "initial_handling": "已发送资料",
    }
    data.update(overrides)
    return data


@pytest.fixture
def log_inquiry(people, org):
    """log_inquiry(company_name=…, segment=org.elec, by=people.dave, …) through the service."""

    def log(by=None, **overrides):
        overrides.setdefault("segment", org.auto)
        return services.inquiry_log(by=by or people.dave, data=inquiry_data(**overrides))

    return log
