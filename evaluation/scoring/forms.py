"""Forms of the score-run pages: the score button's facts year, and the what-if weights."""

from __future__ import annotations

import json
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluation.criteria.rule_checks import rule_problems
from evaluation.criteria.sources import Source
from prioritizer.clean_input import CleanInputMixin

FIRST_YEAR = 2000
LAST_YEAR = 2100
MAX_RULES_TEXT = 20_000


def _year_field(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=FIRST_YEAR, max_value=LAST_YEAR)


class ScoreForm(CleanInputMixin, forms.Form):
    """The score button. When the segment's list is past draft, scoring leaves it as it is:
    the user must say they know that before anything runs (`list_kept`)."""

    facts_year = _year_field(gettext_lazy("facts year"))
    list_kept = forms.BooleanField(
        label=gettext_lazy("I know the target list is not rebuilt by this scoring"),
        required=False,
    )

    def __init__(self, *args, list_past_draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.list_past_draft = list_past_draft

    def clean_list_kept(self) -> bool:
        kept = self.cleaned_data["list_kept"]
        if self.list_past_draft and not kept:
            raise forms.ValidationError(
                _(
                    "The segment's target list is past draft and is not rebuilt by scoring: "
                    "confirm that you want a new run anyway."
                )
            )
        return kept


class WhatIfForm(CleanInputMixin, forms.Form):
    """Other weights (one per criterion, summing to 100) and, optionally, changed rules as a
    JSON object {criterion key: rule}, tried on one segment's data of a facts year."""

    segment = forms.ChoiceField(label=gettext_lazy("market segment"))
    facts_year = _year_field(gettext_lazy("facts year"))
    rules = forms.CharField(
        label=gettext_lazy("changed rules (JSON, optional)"),
        required=False,
        max_length=MAX_RULES_TEXT,
        widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
        help_text=gettext_lazy(
            'An object of criterion key to rule, e.g. {"revenue": {"type": "linear", "lo": 0, '
            '"hi": 800000000, "direction": "higher_better"}}. Criteria not named keep their rule.'
        ),
    )

    def __init__(self, *args, criteria: list, segments: list, sources: dict[str, Source], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.sources = sources
        self.fields["segment"].choices = [(s.code, str(s)) for s in segments]
        for criterion in criteria:
            self.fields[f"weight-{criterion.key}"] = forms.DecimalField(
                label=criterion.name,
                max_digits=5,
                decimal_places=2,
                min_value=0,
                max_value=100,
                initial=Decimal(f"{criterion.weight.normalize():f}"),  # 20, not 20.00
            )

    def weight_fields(self):
        return [self[f"weight-{criterion.key}"] for criterion in self.criteria]

    def clean_rules(self) -> dict:
        text = self.cleaned_data["rules"].strip()
        if not text:
            return {}
        try:
            rules = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("The rules are not valid JSON (line %(line)d, column %(column)d: %(reason)s).")
                % {"line": error.lineno, "column": error.colno, "reason": error.msg}
            ) from error
        if not isinstance(rules, dict):
            raise forms.ValidationError(_("The rules must be a JSON object of criterion keys."))
        by_key = {criterion.key: criterion for criterion in self.criteria}
        problems = []
        for key, rule in rules.items():
            criterion = by_key.get(key)
            if criterion is None:
                problems.append(_("“%(key)s” is not a criterion of this set.") % {"key": key})
                continue
            source = self.sources.get(criterion.source)
            kind, options = (source.kind, source.options) if source else ("number", ())
            problems += [
                f"{key}: {problem}" for problem in rule_problems(rule, kind=kind, options=options)
            ]
        if problems:
            raise forms.ValidationError(problems)
        return rules

    def clean(self):
        cleaned = super().clean()
        weights = self.weights()
        if len(weights) == len(self.criteria):
            total = sum(weights.values(), Decimal(0))
            if total != 100:
                raise forms.ValidationError(
                    _("The weights add up to %(total)s, not 100.")
                    % {"total": f"{total.normalize():f}"}
                )
        return cleaned

    def weights(self) -> dict[str, Decimal]:
        data = getattr(self, "cleaned_data", {})
        return {
            criterion.key: data[f"weight-{criterion.key}"]
            for criterion in self.criteria
            if data.get(f"weight-{criterion.key}") is not None
        }
