"""「忘记密码」 on the login page: a link by e-mail (through the outbox) for an account with a
password, the same answer for an unknown address, nothing for people without a password."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def send(email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("password_reset"), {"email": email}, follow=True)

    return send


@pytest.mark.django_db
def test_the_login_page_links_to_forgot_password(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page and "忘记密码" in page


@pytest.mark.django_db
def test_an_account_with_a_password_is_sent_a_link_that_sets_a_new_one(client, ask):
    UserFactory(username="gao.peng", email="gao.peng@example.com")
    page = ask("Gao.Peng@example.com")
    assert 'data-testid="link-sent"' in page.content.decode()
    assert [m.to for m in mail.outbox] == [["gao.peng@example.com"]]
    link = re.search(r"/accounts/password/set/\S+/", mail.outbox[0].body).group(0)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "Peng-2027-new", "new_password2": "Peng-2027-new"})
    signed_in = client.post(reverse("login"), {"username": "gao.peng", "password": "Peng-2027-new"})
    assert signed_in.status_code == 302


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_page_and_no_mail(ask):
    page = ask("nobody@example.com")
    assert 'data-testid="link-sent"' in page.content.decode() and mail.outbox == []


@pytest.mark.django_db
def test_a_person_without_a_password_of_their_own_is_sent_nothing(ask):
    user = UserFactory(username="li.ming", email="li.ming@example.com")
    user.set_unusable_password()
    user.save()
    ask("li.ming@example.com")
    assert mail.outbox == []
