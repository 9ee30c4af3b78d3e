"""Input shapes of the preliminary-list pages. No side effects: services do the writing."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from customers.credit_code import normalise as normalise_credit_code
from customers.models import Customer, Nomination, PreliminaryList, validate_credit_code
from customers.preliminary.reads import MAX_QUOTA, researchers_of, responsible_candidates
from prioritizer.clean_input import CleanInputMixin

User = get_user_model()


def _helper(action: str, submit_label, *, inline: bool = False) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.form_action = action
    helper.add_input(Submit("submit", submit_label, css_class="btn-primary"))
    if inline:
        helper.form_class = "d-flex gap-2 align-items-end flex-wrap"
        helper.field_class = "mb-0"
    return helper


def user_label(user) -> str:
    full_name = user.get_full_name()
    return f"{full_name} ({user.username})" if full_name else user.username


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return user_label(obj)


QUOTA_ERRORS = {
    "invalid": _("Enter the quota as a whole number."),
    "min_value": _("A quota cannot be negative."),
    "max_value": _("A quota cannot be more than %(limit_value)s."),
}


class StartListForm(CleanInputMixin, forms.Form):
    segment = forms.SlugField(widget=forms.HiddenInput)
    year = forms.IntegerField(widget=forms.HiddenInput)


class ProposeQuotaForm(CleanInputMixin, forms.Form):
    proposed_quota = forms.IntegerField(
        label=_("proposed quota"),
        min_value=0,
        max_value=MAX_QUOTA,
        error_messages=QUOTA_ERRORS,
        help_text=_("How many customers the segment should collect this year."),
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action, _("Propose"))


class SetQuotaForm(CleanInputMixin, forms.Form):
    quota = forms.IntegerField(
        label=_("quota"),
        min_value=0,
        max_value=MAX_QUOTA,
        error_messages=QUOTA_ERRORS,
        help_text=_("The number of customers the segment collects; decided by the BU VP."),
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action, _("Set quota"))


class NominateExistingForm(CleanInputMixin, forms.Form):
    """Carries the id of the customer chosen in the search results; the service checks it."""

    customer = forms.ModelChoiceField(
        queryset=Customer.objects.all(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This customer does not exist.")},
    )


class NewCustomerForm(CleanInputMixin, forms.Form):
    name_zh = forms.CharField(label=_("Chinese name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    credit_code = forms.CharField(
        label=_("unified social credit code"),
        max_length=18,
        required=False,
        help_text=_("Optional; 18 characters."),
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action, _("Create and nominate"))

    def clean_name_zh(self) -> str:
        return self.cleaned_data["name_zh"].strip()

    def clean_credit_code(self) -> str:
        value = normalise_credit_code(self.cleaned_data["credit_code"])
        if value:
            validate_credit_code(value)
        return value


class AssignResearcherForm(CleanInputMixin, forms.Form):
    nominations = forms.ModelMultipleChoiceField(
        queryset=Nomination.objects.none(),
        error_messages={
            "required": _("Choose at least one nomination."),
            "invalid_choice": _("Some of the chosen nominations are not on this list."),
            "invalid_pk_value": _("Some of the chosen nominations are not on this list."),
        },
    )
    researcher = UserChoiceField(
        label=_("researcher"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(nobody)"),
        error_messages={"invalid_choice": _("Choose one of this BU's researchers.")},
    )

    def __init__(self, *args, preliminary_list: PreliminaryList, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = preliminary_list.nominations.all()
        self.fields["researcher"].queryset = researchers_of(preliminary_list.segment)


class ResponsibleForm(CleanInputMixin, forms.Form):
    responsible = UserChoiceField(
        label=_("responsible for upkeep"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(nobody)"),
        error_messages={"invalid_choice": _("Choose someone who works on this segment.")},
    )

    def __init__(self, *args, preliminary_list: PreliminaryList, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = responsible_candidates(preliminary_list.segment)
        self.helper = _helper(action, _("Save"))


class NudgeForm(CleanInputMixin, forms.Form):
    researcher = UserChoiceField(
        queryset=User.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose one of this BU's researchers.")},
    )

    def __init__(self, *args, preliminary_list: PreliminaryList, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["researcher"].queryset = researchers_of(preliminary_list.segment)
