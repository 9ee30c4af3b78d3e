from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from customers import paging, services, tiers
from customers.completeness import FACT_FIELDS
from customers.credit_code_regions import region_disagreement
from customers.filters import CustomerFilter, default_year, list_segments, year_from
from customers.forms import (
    ContactFormSet,
    CustomerForm,
    PreliminaryInfoForm,
    RelationshipForm,
    TargetInfoForm,
)
from customers.history import customer_history
from customers.models import Attribute, AttributeValue, Customer, CustomerYear
from customers.reference import Industry, Region
from organisation import permissions
from organisation.permissions import Action
from prioritizer.form_errors import add_service_errors

FIRST_YEAR = 2000


def _customer_for(request, pk: int, action: Action = Action.VIEW_CUSTOMERS) -> Customer:
    customer = get_object_or_404(Customer.objects.with_org_and_people(), pk=pk)
    if action == Action.EDIT_CUSTOMERS:
        permissions.require(request.user, action, customer.business_unit)
    else:
        permissions.require(request.user, action, customer)
    return customer


def customer_list(request: HttpRequest) -> HttpResponse:
    if not permissions.has_any_role(request.user):
        raise PermissionDenied
    year = year_from(request.GET)
    customer_filter = CustomerFilter(
        request.GET, Customer.objects.visible_to(request.user), request=request, year=year
    )
    sort = paging.sort_from(request.GET.get("sort"))
    page = _customer_page(customer_filter.qs, year, sort, request.GET)
    tiers_shown = "tier" in customer_filter.filters
    if tiers_shown:
        _attach_tiers(page.object_list, year, request.user)
    may_create = permissions.business_units_where(request.user, Action.EDIT_CUSTOMERS).exists()
    return render(
        request,
        "customers/customer_list.html",
        {
            "filter": customer_filter,
            "page": page,
            "sort": sort,
            "query": _filters_query(request.GET),
            "year": year,
            "may_create": may_create,
            "tiers_shown": tiers_shown,
        },
    )


def _customer_page(filtered, year: int, sort: str, params):
    """The page of the filtered customers shown, in two steps: page through narrow rows (ids
    and sort keys only), then load the 50 rows shown with their joins. Sorting wide joined
    rows cost most of the page at 100k."""
    sorted_rows = filtered.with_year_completeness(year).order_by(*paging.ordering(sort))
    page = paging.customer_page(filtered, sorted_rows, sort=sort, params=params)
    shown = Customer.objects.list_rows_by_id(page.object_list, year)
    page.object_list = [shown[pk] for pk in page.object_list]
    _attach_labels(page.object_list)
    return page


def _filters_query(params) -> str:
    """The list's filters as a query string, for links that change the page or the order."""
    query = params.copy()
    for name in ("page", "sort", "after", "before"):
        query.pop(name, None)
    return query.urlencode()


REGION_LABELS = dict(Region.choices)
INDUSTRY_LABELS = dict(Industry.choices)
STATUS_LABELS = dict(Customer.Status.choices)


def _attach_labels(customers) -> None:
    """Choice labels from dicts built once: get_FOO_display() rebuilds the choices per call,
    which cost more than the page's query at 50 rows × 3 columns."""
    for customer in customers:
        customer.region_label = REGION_LABELS.get(customer.region, "")
        customer.industry_label = INDUSTRY_LABELS.get(customer.industry, "")
        customer.status_label = STATUS_LABELS.get(customer.status, "")


def _attach_tiers(customers, year: int, user) -> None:
    """Each shown customer's tiers (segment code, tier) on the lists the user may see."""
    shown = tiers.tiers_of([customer.pk for customer in customers], year, list_segments(user))
    for customer in customers:
        customer.tiers = shown.get(customer.pk, [])


def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_for(request, pk)
    year = year_from(request.GET)
    completeness = services.customer_year_completeness(customer=customer, year=year)
    ratings = AttributeValue.objects.ratings_of(customer, year)
    user = request.user
    return render(
        request,
        "customers/customer_detail.html",
        {
            "customer": customer,
            "year": year,
            "years": customer.years.year_numbers(),
            "facts": CustomerYear.objects.of(customer, year),
            "registered_region": _registered_region_label(customer),
            "completeness": completeness,
            "missing": _missing_labels(customer, completeness.missing, ratings),
            "ratings": ratings,
            "contacts": customer.contacts.all(),
            "segments": customer.segments.all(),
            "history": customer_history(customer),
            "may_edit": permissions.can(user, Action.EDIT_CUSTOMERS, customer.business_unit),
            "may_edit_relationship": customer.account_manager_id == user.pk
            and permissions.can(user, Action.EDIT_CUSTOMER_RELATIONSHIP, customer.business_unit),
        },
    )


def _registered_region_label(customer: Customer) -> str | None:
    """The province the credit code was registered in, when the customer's region says another."""
    registered = region_disagreement(customer.credit_code or "", customer.region)
    return Region(registered).label if registered else None


def _missing_labels(customer: Customer, missing: tuple[str, ...], ratings) -> list[str]:
    """The names of the fields and attributes that `missing` lists by key."""
    labels = {name: CustomerYear._meta.get_field(name).verbose_name for name in FACT_FIELDS}
    labels |= {
        "region": _("Region"),
        "industry": _("Industry"),
        "key_decision_maker": _("key decision maker"),
    }
    rated_names = {value.attribute.key: value.attribute.name for value in ratings}
    attribute_names = {
        a.key: a.name for a in Attribute.objects.for_business_unit(customer.business_unit_id)
    }
    return [
        str(labels.get(field) or attribute_names.get(field) or rated_names.get(field, field))
        for field in missing
    ]


def customer_create(request: HttpRequest) -> HttpResponse:
    if not permissions.business_units_where(request.user, Action.EDIT_CUSTOMERS).exists():
        raise PermissionDenied
    return _customer_form(request, Customer(), _("Customer created."))


def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_for(request, pk, Action.EDIT_CUSTOMERS)
    return _customer_form(request, customer, _("Customer saved."))


def _customer_form(request, customer: Customer, success: str) -> HttpResponse:
    form = CustomerForm(request.POST or None, instance=customer, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.customer_save(
                customer=form.save(commit=False),
                segments=form.cleaned_data["segments"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(customer)
    return render(request, "customers/customer_form.html", {"form": form, "customer": customer})


def customer_relationship(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_for(request, pk)
    form = RelationshipForm(request.POST or None, instance=customer)
    if request.method == "POST" and form.is_valid():
        services.customer_relationship_save(
            customer=customer, values=form.cleaned_data, by=request.user
        )
        messages.success(request, _("Relationship saved."))
        return redirect(customer)
    if not (
        permissions.can(request.user, Action.EDIT_CUSTOMERS, customer.business_unit)
        or customer.account_manager_id == request.user.pk
    ):
        raise PermissionDenied
    return render(
        request, "customers/customer_relationship.html", {"form": form, "customer": customer}
    )


def preliminary_form(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    return _year_form(
        request, pk, year, PreliminaryInfoForm, "customers/customer_preliminary_form.html"
    )


def target_form(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    return _year_form(
        request, pk, year, TargetInfoForm, "customers/customer_target_form.html", contacts=True
    )


def _year_form(request, pk, year, form_class, template, contacts=False) -> HttpResponse:
    customer = _customer_for(request, pk, Action.EDIT_CUSTOMERS)
    if not FIRST_YEAR <= year <= default_year():
        raise Http404  # no facts for years in the future or before the records begin
    instance = CustomerYear.objects.of(customer, year) or CustomerYear(customer=customer, year=year)
    data = request.POST or None
    form = form_class(
        data, instance=instance, customer=customer, year=year, with_attributes=not contacts
    )
    formset = ContactFormSet(data, instance=customer, prefix="contacts") if contacts else None
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        with transaction.atomic():
            if formset is not None:
                services.customer_contacts_save(customer=customer, formset=formset, by=request.user)
            row = services.customer_year_save(
                customer=customer,
                year=year,
                facts=form.facts(),
                ratings=form.ratings(),
                by=request.user,
            )
        messages.success(
            request,
            _("Saved. The %(year)s facts are %(percent)d%% complete.")
            % {"year": year, "percent": row.completeness},
        )
        return redirect(f"{customer.get_absolute_url()}?year={year}")
    return render(
        request, template, {"form": form, "formset": formset, "customer": customer, "year": year}
    )


@require_POST
def customer_archive(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_for(request, pk, Action.EDIT_CUSTOMERS)
    if customer.is_archived:
        services.customer_restore(customer=customer, by=request.user)
        messages.success(request, _("Customer restored to the working lists."))
    else:
        services.customer_archive(customer=customer, by=request.user)
        messages.success(request, _("Customer archived. Its history is kept."))
    return redirect(customer)
