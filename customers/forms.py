"""Input shape of the customer pages; no side effects (writes are in customers.services)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from customers import credit_code
from customers.completeness import PRELIMINARY_FACTS, TARGET_FACTS
from customers.models import (
    MASTER_DATA_FIELDS,
    Attribute,
    AttributeValue,
    Contact,
    Customer,
    CustomerYear,
)
from organisation import permissions
from organisation.models import Role, Segment
from organisation.permissions import Action
from prioritizer.clean_input import CleanInputMixin


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise forms.ValidationError(_("The text contains a NUL character."))
    return value


class CustomerForm(CleanInputMixin, forms.ModelForm):
    """Master data, for researchers of the customer's BU."""

    class Meta:
        model = Customer
        fields = list(MASTER_DATA_FIELDS)
        widgets = {"segments": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = permissions.business_units_where(user, Action.EDIT_CUSTOMERS)
        self.fields["business_unit"].queryset = units.order_by("code")
        self.fields["segments"].queryset = Segment.objects.filter(business_unit__in=units).order_by(
            "code"
        )
        self.fields["segments"].required = False
        people = (
            get_user_model().objects.filter(role_memberships__business_unit__in=units).distinct()
        )
        self.fields["data_steward"].queryset = people.order_by("username")
        self.fields["account_manager"].queryset = people.filter(
            role_memberships__role=Role.ACCOUNT_MANAGER
        ).order_by("username")

    def clean_name_zh(self):
        return _no_nul(self.cleaned_data["name_zh"]).strip()

    def clean_name_en(self):
        return _no_nul(self.cleaned_data["name_en"]).strip()

    def clean_credit_code(self):
        code = credit_code.normalise(self.cleaned_data.get("credit_code") or "")
        return code or None

    def clean(self):
        cleaned = super().clean()
        unit, segments = cleaned.get("business_unit"), cleaned.get("segments") or []
        foreign = [s.code for s in segments if unit and s.business_unit_id != unit.pk]
        if foreign:
            self.add_error(
                "segments",
                _("These segments are not in the chosen BU: %(codes)s")
                % {"codes": ", ".join(foreign)},
            )
        return cleaned


class RelationshipForm(CleanInputMixin, forms.ModelForm):
    """What an account manager may change on a customer they own."""

    class Meta:
        model = Customer
        fields = ["status", "relationship_notes"]


class _YearForm(CleanInputMixin, forms.ModelForm):
    """A survey form for one customer-year, with the BU's rated attributes as extra fields."""

    fact_fields: tuple[str, ...] = ()

    def __init__(self, *args, customer: Customer, year: int, with_attributes: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer, self.year = customer, year
        self.attributes = []
        if with_attributes:
            current = {
                value.attribute_id: value.option_id
                for value in AttributeValue.objects.filter(customer=customer, year=year)
            }
            for attribute in Attribute.objects.for_business_unit(
                customer.business_unit_id
            ).prefetch_related("options"):
                field_name = f"attribute_{attribute.key}"
                self.fields[field_name] = forms.ModelChoiceField(
                    queryset=attribute.options.all(),
                    required=False,
                    label=attribute.name,
                    initial=current.get(attribute.pk),
                    help_text=attribute.description,
                )
                self.attributes.append((attribute, field_name))

    def facts(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.fact_fields}

    def ratings(self) -> dict:
        return {attribute: self.cleaned_data.get(name) for attribute, name in self.attributes}


class PreliminaryInfoForm(_YearForm):
    """一般客户信息调查表: the basic facts a researcher collects for every nominated customer."""

    fact_fields = PRELIMINARY_FACTS

    class Meta:
        model = CustomerYear
        fields = list(PRELIMINARY_FACTS)


class TargetInfoForm(_YearForm):
    """目标客户信息调查表: strategy, financial and IT detail (decision makers are contacts)."""

    fact_fields = TARGET_FACTS

    class Meta:
        model = CustomerYear
        fields = list(TARGET_FACTS)
        widgets = {
            "business_strategy": forms.Textarea(attrs={"rows": 3}),
            "it_landscape": forms.Textarea(attrs={"rows": 3}),
            "planned_projects": forms.Textarea(attrs={"rows": 3}),
        }


class ContactForm(CleanInputMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "name",
            "title",
            "buying_role",
            "influence",
            "attitude",
            "is_key_decision_maker",
            "phone",
            "email",
            "notes",
        ]

    def clean_name(self):
        return _no_nul(self.cleaned_data["name"]).strip()


ContactFormSet = forms.inlineformset_factory(
    Customer, Contact, form=ContactForm, extra=1, can_delete=True, max_num=30, validate_max=True
)
