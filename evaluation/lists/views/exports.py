"""Downloads of target lists and of the yearly documents built from them (GET, ?format=csv|xlsx,
default xlsx; CSV of a multi-part document takes ?part=). Permission → build → respond."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from evaluation.lists import documents, exports
from evaluation.lists.people import require_view
from evaluation.models import TargetList
from organisation import permissions
from organisation.models import BusinessGroup, BusinessUnit
from organisation.permissions import Action
from prioritizer import spreadsheets
from prioritizer.spreadsheets import Sheet


def _attachment(content: bytes, fmt: str, names: tuple[str, str]) -> HttpResponse:
    """The file with an RFC 5987 UTF-8 name (`filename*`) and an ASCII fallback."""
    name, fallback = names
    response = HttpResponse(content, content_type=spreadsheets.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    return response


def _bad_request(message: str) -> HttpResponse:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _download(request: HttpRequest, sheets: list[Sheet], names) -> HttpResponse:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in spreadsheets.FORMATS:
        return _bad_request(_("Choose the file format csv or xlsx."))
    part = request.GET.get("part") or None
    if fmt == "csv" and part is not None and part not in exports.parts(sheets):
        return _bad_request(
            _("Choose one of these parts: %(parts)s.") % {"parts": ", ".join(exports.parts(sheets))}
        )
    return _attachment(exports.render(sheets, fmt, part=part), fmt, names(fmt))


@require_GET
def target_list_export(request: HttpRequest, pk: int) -> HttpResponse:
    """A segment's list: whoever may see the list (managers above it, owners on it)."""
    target_list = get_object_or_404(TargetList.objects.with_org(), pk=pk)
    require_view(request.user, target_list)
    sheet = exports.segment_list(target_list, for_people=True)
    return _download(request, [sheet], lambda fmt: exports.segment_list_filename(target_list, fmt))


def _unit_export(request, model, code: str, year: int, kind: str) -> HttpResponse:
    """A BU's documents (its BU VP, its BG's VP) or a BG's (its BG VP): VIEW_TARGET_LISTS over
    the whole unit, so a segment manager, who sees one segment, is refused."""
    unit = get_object_or_404(model, code=code)
    permissions.require(request.user, Action.VIEW_TARGET_LISTS, unit)
    build = documents.owners_document if kind == "owners" else documents.tiered_document
    return _download(
        request,
        build(unit, year),
        lambda fmt: documents.document_filename(unit, year, kind, fmt),
    )


@require_GET
def bu_tiered_export(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """年度BU重要客户分级名单."""
    return _unit_export(request, BusinessUnit, code, year, "tiered")


@require_GET
def bu_owners_export(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """客户发展负责人名单 of a BU."""
    return _unit_export(request, BusinessUnit, code, year, "owners")


@require_GET
def bg_tiered_export(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """年度BG重要客户分级名单."""
    return _unit_export(request, BusinessGroup, code, year, "tiered")


@require_GET
def bg_owners_export(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """客户发展负责人名单 of a BG."""
    return _unit_export(request, BusinessGroup, code, year, "owners")
