"""The people file in the browser: superusers only; upload, preview (nothing written), load."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from organisation.models import RoleMembership
from organisation.views_people import SESSION_KEY

User = get_user_model()

HEADER = "username,family_name,given_name,email,phone,role,unit,active\n"
GOOD = HEADER + "wang,王,芳,wang@example.com,,bu_vp,BU1,yes\n"


@pytest.fixture(autouse=True)
def english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def upload(client, text: str, name="people.csv"):
    file = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("organisation:people-import"), {"file": file})


@pytest.mark.parametrize("name", ["people-import", "people-dump"])
def test_the_pages_are_for_superusers_only(people, client_for, name):
    response = client_for(people.bob).get(reverse(f"organisation:{name}"))

    assert response.status_code == 403


def test_a_non_superuser_cannot_upload(people, client_for):
    assert upload(client_for(people.bob), GOOD).status_code == 403
    assert not User.objects.filter(username="wang").exists()


def test_the_preview_shows_the_counts_and_writes_nothing(org, admin_client):
    preview = admin_client.get(upload(admin_client, GOOD).url)

    assert preview.status_code == 200
    assert preview.context["result"].created == 1
    assert 'data-testid="confirm-people-import"' in preview.content.decode()
    assert not User.objects.filter(username="wang").exists()


def test_loading_the_previewed_file_writes_it(org, admin_client):
    token = upload(admin_client, GOOD).url.rstrip("/").split("/")[-1]

    response = admin_client.post(
        reverse("organisation:people-import-confirm", args=[token]), follow=True
    )

    assert "1 people created" in response.content.decode()
    assert RoleMembership.objects.filter(user__username="wang", role="bu_vp").exists()
    assert token not in admin_client.session[SESSION_KEY]


def test_a_bad_file_lists_every_problem_and_cannot_be_loaded(org, admin_client):
    token = upload(admin_client, HEADER + ",王,芳,,,boss,BU1,yes\n").url.rstrip("/").split("/")[-1]

    preview = admin_client.get(reverse("organisation:people-import-preview", args=[token]))
    page = preview.content.decode()
    assert "The username is required." in page and "Unknown role “boss”" in page
    assert 'data-testid="confirm-people-import"' not in page

    admin_client.post(reverse("organisation:people-import-confirm", args=[token]))
    assert User.objects.filter(is_superuser=False).count() == 0


def test_another_users_upload_cannot_be_seen_or_loaded(
    org, admin_client, client, django_user_model
):
    token = upload(admin_client, GOOD).url.rstrip("/").split("/")[-1]
    other = django_user_model.objects.create_superuser("root2", "root2@example.com", "pw-1")
    client.force_login(other, backend="django.contrib.auth.backends.ModelBackend")

    assert (
        client.get(reverse("organisation:people-import-preview", args=[token])).status_code == 404
    )
    assert (
        client.post(reverse("organisation:people-import-confirm", args=[token])).status_code == 404
    )
    assert not User.objects.filter(username="wang").exists()


def test_the_dump_downloads_as_csv(people, admin_client):
    response = admin_client.get(reverse("organisation:people-dump"))

    assert response["Content-Type"].startswith("text/csv")
    assert "alice,,Alice" in response.content.decode("utf-8-sig")


def test_the_upload_page_shows_the_form_and_the_columns(db, admin_client):
    page = admin_client.get(reverse("organisation:people-import")).content.decode()

    assert 'data-testid="people-import-form"' in page
    assert "username, family_name, given_name, email, phone, role, unit, active" in page


def test_the_load_is_in_the_user_menu_of_superusers_only(people, client_for, admin_client):
    url = reverse("organisation:people-import")
    menu = admin_client.get(reverse("home")).content.decode().split('data-testid="user-menu-items"')
    assert f'href="{url}"' in menu[1].split("</ul>")[0]
    assert f'href="{url}"' not in client_for(people.carol).get(reverse("home")).content.decode()
