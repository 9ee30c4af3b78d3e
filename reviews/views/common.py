"""What the review pages share: the year asked for, the scope a user may view, a service's
refusal as messages, and the way back to a scope's page.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from evaluation.models import TargetList
from prioritizer.form_errors import add_service_messages
from reviews.scopes import ReviewScope, require_view, resolve


def year_from(text: str, default: int) -> int:
    try:
        year = int(text)
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= timezone.localdate().year + 2 else default


def default_year() -> int:
    """The year under review: the latest planning year up to this one with an approved list,
    else the latest with one at all, else this year."""
    approved = TargetList.objects.filter(state=TargetList.State.APPROVED)
    this_year = timezone.localdate().year
    past = approved.filter(year__lte=this_year).aggregate(y=Max("year"))["y"]
    return past or approved.aggregate(y=Max("year"))["y"] or this_year


def scope_for(request: HttpRequest, level: str, code: str) -> ReviewScope:
    scope = resolve(level, code)
    require_view(request.user, scope)
    return scope


def add_errors(request: HttpRequest, error: ValidationError) -> None:
    add_service_messages(request, error)


def back_to(year: int, scope: ReviewScope, name: str = "review") -> HttpResponse:
    return redirect(f"reviews:{name}", year=year, level=scope.level, code=scope.code)
