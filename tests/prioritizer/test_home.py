import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("username", "role_label", "unit"),
    [
        ("carol", "BG营销副总", "BG1"),
        ("bob", "BU营销副总", "BU1"),
        ("alice", "细分市场经理", "AUTO"),
        ("dave", "客户经理", "BU1"),
        ("erin", "调研人员", "BU1"),
        ("frank", "对外关系负责人", "BU1"),
    ],
)
def test_home_lists_the_users_roles_and_scope(people, client_for, username, role_label, unit):
    page = client_for(getattr(people, username)).get(reverse("home")).content.decode()
    assert role_label in page
    assert unit in page


def test_home_tells_a_bu_vp_which_segments_it_stands_in_for(people, client_for):
    page = client_for(people.heidi).get(reverse("home")).content.decode()
    assert "RETL" in page
    assert "没有细分市场经理" in page


def test_home_says_when_nothing_waits(people, client_for):
    page = client_for(people.alice).get(reverse("home")).content.decode()
    assert "没有待办事项" in page


def test_home_tells_a_user_without_a_role_to_ask_for_one(people, client_for):
    page = client_for(people.judy).get(reverse("home")).content.decode()
    assert "请管理员" in page


class TestNavigation:
    def nav_links(self, client):
        response = client.get(reverse("home"))
        return {item["url"] for item in response.context["nav_items"]}

    def test_a_role_holder_sees_the_organisation(self, people, client_for):
        assert reverse("organisation:unit-list") in self.nav_links(client_for(people.dave))

    def test_a_user_without_a_role_sees_only_home(self, people, client_for):
        assert self.nav_links(client_for(people.judy)) == {reverse("home")}

    def test_staff_tools_are_in_the_user_menu_not_the_bar(self, client_for, admin_user):
        page = client_for(admin_user).get(reverse("home")).content.decode()
        bar = page.split('data-testid="main-nav"')[1].split("</ul>")[0]
        menu = page.split('data-testid="user-menu-items"')[1].split("</ul>")[0]
        for url in (reverse("system-status"), reverse("admin:index")):
            assert f'href="{url}"' in menu and f'href="{url}"' not in bar

    def test_administration_is_only_for_staff(self, people, client_for, admin_user):
        assert reverse("admin:index") not in self.nav_links(client_for(people.carol))
        assert reverse("admin:index") in self.nav_links(client_for(admin_user))


class TestSystemStatus:
    def test_it_is_for_staff_only(self, people, client_for):
        response = client_for(people.carol).get(reverse("system-status"))
        assert response.status_code == 302  # to the admin login

    def test_it_lists_the_periodic_jobs(self, admin_client):
        page = admin_client.get(reverse("system-status")).content.decode()
        assert "monthly-inquiry-rollup" in page and "annual-rescoring" in page


class TestHealthz:
    def test_it_needs_no_login_and_reports_the_database(self, client, db):
        response = client.get(reverse("healthz"))
        assert response.status_code == 200
        assert response.json() == {"database": "ok"}
