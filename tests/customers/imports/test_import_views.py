"""Customer import in the browser: upload, preview (dry run), confirm; access by role."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from customers.credit_code import check_character
from customers.imports.runs import ImportRun
from customers.models import Customer

HEADER = "credit_code,name,name_en,bu,segment,region,industry,year,revenue,profit,it_budget,it_spend,employees,it_staff"


def code(n: int) -> str:
    body = f"9144030{n:010d}"
    return body + check_character(body)


GOOD = f"{HEADER}\n{code(1)},<b>甲</b>公司,,BU1,AUTO,guangdong,electronics,2024,100,1,1,1,10,1\n"
BAD = f"{HEADER}\n{code(1)},甲公司,,BU1,AUTO,,,2024,lots,1,1,1,10,1\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    # Pages answer in the language of the switcher's cookie; these tests read English.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield tmp_path


def upload(client, text=GOOD, name="customers.csv", year=2024):
    return client.post(
        reverse("customers:customer-import"),
        {"file": SimpleUploadedFile(name, text.encode()), "year": year},
    )


def token_of(response) -> str:
    return response["Location"].rstrip("/").split("/")[-1]


def test_the_upload_page_is_shown_to_a_researcher(people, client_for):
    response = client_for(people.erin).get(reverse("customers:customer-import"))
    assert response.status_code == 200 and b'type="file"' in response.content


@pytest.mark.parametrize("username", ["dave", "alice", "grace", "judy", "bob"])
def test_users_who_may_not_edit_customers_are_refused(people, client_for, username):
    client = client_for(getattr(people, username))
    assert client.get(reverse("customers:customer-import")).status_code == 403
    assert upload(client).status_code == 403


def test_a_superuser_may_import(people, client_for):
    people.judy.is_superuser = True
    people.judy.save()
    assert upload(client_for(people.judy)).status_code == 302


def test_the_upload_shows_a_preview_and_writes_nothing(people, client_for, media):
    client = client_for(people.erin)
    response = client.get(upload(client)["Location"])
    assert response.status_code == 200
    assert b'data-testid="import-summary"' in response.content
    assert b"&lt;b&gt;\xe7\x94\xb2&lt;/b&gt;" in response.content  # the name, escaped
    assert not Customer.objects.exists()
    assert len(list((media / "imports").iterdir())) == 1


def test_confirming_imports_the_previewed_file_and_deletes_it(
    people, client_for, media, django_capture_on_commit_callbacks
):
    client = client_for(people.erin)
    token = token_of(upload(client))
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("customers:customer-import-confirm", args=[token]))
    assert confirmed.url == ImportRun.objects.get().get_absolute_url()
    response = client.get(confirmed.url)
    assert Customer.objects.get().name_zh == "<b>甲</b>公司"
    assert b"Imported 1 rows" in response.content
    assert not (Path(media) / "imports" / token).exists()
    again = client.post(reverse("customers:customer-import-confirm", args=[token]))
    assert again.status_code == 404


def test_a_bad_file_shows_every_problem_by_row_and_column(people, client_for):
    client = client_for(people.erin)
    response = client.get(upload(client, BAD)["Location"])
    assert b'data-testid="import-problems"' in response.content
    assert b"<td>2</td><td>revenue</td>" in response.content
    assert b"confirm-import" not in response.content


def test_a_bad_file_cannot_be_confirmed(people, client_for):
    client = client_for(people.erin)
    token = token_of(upload(client, BAD))
    client.post(reverse("customers:customer-import-confirm", args=[token]))
    assert not Customer.objects.exists()


def test_rows_of_another_bu_are_problems_for_a_researcher(people, client_for):
    client = client_for(people.erin)
    text = f"{HEADER}\n{code(2)},乙公司,,BU2,CHEM,,,2024,,,,,,\n"
    response = client.get(upload(client, text)["Location"])
    assert b"You may not edit customers of BU BU2" in response.content


def test_a_token_of_another_user_is_refused(org, people, client_for, client, media):
    token = token_of(upload(client_for(people.erin)))
    client.logout()
    from organisation.models import Role, RoleMembership
    from tests.factories import UserFactory

    other = UserFactory(username="rita")
    RoleMembership.objects.create(user=other, role=Role.RESEARCHER, business_unit=org.bu1)
    other_client = client_for(other)
    preview = reverse("customers:customer-import-preview", args=[token])
    assert other_client.get(preview).status_code == 404
    confirm = reverse("customers:customer-import-confirm", args=[token])
    assert other_client.post(confirm).status_code == 404
    assert not Customer.objects.exists()


def test_a_made_up_token_is_refused(people, client_for):
    url = reverse("customers:customer-import-preview", args=["..%2F..%2Fsecret"])
    assert client_for(people.erin).get(url).status_code == 404


def test_a_file_of_another_type_is_refused_by_the_form(people, client_for):
    response = upload(client_for(people.erin), name="customers.exe")
    assert response.status_code == 200 and b"Upload a CSV or XLSX file." in response.content


def test_a_future_year_is_refused_by_the_form(people, client_for):
    response = upload(client_for(people.erin), year=2999)
    assert response.status_code == 200 and b"in the future" in response.content
