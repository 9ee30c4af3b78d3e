"""What the review pages share: the year asked for, the scope a user may view, a service's
refusal as messages, and the way back to a scope's page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from reviews.scopes import ReviewScope, require_view, resolve


def year_from(text: str, default: int) -> int:
    try:
        year = int(text)
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= timezone.localdate().year + 2 else default


def scope_for(request: HttpRequest, level: str, code: str) -> ReviewScope:
    scope = resolve(level, code)
    require_view(request.user, scope)
    return scope


def back_to(year: int, scope: ReviewScope, name: str = "review") -> HttpResponse:
    return redirect(f"reviews:{name}", year=year, level=scope.level, code=scope.code)
