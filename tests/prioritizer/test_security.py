import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

PAGES_FOR_A_USER = [
    "/",
    "/org/",
    "/org/bu/BU1/",
    "/accounts/password/",
    "/accounts/password/done/",
    "/no-such-page/",
    "/org/bg/BG2/",  # a 403 page
]


@pytest.mark.parametrize("path", PAGES_FOR_A_USER)
def test_every_page_carries_a_content_security_policy(people, client_for, path):
    response = client_for(people.bob).get(path)
    policy = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/", "/status/"])
def test_pages_without_a_user_carry_it_too(client, db, path):
    response = client.get(path, follow=True)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_admin_pages_carry_it(admin_client):
    assert "Content-Security-Policy" in admin_client.get("/admin/").headers


@pytest.mark.parametrize("path", ["/", "/org/", "/org/bu/BU1/", "/accounts/password/"])
def test_pages_need_a_login(client, org, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


class TestLogin:
    def test_a_demo_user_logs_in(self, people, client):
        response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
        assert response.status_code == 302 and response.url == reverse("home")

    def test_a_wrong_password_gets_a_clear_message(self, people, client):
        response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
        assert response.status_code == 200
        assert "请输入一个正确的用户名和密码" in response.content.decode()

    def test_repeated_failures_lock_the_account(self, people, client, settings):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("login"), {"username": "alice", "password": "wrong"})
        response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
        assert response.status_code == 429
        assert "登录失败次数过多" in response.content.decode()

    def test_the_login_form_checks_csrf(self, people):
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
        assert response.status_code == 403


def test_logout_needs_a_post(people, client_for):
    client = client_for(people.alice)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302


def test_password_change_refuses_a_weak_password(people, client_for):
    response = client_for(people.alice).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    assert "这个密码太常见了" in response.content.decode()


def test_errors_do_not_show_a_stack_trace(people, client_for, settings):
    assert settings.DEBUG is False
    response = client_for(people.alice).get("/no-such-page/")
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()
