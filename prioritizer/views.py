from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from organisation import permissions
from organisation.home import waiting_for
from outbox.models import Job, WorkerHeartbeat
from prioritizer.leavers import left_behind
from prioritizer.setup_checklist import setup_checklist


def home(request: HttpRequest) -> HttpResponse:
    waiting = waiting_for(request.user)
    return render(
        request,
        "home.html",
        {
            "memberships": permissions.memberships(request.user),
            "waiting": waiting,
            "has_notifications": any(item.dismiss_url for item in waiting),
            # The set-up steps are the administrator's alone: nobody else sets the company up.
            "checklist": setup_checklist() if request.user.is_superuser else None,
        },
    )


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's switcher, plus a message instead of silence for an unknown language code."""
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES):
        messages.error(request, _("Unknown language “%(code)s”.") % {"code": code[:20]})
    return django_set_language(request)


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and docker-compose: is the database reachable?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})


@staff_member_required
def system_status(request: HttpRequest) -> HttpResponse:
    from django_celery_beat.models import PeriodicTask

    from evaluation.models import RescoreReport

    return render(
        request,
        "system_status.html",
        {
            "eager": settings.CELERY_TASK_ALWAYS_EAGER,
            "heartbeats": WorkerHeartbeat.objects.order_by("-seen_at"),
            "pending_jobs": Job.objects.pending().count(),
            "failed_jobs": Job.objects.filter(status=Job.Status.FAILED).order_by("-finished_at")[
                :20
            ],
            "periodic_tasks": PeriodicTask.objects.select_related("crontab", "interval").order_by(
                "name"
            ),
            "rescore_reports": RescoreReport.objects.all()[:3],
        },
    )


@require_GET
def leavers(request: HttpRequest) -> HttpResponse:
    """What people who left still hold, for an administrator to hand over."""
    if not request.user.is_superuser:
        raise PermissionDenied
    return render(request, "leavers.html", {"leavers": left_behind()})
