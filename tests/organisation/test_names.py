import pytest
from django.urls import reverse

from organisation.names import full_name
from tests.factories import UserFactory


@pytest.mark.parametrize(
    "first, last, shown",
    [
        ("鹏", "高", "高鹏"),
        ("建国", "王", "王建国"),
        ("", "管理员", "管理员"),
        ("Alice", "Smith", "Alice Smith"),
        ("Carol", "", "Carol"),
        (" 丽 ", " 孙", "孙丽"),
    ],
)
def test_a_name_reads_in_its_own_order(first, last, shown):
    assert full_name(first, last) == shown


def test_users_full_names_read_family_name_first(db):
    assert UserFactory(first_name="鹏", last_name="高").get_full_name() == "高鹏"


def test_the_user_menu_shows_the_chinese_name_in_order(db, client):
    user = UserFactory(first_name="鹏", last_name="高")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("home")).content.decode()
    assert "高鹏" in page and "鹏 高" not in page
