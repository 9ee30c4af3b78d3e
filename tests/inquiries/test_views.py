"""The inquiry pages: who may see and do what, and what bad input looks like."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from openpyxl import load_workbook

from inquiries import rollup_runs
from inquiries.models import Decision, Inquiry
from tests.factories import CustomerFactory


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages in English (the language switcher's cookie), so messages can be compared."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with override("en"):
        yield


def errors_of(form, field=None) -> list[str]:
    """Error texts in English (a request deactivates the test's language when it ends)."""
    with override("en"):
        if field is None:
            return [str(e) for e in form.non_field_errors()]
        return [str(e) for e in form.errors.get(field, [])]


def form_data(segment, **overrides):
    data = {
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "phone",
        "segment": segment.pk,
        "company_name": "宁波精工汽配有限公司",
        "credit_code": "",
        "contact_name": "王经理",
        "contact_phone": "0574-88881234",
        "contact_email": "",
        "request": "询问MES升级",
        "initial_handling": "",
    }
    data.update(overrides)
    return data


class TestLogging:
    def test_an_account_manager_logs_an_inquiry(self, client_for, people, org):
        response = client_for(people.dave).post(
            reverse("inquiries:inquiry-create"), form_data(org.auto)
        )
        inquiry = Inquiry.objects.get()
        assert response.status_code == 302 and response.url == inquiry.get_absolute_url()
        assert inquiry.logged_by == people.dave

    def test_the_form_is_offered_with_the_users_segments(self, client_for, people):
        response = client_for(people.dave).get(reverse("inquiries:inquiry-create"))
        assert response.status_code == 200
        segments = response.context["form"].fields["segment"].queryset
        assert sorted(s.code for s in segments) == ["AUTO", "ELEC"]
        assert b"hx-get" in response.content and b"autofocus" in response.content

    @pytest.mark.parametrize("who", ["erin", "alice", "frank", "judy"])
    def test_others_may_not_log(self, client_for, people, org, who):
        client = client_for(getattr(people, who))
        assert client.get(reverse("inquiries:inquiry-create")).status_code == 403
        assert (
            client.post(reverse("inquiries:inquiry-create"), form_data(org.auto)).status_code == 403
        )
        assert not Inquiry.objects.exists()

    def test_a_segment_of_another_bu_is_not_accepted(self, client_for, people, org):
        response = client_for(people.dave).post(
            reverse("inquiries:inquiry-create"), form_data(org.chem)
        )
        assert response.status_code == 200 and "segment" in response.context["form"].errors
        assert not Inquiry.objects.exists()

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"company_name": "", "contact_name": ""}, "company_name", "This field is required."),
            (
                {
                    "received_at": (timezone.localtime() + timedelta(days=2)).strftime(
                        "%Y-%m-%dT%H:%M"
                    )
                },
                "received_at",
                "The time received cannot be in the future.",
            ),
            ({"contact_phone": "abc"}, "contact_phone", "Enter a phone number"),
            ({"contact_email": "x@"}, "contact_email", "Enter a valid email address."),
            ({"request": "x" * 1_000_000}, "request", "at most 4000 characters"),
            ({"credit_code": "12345"}, "credit_code", "exactly 18 characters"),
        ],
    )
    def test_bad_input_is_explained_and_nothing_is_saved(
        self, client_for, people, org, overrides, field, message
    ):
        response = client_for(people.dave).post(
            reverse("inquiries:inquiry-create"), form_data(org.auto, **overrides)
        )
        assert response.status_code == 200
        assert any(message in error for error in errors_of(response.context["form"], field))
        assert not Inquiry.objects.exists()

    def test_missing_contact_is_explained(self, client_for, people, org):
        response = client_for(people.dave).post(
            reverse("inquiries:inquiry-create"),
            form_data(org.auto, contact_name="", contact_phone=""),
        )
        errors = response.context["form"].errors
        assert "contact_name" in errors and "contact_phone" in errors

    def test_script_is_shown_as_text(self, client_for, people, org):
        evil = "<script>alert(1)</script>"
        client = client_for(people.dave)
        client.post(
            reverse("inquiries:inquiry-create"),
            form_data(org.auto, company_name=evil, request=evil, contact_name=evil),
        )
        inquiry = Inquiry.objects.get()
        for url in (inquiry.get_absolute_url(), reverse("inquiries:inquiry-list")):
            content = client.get(url).content.decode()
            assert evil not in content
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content

    def test_suggestions_show_matching_customers_and_a_duplicate(
        self, client_for, people, org, log_inquiry
    ):
        CustomerFactory(name_zh="宁波精工汽配股份有限公司", business_unit=org.bu1)
        CustomerFactory(name_zh="宁波精工汽配集团", business_unit=org.bu3)  # not visible to dave
        log_inquiry()
        response = client_for(people.dave).get(
            reverse("inquiries:inquiry-suggestions"), {"company_name": "宁波精工汽配"}
        )
        assert [m.customer.name_zh for m in response.context["matches"]] == [
            "宁波精工汽配股份有限公司"
        ]
        assert response.context["duplicate"] is not None
        assert b"duplicate-warning" in response.content

    def test_a_chosen_suggestion_links_the_customer(self, client_for, people, org):
        customer = CustomerFactory(name_zh="宁波精工汽配股份有限公司", business_unit=org.bu1)
        client_for(people.dave).post(
            reverse("inquiries:inquiry-create"), form_data(org.auto, customer=customer.pk)
        )
        assert Inquiry.objects.get().customer == customer


class TestReading:
    def test_visibility_follows_the_org(self, client_for, people, org, log_inquiry):
        auto = log_inquiry(company_name="汽车公司")
        elec = log_inquiry(company_name="电子公司", segment=org.elec)
        expected = {
            "dave": {auto, elec},
            "bob": {auto, elec},
            "carol": {auto, elec},
            "frank": {auto, elec},
            "alice": {auto},
            "eve": {elec},
            "grace": set(),
            "ivan": set(),
        }
        for who, visible in expected.items():
            client = client_for(getattr(people, who))
            response = client.get(reverse("inquiries:inquiry-list"))
            assert set(response.context["page"].object_list) == visible, who
            for inquiry in (auto, elec):
                status = client.get(inquiry.get_absolute_url()).status_code
                assert status == (200 if inquiry in visible else 403), (who, inquiry)

    def test_researchers_and_people_without_roles_see_no_inquiries(self, client_for, people):
        for who in ("erin", "judy"):
            response = client_for(getattr(people, who)).get(reverse("inquiries:inquiry-list"))
            assert response.status_code in (200, 403)
            if response.status_code == 200:
                assert not response.context["page"].object_list

    def test_only_the_logger_sees_the_edit_link_and_edits(self, client_for, people, log_inquiry):
        inquiry = log_inquiry()
        edit = reverse("inquiries:inquiry-edit", args=[inquiry.pk])
        assert client_for(people.bob).get(edit).status_code == 403
        assert client_for(people.alice).get(edit).status_code == 403
        response = client_for(people.dave).post(
            edit, form_data(inquiry.segment, contact_name="李总")
        )
        assert response.status_code == 302
        inquiry.refresh_from_db()
        assert inquiry.contact_name == "李总"


class TestReviewQueue:
    def test_the_segment_manager_sees_overdue_inquiries_highlighted(
        self, client_for, people, log_inquiry, settings
    ):
        settings.INQUIRY_REVIEW_DAYS = 3
        old = log_inquiry(received_at=timezone.now() - timedelta(days=4), company_name="旧公司")
        new = log_inquiry(company_name="新公司")
        response = client_for(people.alice).get(reverse("inquiries:review-queue"))
        assert list(response.context["inquiries"]) == [old, new]
        assert response.context["overdue"] == 1
        assert response.content.decode().count("inquiry-overdue") == 1

    def test_the_queue_is_refused_to_those_who_do_not_decide(self, client_for, people):
        for who in ("dave", "frank", "judy", "erin"):
            assert (
                client_for(getattr(people, who)).get(reverse("inquiries:review-queue")).status_code
                == 403
            )

    def test_deciding_on_the_page(self, client_for, people, log_inquiry):
        inquiry = log_inquiry()
        url = reverse("inquiries:inquiry-decide", args=[inquiry.pk])
        client = client_for(people.alice)
        response = client.post(url, {"decision": "decline"})
        assert response.status_code == 400
        assert "decline_reason" in response.context["decision_form"].errors
        response = client.post(url, {"decision": "decline", "decline_reason": "too_small"})
        assert response.status_code == 302
        response = client.post(url, {"decision": "serve_once"})
        assert response.status_code == 400
        assert "already decided" in errors_of(response.context["decision_form"])[0]
        inquiry.refresh_from_db()
        assert inquiry.decision == Decision.DECLINE

    def test_others_cannot_decide_on_the_page(self, client_for, people, log_inquiry):
        inquiry = log_inquiry()
        url = reverse("inquiries:inquiry-decide", args=[inquiry.pk])
        for who in ("dave", "eve", "bob", "frank"):
            assert (
                client_for(getattr(people, who)).post(url, {"decision": "serve_once"}).status_code
                == 403
            )
        assert Inquiry.objects.get().is_open

    def test_follow_ups_on_the_page(self, client_for, people, log_inquiry):
        inquiry = log_inquiry()
        url = reverse("inquiries:follow-up-add", args=[inquiry.pk])
        today = timezone.localdate().isoformat()
        client_for(people.dave).post(url, {"happened_on": today, "feedback": "需要报价"})
        assert inquiry.follow_ups.count() == 1
        assert (
            client_for(people.eve).post(url, {"happened_on": today, "feedback": "x"}).status_code
            == 403
        )
        page = client_for(people.bob).get(inquiry.get_absolute_url()).content.decode()
        assert "需要报价" in page


class TestReports:
    def test_the_rollup_page_shows_the_month(self, client_for, people, log_inquiry):
        inquiry = log_inquiry()
        month = timezone.localdate().replace(day=1)
        rollup_runs.inquiry_rollup_run(month=inquiry.received_at.astimezone().date().replace(day=1))
        response = client_for(people.bob).get(
            reverse("inquiries:rollup-report"), {"month": f"{month:%Y-%m}"}
        )
        assert response.status_code == 200
        assert response.context["report"].total == 1
        assert b'id="rollup-chart-data"' in response.content
        assert b"<script>" not in response.content  # no inline script (CSP)

    def test_the_rollup_lines_follow_the_readers_scope(self, client_for, people, log_inquiry, org):
        log_inquiry()
        log_inquiry(segment=org.elec, company_name="电子")
        rollup_runs.inquiry_rollup_run(month=timezone.localdate().replace(day=1))
        response = client_for(people.alice).get(reverse("inquiries:rollup-report"))
        assert {line.segment.code for line in response.context["report"].lines} == {"AUTO"}
        response = client_for(people.grace).get(reverse("inquiries:rollup-report"))
        assert response.context["report"].lines == []
        assert client_for(people.erin).get(reverse("inquiries:rollup-report")).status_code == 403

    def test_the_annual_summary_exports_to_excel_without_formulas(
        self, client_for, people, log_inquiry
    ):
        log_inquiry(company_name='=HYPERLINK("http://x")')
        url = reverse("inquiries:annual-summary")
        client = client_for(people.frank)
        page = client.get(url)
        assert page.status_code == 200 and page.context["summary"].total["count"] == 1
        response = client.get(url, {"format": "xlsx"})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        workbook = load_workbook(io.BytesIO(response.content))
        values = [cell.value for row in workbook.worksheets[0].iter_rows() for cell in row]
        assert 1 in values
        assert not any(isinstance(v, str) and v.startswith("=") for v in values)

    def test_owner_names_that_look_like_formulas_are_neutralised(
        self, client_for, people, log_inquiry
    ):
        people.dave.first_name, people.dave.last_name = "=1+1", ""
        people.dave.save()
        log_inquiry()
        response = client_for(people.frank).get(
            reverse("inquiries:annual-summary"), {"format": "xlsx"}
        )
        workbook = load_workbook(io.BytesIO(response.content))
        values = [cell.value for row in workbook.worksheets[0].iter_rows() for cell in row]
        assert "'=1+1" in values

    @pytest.mark.parametrize("who", ["dave", "alice", "grace", "erin", "judy"])
    def test_the_annual_summary_is_for_the_external_relations_lead(self, client_for, people, who):
        assert (
            client_for(getattr(people, who)).get(reverse("inquiries:annual-summary")).status_code
            == 403
        )
