"""Forms of the target-list pages: owners, plans, overrides and approval steps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import TargetEntry
from prioritizer.clean_input import CleanInputMixin


class OwnerAssignForm(CleanInputMixin, forms.Form):
    owner = forms.ModelChoiceField(
        label=_("owner"), queryset=None, required=False, empty_label=_("(no owner)")
    )
    entries = forms.ModelMultipleChoiceField(
        label=_("customers"),
        queryset=None,
        error_messages={"required": _("Tick the customers to assign.")},
    )

    def __init__(self, *args, owners, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["entries"].queryset = entries


class PlanForm(CleanInputMixin, forms.ModelForm):
    class Meta:
        model = TargetEntry
        fields = ["plan_objective", "plan_actions", "plan_next_date"]
        widgets = {
            "plan_actions": forms.Textarea(attrs={"rows": 3}),
            "plan_next_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class OverrideForm(CleanInputMixin, forms.Form):
    tier = forms.ChoiceField(label=_("tier"), required=False)
    reason = forms.CharField(
        label=_("reason for the override"),
        required=False,
        max_length=500,
        help_text=_("Required when the tier differs from the one scoring gave."),
    )

    def __init__(self, *args, tiers: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = [
            (tier["code"], f"{tier['code']} {tier.get('name_zh', '')}") for tier in tiers
        ] + [("", _("General customer (not targeted)"))]


class RankOverrideForm(OverrideForm):
    """Lift a customer the run left general into a tier, found by its rank in the run."""

    rank = forms.IntegerField(label=_("rank in the score run"), min_value=1)


class CommentForm(CleanInputMixin, forms.Form):
    comment = forms.CharField(
        label=_("comment"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )


class ReasonForm(CleanInputMixin, forms.Form):
    reason = forms.CharField(
        label=_("reason for the revision"), max_length=2000, widget=forms.Textarea({"rows": 2})
    )
