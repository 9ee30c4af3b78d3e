"""Notifications on the home page: opening one reads it, one or all can be dismissed, and
only by their recipient."""

import pytest
from django.conf import settings
from django.urls import reverse

from organisation.models import Notification
from organisation.services import notification_send


@pytest.fixture
def told(people):
    return notification_send(recipient=people.bob, text="AUTO 2027 已提交", url="/criteria/lists/")


def home(client):
    return client.get(reverse("home")).content.decode()


def test_an_unread_notification_waits_on_the_home_page(people, client_for, told):
    page = home(client_for(people.bob))
    assert "AUTO 2027 已提交" in page
    assert reverse("organisation:notification-open", args=[told.pk]) in page


def test_opening_a_notification_reads_it_and_follows_its_link(people, client_for, told):
    client = client_for(people.bob)
    response = client.get(reverse("organisation:notification-open", args=[told.pk]))
    assert response.status_code == 302 and response.url == "/criteria/lists/"
    told.refresh_from_db()
    assert told.read_at is not None
    assert "AUTO 2027 已提交" not in home(client)


def test_a_link_to_another_site_is_not_followed(people, client_for):
    told = notification_send(recipient=people.bob, text="x", url="https://example.org/")
    response = client_for(people.bob).get(reverse("organisation:notification-open", args=[told.pk]))
    assert response.url == reverse("home")


def test_dismissing_with_htmx_removes_the_item(people, client_for, told):
    response = client_for(people.bob).post(
        reverse("organisation:notification-dismiss", args=[told.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response.content == b""
    assert Notification.objects.unread().count() == 0


def test_dismissing_all_reads_only_ones_own(people, client_for, told):
    other = notification_send(recipient=people.alice, text="y")
    notification_send(recipient=people.bob, text="z")
    client = client_for(people.bob)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Mark all notifications as read" in home(client)
    response = client.post(reverse("organisation:notifications-dismiss-all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=people.bob).unread().exists()
    assert Notification.objects.get(pk=other.pk).read_at is None


@pytest.mark.parametrize("name", ["notification-open", "notification-dismiss"])
def test_someone_elses_notification_is_not_found(people, client_for, told, name):
    client = client_for(people.alice)
    url = reverse(f"organisation:{name}", args=[told.pk])
    response = client.get(url) if name == "notification-open" else client.post(url)
    assert response.status_code == 404
    told.refresh_from_db()
    assert told.read_at is None


def test_dismissing_needs_a_post(people, client_for, told):
    response = client_for(people.bob).get(
        reverse("organisation:notification-dismiss", args=[told.pk])
    )
    assert response.status_code == 405


def test_anonymous_visitors_are_sent_to_log_in(client, told):
    response = client.get(reverse("organisation:notification-open", args=[told.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
