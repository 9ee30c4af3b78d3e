"""Filters of the customer list (also used by the export, so it exports what is shown)."""

import django_filters
from django.db.models import F, Q
from django.db.models.lookups import IContains, Lookup
from django.forms.renderers import DjangoTemplates
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from customers import tiers
from customers.models import Customer
from customers.reference import Industry, Region
from organisation import permissions
from organisation.models import BusinessUnit, Segment
from organisation.permissions import Action
from prioritizer import years

COMPLETENESS_CHOICES = [
    ("complete", _("Complete (100%)")),
    ("partial", _("Partly filled")),
    ("empty", _("No facts yet")),
]


def _units(request):
    if request is None:
        return BusinessUnit.objects.none()
    return permissions.business_units_where(request.user, Action.VIEW_ORG).order_by("code")


def _segments(request):
    if request is None:
        return Segment.objects.none()
    return permissions.segments_where(request.user, Action.VIEW_ORG).order_by("code")


def tier_codes() -> list[tuple[str, str]]:
    """Every tier code in use, in tier order (A, B, C …)."""
    return [(code, code) for code in tiers.tier_codes()]


def list_segments(user):
    """Segments whose target lists the user may see: the tiers shown come from these only."""
    return permissions.segments_where(user, Action.VIEW_TARGET_LISTS)


class _Contains(IContains):
    """`icontains` that PostgreSQL's trigram indexes on the names answer: `name ILIKE '%x%'`.

    Django writes `UPPER(name) LIKE UPPER('%x%')`, which no index on the column serves, so a
    search read every customer. Other databases keep Django's form.
    """

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = Lookup.process_lhs(self, compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", (*lhs_params, *rhs_params)


def _attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class _Renderer(DjangoTemplates):
    """Writes select boxes in Python, as Django's templates would: a template per option cost
    more than the list's query (the filter has some 90 options)."""

    def render(self, template_name, context, request=None):
        if template_name != "django/forms/widgets/select.html":
            return super().render(template_name, context, request)
        widget = context["widget"]
        html = [f'<select name="{escape(widget["name"])}"{_attributes(widget["attrs"])}>']
        for group, options, _index in widget["optgroups"]:
            if group:
                html.append(f'<optgroup label="{escape(group)}">')
            html += [
                f'<option value="{escape(option["value"])}"{_attributes(option["attrs"])}>'
                f"{escape(option['label'])}</option>"
                for option in options
            ]
            if group:
                html.append("</optgroup>")
        html.append("</select>")
        return mark_safe("".join(html))  # noqa: S308 - every value above is escaped


class CustomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    business_unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("Business unit"))
    segment = django_filters.ModelChoiceFilter(
        queryset=_segments, field_name="segments", label=_("Market segment")
    )
    region = django_filters.ChoiceFilter(choices=Region.choices, label=_("Region"))
    industry = django_filters.ChoiceFilter(choices=Industry.choices, label=_("Industry"))
    status = django_filters.ChoiceFilter(choices=Customer.Status.choices, label=_("Status"))
    completeness = django_filters.ChoiceFilter(
        choices=COMPLETENESS_CHOICES, method="filter_completeness", label=_("Completeness")
    )
    steward = django_filters.ChoiceFilter(
        choices=[("me", _("Me"))], method="filter_steward", label=_("Data steward")
    )
    tier = django_filters.ChoiceFilter(
        choices=tier_codes,
        method="filter_tier",
        label=_("Tier"),
        help_text=_("On the current target lists scored from the facts year shown."),
    )
    archived = django_filters.BooleanFilter(
        method="filter_archived", label=_("Archived"), widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = Customer
        fields = ["q", "business_unit", "segment", "region", "industry", "status"]

    def __init__(self, *args, year: int, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        if request is None or not list_segments(request.user).exists():
            del self.filters["tier"]  # researchers and account managers see no target lists
        self.form.renderer = RENDERER
        # Bootstrap classes on the widgets, so the template renders fields directly
        # (crispy's per-field rendering cost more than the whole database query).
        for field in self.form.fields.values():
            css = "form-select" if hasattr(field.widget, "choices") else "form-control"
            field.widget.attrs.setdefault(
                "class",
                f"{css} form-select-sm" if css == "form-select" else f"{css} form-control-sm",
            )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(_Contains(F("name_zh"), value))
            | Q(_Contains(F("name_en"), value))
            | Q(credit_code=value.upper())
        )

    def filter_completeness(self, queryset, name, value):
        if value == "complete":
            return queryset.filter(years__year=self.year, years__completeness=100)
        if value == "partial":
            return queryset.filter(years__year=self.year, years__completeness__lt=100)
        return queryset.exclude(years__year=self.year)

    def filter_tier(self, queryset, name, value):
        segments = list_segments(self.request.user)
        return queryset.filter(pk__in=tiers.customers_in_tier(value, self.year, segments))

    def filter_steward(self, queryset, name, value):
        return queryset.filter(data_steward=self.request.user) if value == "me" else queryset

    def filter_archived(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=not value)

    @property
    def qs(self):
        queryset = super().qs
        if self.form.is_valid() and self.form.cleaned_data.get("archived") is None:
            queryset = queryset.filter(archived_at__isnull=True)  # archived only when asked
        return queryset


RENDERER = _Renderer()


def default_year() -> int:
    """The facts year lists show unless asked: this calendar year, the one being collected
    during the October–November planning of next year."""
    return years.current_facts_year()


def year_from(params) -> int:
    """The `year` query parameter when it is a sensible year, else the default."""
    try:
        year = int(params.get("year", ""))
    except ValueError:
        return default_year()
    return year if 2000 <= year <= default_year() + 1 else default_year()
