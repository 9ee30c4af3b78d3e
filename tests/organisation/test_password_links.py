"""New people from the people file choose their own password through an e-mailed link."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from organisation.people import people_load

HEADER = "username,family_name,given_name,email,phone,role,unit,active\n"
NEW = HEADER + "wang.fang,王,芳,wang.fang@example.com,,bu_vp,BU1,yes\n"
LDAP_ON = [
    "axes.backends.AxesStandaloneBackend",
    "organisation.ldap_backend.PeopleLDAPBackend",
    "django.contrib.auth.backends.ModelBackend",
]


def load(text, capture, **kwargs):
    with capture(execute=True):
        return people_load(file_bytes=text.encode(), filename="people.csv", **kwargs)


def link_in(message) -> str:
    return re.search(r"https?://\S+/accounts/password/set/\S+/", message.body).group(0)


@pytest.mark.django_db
def test_a_new_person_is_e_mailed_a_link_to_set_a_password(org, django_capture_on_commit_callbacks):
    result = load(NEW, django_capture_on_commit_callbacks)
    assert result.ok and result.invited == 1
    assert [m.to for m in mail.outbox] == [["wang.fang@example.com"]]
    assert "wang.fang" in mail.outbox[0].body and "王芳" in mail.outbox[0].body


@pytest.mark.django_db
def test_the_link_sets_the_password_and_the_person_signs_in_with_it(
    org, client, django_capture_on_commit_callbacks
):
    load(NEW, django_capture_on_commit_callbacks)
    path = link_in(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    form_page = client.get(f"/{path}", follow=True)
    assert 'data-testid="set-password"' in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Fang-2027-secret", "new_password2": "Fang-2027-secret"},
        follow=True,
    )
    assert 'data-testid="password-set"' in done.content.decode()
    signed_in = client.post(
        reverse("login"), {"username": "wang.fang", "password": "Fang-2027-secret"}
    )
    assert signed_in.status_code == 302 and signed_in.url == reverse("home")


@pytest.mark.django_db
def test_a_used_link_says_so(org, client, django_capture_on_commit_callbacks):
    load(NEW, django_capture_on_commit_callbacks)
    path = "/" + link_in(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "Fang-2027-secret", "new_password2": "Fang-2027-secret"}
    )
    again = client.get(path, follow=True).content.decode()
    assert 'data-testid="link-used"' in again


@pytest.mark.django_db
def test_a_dry_run_and_a_second_load_send_nothing(org, django_capture_on_commit_callbacks):
    assert load(NEW, django_capture_on_commit_callbacks, dry_run=True).invited == 0
    assert mail.outbox == []
    load(NEW, django_capture_on_commit_callbacks)
    assert load(NEW, django_capture_on_commit_callbacks).invited == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_person_without_an_e_mail_is_not_invited(org, django_capture_on_commit_callbacks):
    result = load(HEADER + "li.ming,李,明,,,bu_vp,BU1,yes\n", django_capture_on_commit_callbacks)
    assert result.ok and result.invited == 0 and mail.outbox == []
    assert not get_user_model().objects.get(username="li.ming").has_usable_password()


@pytest.mark.django_db
def test_no_link_is_sent_when_the_directory_signs_people_in(
    org, django_capture_on_commit_callbacks
):
    with override_settings(AUTHENTICATION_BACKENDS=LDAP_ON):
        result = load(NEW, django_capture_on_commit_callbacks)
    assert result.ok and result.invited == 0 and mail.outbox == []
