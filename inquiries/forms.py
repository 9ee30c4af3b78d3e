"""Input shapes for the inquiry pages; the services check permissions and write."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Customer
from inquiries.models import (
    INPUT_FIELDS,
    Channel,
    Decision,
    DeclineReason,
    Inquiry,
    InquiryFollowUp,
)
from organisation.models import Segment
from prioritizer.clean_input import CleanInputMixin


def user_label(user) -> str:
    return user.get_full_name() or user.username


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return user_label(obj)


class SegmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.business_unit.code} · {obj.name}"


class InquiryForm(CleanInputMixin, forms.ModelForm):
    """Logging in under a minute: the usual values are preset, the order is the call's order."""

    received_at = forms.DateTimeField(
        label=_("Received at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, widget=forms.RadioSelect, initial=Channel.PHONE
    )
    customer = forms.ModelChoiceField(
        queryset=Customer.objects.none(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Inquiry
        fields = list(INPUT_FIELDS)
        widgets = {
            "request": forms.Textarea(attrs={"rows": 3}),
            "initial_handling": forms.Textarea(attrs={"rows": 2}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "credit_code": forms.TextInput(
                attrs={"autocomplete": "off", "autocapitalize": "characters"}
            ),
        }

    def __init__(self, *args, segments, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"] = SegmentChoiceField(
            queryset=segments.select_related("business_unit"),
            label=_("Market segment"),
            empty_label=None if segments.count() == 1 else "---------",
        )
        self.fields["customer"].queryset = customers
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0))
        self.fields["company_name"].widget.attrs.update(
            {"autofocus": True, "autocomplete": "off", "data-testid": "company-name"}
        )
        self.fields["credit_code"].required = False

    def clean_credit_code(self) -> str:
        from customers.credit_code import normalise

        return normalise(self.cleaned_data.get("credit_code") or "")

    def _post_clean(self):
        # The model's own clean() (future time, phone or e-mail) runs here; business unit
        # and logger are set by the service, so they are left out of validation.
        if self.cleaned_data.get("segment") is not None:
            self.instance.business_unit_id = self.cleaned_data["segment"].business_unit_id
        super()._post_clean()


class DecisionForm(CleanInputMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    owner = UserChoiceField(
        label=_("Owner (account manager)"), queryset=Segment.objects.none(), required=False
    )
    decline_reason = forms.ChoiceField(
        label=_("Reason for declining"),
        choices=[("", "---------"), *DeclineReason.choices],
        required=False,
    )
    refer_to = SegmentChoiceField(
        label=_("Refer to"), queryset=Segment.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args, owners, segments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["refer_to"].queryset = segments.select_related("business_unit")


class FollowUpForm(CleanInputMixin, forms.ModelForm):
    happened_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    class Meta:
        model = InquiryFollowUp
        fields = ["happened_on", "feedback", "next_steps"]
        widgets = {
            "feedback": forms.Textarea(attrs={"rows": 2}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("happened_on", timezone.localdate())


class InquiryFilterForm(CleanInputMixin, forms.Form):
    STATUS_CHOICES = [
        ("", _("All")),
        ("open", _("Waiting for a decision")),
        ("decided", _("Decided")),
    ]

    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    q = forms.CharField(label=_("Company"), required=False, max_length=100)
    mine = forms.BooleanField(label=_("Logged by me"), required=False)
