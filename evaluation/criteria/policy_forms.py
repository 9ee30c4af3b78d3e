"""Input shapes of the tier-policy, yearly-goal and AHP pages (evaluation/criteria/views/policies.py);
no side effects (the services write)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.criteria import ahp
from evaluation.criteria.documents import plain_number
from evaluation.models import Goal, Tier
from prioritizer.clean_input import CleanInputMixin


class TierForm(CleanInputMixin, forms.Form):
    code = forms.CharField(label=_("code"), max_length=10)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    # An initial value, so an untouched empty row (whose select submits its first option)
    # does not count as changed.
    rule_type = forms.ChoiceField(
        label=_("rule"), choices=Tier.RuleType.choices, initial=Tier.RuleType.TOP_N
    )
    rule_value = forms.DecimalField(label=_("value"), max_digits=10, decimal_places=2)
    development_principle = forms.CharField(
        label=_("development principle"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    service_level = forms.CharField(label=_("service level"), max_length=200, required=False)
    contact_frequency = forms.CharField(
        label=_("contact frequency"), max_length=100, required=False
    )
    responsible_role = forms.CharField(label=_("responsible role"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        kind, value = data.get("rule_type"), data.get("rule_value")
        if kind is None or value is None:
            return data
        if kind == "top_n" and (value != value.to_integral_value() or value < 1):
            self.add_error("rule_value", _("Top N needs a whole number of 1 or more."))
        elif kind == "top_percent" and not 0 < value <= 100:
            self.add_error("rule_value", _("Top percent needs a number above 0 and at most 100."))
        elif kind == "min_score" and not 0 <= value <= 100:
            self.add_error("rule_value", _("A minimum score is from 0 to 100."))
        return data

    def tier(self) -> dict:
        data = self.cleaned_data
        item = {
            "code": data["code"].strip(),
            "name_zh": data["name_zh"].strip(),
            "name_en": data["name_en"].strip(),
            "rule": {"type": data["rule_type"], "value": plain_number(data["rule_value"])},
        }
        for field in (
            "development_principle",
            "service_level",
            "contact_frequency",
            "responsible_role",
        ):
            if data.get(field):
                item[field] = data[field]
        return item


class BaseTierFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        codes = set()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            code = form.cleaned_data.get("code", "").strip()
            if code in codes:
                form.add_error("code", _("Another tier has this code."))
            codes.add(code)

    def tiers(self) -> list[dict]:
        """The kept tiers in the order of the page: the saved tiers as they apply, then a new
        one (the empty row at the end). Up and down buttons change the order, not numbers."""
        return [
            form.tier()
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form)
        ]


TierFormSet = forms.formset_factory(
    TierForm, formset=BaseTierFormSet, extra=1, can_delete=True, max_num=20
)


class GoalForm(CleanInputMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["strategy", "target_customer_count", "target_revenue", "resource_share"]
        widgets = {"strategy": forms.Textarea(attrs={"rows": 6})}


def _scale_choices():
    return [(ahp.scale_label(value), ahp.scale_label(value)) for value in ahp.SCALE]


class AhpForm(CleanInputMixin, forms.Form):
    """One select per pair of criteria (i < j): how much more important i is than j."""

    confirm = forms.BooleanField(
        label=_("Apply these weights although the judgements are inconsistent"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, criteria: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.pairs = []
        for i in range(len(criteria)):
            for j in range(i + 1, len(criteria)):
                name = f"pair_{i}_{j}"
                self.fields[name] = forms.ChoiceField(
                    choices=_scale_choices(), initial="1", label=f"{i} {j}"
                )
                self.pairs.append((criteria[i], criteria[j], name))

    def pair_fields(self):
        return [(first, second, self[name]) for first, second, name in self.pairs]

    def matrix(self) -> list[list[float]]:
        pairs = {}
        for i in range(len(self.criteria)):
            for j in range(i + 1, len(self.criteria)):
                pairs[(i, j)] = ahp.parse_scale(self.cleaned_data[f"pair_{i}_{j}"])
        return ahp.matrix_from_pairs(len(self.criteria), pairs)
