"""A person's notifications on the home page: opening one reads it; one or all can be
dismissed. Only the recipient may touch a notification."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from organisation.models import Notification
from organisation.services import notifications_mark_read


def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications_mark_read(recipient=request.user, pk=notification.pk)
    safe = url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(notification.url if notification.url and safe else "home")


@require_POST
def notification_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications_mark_read(recipient=request.user, pk=notification.pk)
    if request.htmx:
        return HttpResponse("")  # the item's <li> is swapped out
    return redirect("home")


@require_POST
def notifications_dismiss_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(recipient=request.user)
    return redirect("home")
