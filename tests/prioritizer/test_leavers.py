"""People who left (deactivated) are listed with what they still hold, for an administrator."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from customers.models import Customer
from evaluation.lists.services import target_list_owners_assign
from evaluation.models import TargetList
from prioritizer.leavers import left_behind
from tests.factories import UserFactory
from tests.inquiries.conftest import log_inquiry  # noqa: F401 - the fixture
from tests.prioritizer.test_getting_started import load_examples

User = get_user_model()


@pytest.fixture
def handed_out():
    """The examples' AUTO list with two targets owned by chen.jing (account manager), who
    also manages one customer that liu.yang keeps as data steward."""
    load_examples()
    target_list = TargetList.objects.get(segment__code="AUTO")
    chen, liu = User.objects.get(username="chen.jing"), User.objects.get(username="liu.yang")
    targets = list(target_list.entries.targets().values_list("pk", flat=True)[:2])
    target_list_owners_assign(
        target_list=target_list,
        entry_ids=targets,
        owner=chen,
        by=User.objects.get(username="zhang.wei"),
    )
    Customer.objects.filter(name_zh="天津车桥制造有限公司").update(
        account_manager=chen, data_steward=liu
    )
    return target_list


@pytest.mark.django_db
def test_a_deactivated_owner_is_listed_with_what_they_hold(handed_out):
    User.objects.filter(username__in=["chen.jing", "liu.yang"]).update(is_active=False)
    found = {item.person.username: item for item in left_behind()}
    chen, liu = found["chen.jing"], found["liu.yang"]
    assert (chen.targets, chen.managed, chen.stewarded, chen.lists) == (2, 1, 0, [(handed_out, 2)])
    assert (liu.total, liu.stewarded) == (1, 1)


@pytest.mark.django_db
def test_people_still_active_are_not_listed(handed_out):
    assert left_behind() == []


@pytest.mark.django_db
def test_a_leaver_holding_nothing_is_not_listed(handed_out):
    User.objects.filter(username="wang.fang").update(is_active=False)
    assert left_behind() == []


@pytest.mark.django_db
def test_the_page_shows_an_administrator_each_leaver(handed_out, client):
    User.objects.filter(username="chen.jing").update(is_active=False)
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    page = client.get(reverse("leavers")).content.decode()
    assert 'data-testid="leaver-chen.jing"' in page and "陈静" in page
    assert handed_out.get_absolute_url() in page


@pytest.mark.django_db
def test_the_page_says_when_nobody_who_left_holds_anything(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert 'data-testid="no-leavers"' in client.get(reverse("leavers")).content.decode()


@pytest.mark.django_db
def test_anyone_but_an_administrator_is_refused_and_not_shown_the_menu_item(handed_out, client):
    client.force_login(User.objects.get(username="wang.fang"))
    assert client.get(reverse("leavers")).status_code == 403
    assert reverse("leavers") not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_an_open_inquiry_a_leaver_owns_is_counted(people, log_inquiry):  # noqa: F811
    from inquiries.models import Inquiry

    log_inquiry(company_name="甲公司", by=people.dave)
    Inquiry.objects.update(owner=people.dave)
    User.objects.filter(pk=people.dave.pk).update(is_active=False)
    (item,) = left_behind()
    assert (item.person.username, item.inquiries, item.total) == ("dave", 1, 1)
