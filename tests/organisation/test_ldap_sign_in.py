"""Enterprise sign-in against a real OpenLDAP server (the ldap_server fixture, tests/ldap_server.py).

The settings come from prioritizer/settings.py itself, run with the LDAP_* variables an
administrator would set, so the tests cover the settings block as well as the backend.
"""

import runpy
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory
from tests.ldap_server import DIRECTORY, PEOPLE, READER_DN, READER_PASSWORD, require_ldap

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "prioritizer" / "settings.py"
AXES = "axes.backends.AxesStandaloneBackend"
LDAP = "organisation.ldap_backend.PeopleLDAPBackend"
MODEL = "django.contrib.auth.backends.ModelBackend"
LI, WANG, ZHAO = DIRECTORY
User = get_user_model()
LDAP_VARIABLES = (
    "LDAP_SERVER_URI",
    "LDAP_BIND_DN",
    "LDAP_BIND_PASSWORD",
    "LDAP_USER_SEARCH_BASE",
    "LDAP_USER_FILTER",
    "LDAP_START_TLS",
)


def settings_with(monkeypatch, **environment) -> dict:
    """prioritizer/settings.py's names when run with these LDAP_* variables (and no others)."""
    if environment:
        require_ldap(server=False)  # the settings import python-ldap once LDAP is on
    for name in LDAP_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


@pytest.fixture
def directory_sign_in(monkeypatch, ldap_server):
    """The site as configured for the fixture's directory, with the reader account."""
    names = settings_with(
        monkeypatch,
        LDAP_SERVER_URI=ldap_server.uri,
        LDAP_BIND_DN=READER_DN,
        LDAP_BIND_PASSWORD=READER_PASSWORD,
        LDAP_USER_SEARCH_BASE=PEOPLE,
    )
    ldap_names = {name: value for name, value in names.items() if name.startswith("AUTH_LDAP_")}
    with override_settings(AUTHENTICATION_BACKENDS=names["AUTHENTICATION_BACKENDS"], **ldap_names):
        yield


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in_user(client):
    return client.session.get("_auth_user_id"), client.session.get("_auth_user_backend")


def test_without_a_server_uri_there_is_no_ldap_backend(monkeypatch):
    names = settings_with(monkeypatch)
    assert names["AUTHENTICATION_BACKENDS"] == [AXES, MODEL]
    assert not [name for name in names if name.startswith("AUTH_LDAP_")]


def test_with_a_server_uri_ldap_comes_after_axes_and_before_local_passwords(monkeypatch):
    names = settings_with(
        monkeypatch, LDAP_SERVER_URI="ldap://ldap.example.com", LDAP_USER_SEARCH_BASE=PEOPLE
    )
    assert names["AUTHENTICATION_BACKENDS"] == [AXES, LDAP, MODEL]
    assert names["AUTH_LDAP_USER_SEARCH"].filterstr == "(uid=%(user)s)"
    assert names["AUTH_LDAP_USER_SEARCH"].base_dn == PEOPLE
    assert names["AUTH_LDAP_START_TLS"] is False
    assert names["AUTH_LDAP_USER_ATTR_MAP"] == {
        "last_name": "sn",
        "first_name": "givenName",
        "email": "mail",
    }


def test_an_active_directory_filter_and_start_tls_can_be_given(monkeypatch):
    names = settings_with(
        monkeypatch,
        LDAP_SERVER_URI="ldap://ad.example.com",
        LDAP_USER_FILTER="(sAMAccountName=%(user)s)",
        LDAP_START_TLS="1",
    )
    assert names["AUTH_LDAP_USER_SEARCH"].filterstr == "(sAMAccountName=%(user)s)"
    assert names["AUTH_LDAP_START_TLS"] is True


@pytest.mark.django_db
def test_a_directory_user_signs_in_and_is_created_with_names_and_email(client, directory_sign_in):
    response = sign_in(client, LI.uid, LI.password)

    assert response.status_code == 302
    assert response.url == reverse("home")
    user = User.objects.get(username=LI.uid)
    assert (user.first_name, user.last_name, user.email) == ("Wei", "Li", LI.mail)
    assert not user.has_usable_password()  # the directory keeps the password
    assert signed_in_user(client) == (str(user.pk), LDAP)


@pytest.mark.django_db
def test_a_wrong_password_is_refused(client, directory_sign_in):
    response = sign_in(client, LI.uid, "not-the-password")

    assert response.status_code == 200  # the form again, with its error
    assert signed_in_user(client) == (None, None)
    assert not User.objects.filter(username=LI.uid).exists()


@pytest.mark.django_db
def test_someone_not_in_the_directory_is_refused(client, directory_sign_in):
    assert sign_in(client, "nobody", "whatever-1").status_code == 200
    assert not User.objects.filter(username="nobody").exists()


@pytest.mark.django_db
def test_a_person_loaded_under_another_username_is_matched_by_email(client, directory_sign_in):
    loaded = UserFactory(username="fwang", email="wang.fang@example.com", first_name="芳")

    assert sign_in(client, WANG.uid, WANG.password).status_code == 302

    assert signed_in_user(client) == (str(loaded.pk), LDAP)
    assert not User.objects.filter(username=WANG.uid).exists()
    loaded.refresh_from_db()
    # The given name the file gave stays; the directory fills the empty family name.
    assert (loaded.username, loaded.first_name, loaded.last_name) == ("fwang", "芳", "Wang")


@pytest.mark.django_db
def test_signing_in_keeps_the_chinese_names_and_email_the_people_file_gave(
    client, directory_sign_in
):
    loaded = UserFactory(
        username=WANG.uid, first_name="芳", last_name="王", email="fang.wang@corp.example.com"
    )

    assert sign_in(client, WANG.uid, WANG.password).status_code == 302

    loaded.refresh_from_db()
    assert (loaded.first_name, loaded.last_name, loaded.email) == (
        "芳",
        "王",
        "fang.wang@corp.example.com",
    )
    assert loaded.get_full_name() == "王芳"


@pytest.mark.django_db
def test_a_person_with_the_directory_username_is_that_user(client, directory_sign_in):
    loaded = UserFactory(username=ZHAO.uid, email="")

    assert sign_in(client, ZHAO.uid, ZHAO.password).status_code == 302

    assert signed_in_user(client) == (str(loaded.pk), LDAP)
    assert User.objects.filter(username=ZHAO.uid).count() == 1
    loaded.refresh_from_db()
    assert loaded.email == ZHAO.mail


@pytest.mark.django_db
def test_a_deactivated_person_stays_refused(client, directory_sign_in):
    leaver = UserFactory(username="lwei", email=LI.mail, is_active=False, last_name="李")

    assert sign_in(client, LI.uid, LI.password).status_code == 200

    assert signed_in_user(client) == (None, None)
    leaver.refresh_from_db()
    assert (leaver.is_active, leaver.last_name) == (False, "李")  # not even updated
    assert not User.objects.filter(username=LI.uid).exists()


@pytest.mark.django_db
def test_two_people_with_the_directory_email_are_not_guessed_between(client, directory_sign_in):
    UserFactory(username="wang1", email=WANG.mail.lower())
    UserFactory(username="wang2", email=WANG.mail.upper())

    assert sign_in(client, WANG.uid, WANG.password).status_code == 200

    assert signed_in_user(client) == (None, None)
    assert User.objects.count() == 2


@pytest.mark.django_db
def test_a_local_password_still_signs_in_next_to_the_directory(client, directory_sign_in):
    admin = UserFactory(username="admin")
    admin.set_password("local-pass-1")
    admin.save()

    assert sign_in(client, "admin", "local-pass-1").status_code == 302
    assert signed_in_user(client) == (str(admin.pk), MODEL)
