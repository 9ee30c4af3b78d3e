"""Input shapes of the criteria-set pages: a criterion with its rule, new sets, copies, weights
and uploads; no side effects (the services write). Tiers, goals and AHP: policy_forms.py."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from customers.reference import Industry, Region
from evaluation.criteria.documents import KEY_PATTERN, plain_number
from evaluation.criteria.rule_checks import rule_problems
from evaluation.criteria.sources import FACT_SOURCES, Source
from evaluation.models import Family
from prioritizer.clean_input import CleanInputMixin

MAX_UPLOAD_BYTES = 1024 * 1024
RULE_TYPES_FOR_KIND = {
    "number": ("linear", "bands"),
    "category": ("choice",),
    "boolean": ("boolean",),
}
RULE_TYPE_LABELS = {
    "linear": _("Linear between a low and a high value"),
    "bands": _("Bands of values"),
    "choice": _("Points per option"),
    "boolean": _("Yes / no"),
}
DIRECTION_LABELS = {"higher_better": _("Higher is better"), "lower_better": _("Lower is better")}
MIN_BAND_ROWS = 3
MAX_BAND_ROWS = 20


def _points_field(label, required=False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
    )


def _number_field(label) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, max_digits=20, decimal_places=4)


def option_labels(source: Source) -> dict[str, str]:
    """Readable names of a category source's options (region, industry, rated attribute)."""
    if source.key == "region":
        return dict(Region.choices)
    if source.key == "industry":
        return dict(Industry.choices)
    from customers.models import AttributeOption

    return {
        option.key: option.name
        for option in AttributeOption.objects.filter(attribute__key=source.key)
    }


class CriterionForm(CleanInputMixin, forms.Form):
    """One criterion with a rule editor that fits its source: linear or bands for a number,
    one points field per option for a category (every option listed), yes/no for a boolean."""

    key = forms.CharField(
        label=_("key"),
        max_length=50,
        help_text=_("Lower-case letters, digits or “_”; unique in the set."),
    )
    name_zh = forms.CharField(label=_("Chinese name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    family = forms.ChoiceField(label=_("family"), choices=Family.choices)
    source = forms.ChoiceField(label=_("source"))
    rule_type = forms.ChoiceField(label=_("rule"))
    lo = _number_field(_("low value (0 points)"))
    hi = _number_field(_("high value (100 points)"))
    direction = forms.ChoiceField(
        label=_("direction"), required=False, choices=list(DIRECTION_LABELS.items())
    )
    true_points = _points_field(_("points for yes"))
    false_points = _points_field(_("points for no"))
    weight = _points_field(_("weight (%)"), required=True)
    gate = _points_field(_("gate (minimum points)"))

    def __init__(self, *args, sources: dict[str, Source], taken_keys=(), band_rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = sources
        self.taken_keys = set(taken_keys)
        facts = [(key, str(s.label)) for key, s in sources.items() if key in FACT_SOURCES]
        attributes = [(key, str(s.label)) for key, s in sources.items() if key not in FACT_SOURCES]
        self.fields["source"].choices = [
            (gettext("Facts"), facts),
            (gettext("Rated attributes"), attributes),
        ]
        state = self.data if self.is_bound else self.initial
        self.source = sources.get(state.get("source")) or next(iter(sources.values()))
        fitting = RULE_TYPES_FOR_KIND[self.source.kind]
        self.fields["rule_type"].choices = [(t, RULE_TYPE_LABELS[t]) for t in fitting]
        self.rule_type = state.get("rule_type") if state.get("rule_type") in fitting else fitting[0]
        self.rule_type_value = self.rule_type
        if not self.is_bound:
            self.initial["rule_type"] = self.rule_type
        self.options = []
        if self.source.kind == "category":
            labels = option_labels(self.source)
            for option in self.source.options:
                name = f"points_{option}"
                self.fields[name] = _points_field(labels.get(option, option))
                self.options.append(name)
        self.band_rows = self._band_row_count(state, band_rows)
        for row in range(self.band_rows):
            self.fields[f"band_min_{row}"] = _number_field(_("from (included)"))
            self.fields[f"band_max_{row}"] = _number_field(_("to (excluded)"))
            self.fields[f"band_points_{row}"] = _points_field(_("points"))
        for name, field in self.fields.items():
            if name.startswith(("band_", "points_")):
                field.widget.attrs["class"] = "form-control form-control-sm"
                field.widget.attrs["aria-label"] = f"{field.label} ({name})"

    @staticmethod
    def _band_row_count(state, requested) -> int:
        used = [
            int(match.group(1))
            for name in state
            if (match := re.fullmatch(r"band_(?:min|max|points)_(\d+)", name))
        ]
        count = max([MIN_BAND_ROWS, (max(used) + 1) if used else 0, requested or 0])
        return min(count, MAX_BAND_ROWS)

    @classmethod
    def initial_for(cls, criterion: dict) -> dict:
        """Form initial values from a criterion of the JSON document."""
        rule = criterion.get("rule") or {}
        initial = {
            field: criterion.get(field) for field in ("key", "name_zh", "name_en", "family")
        } | {
            "source": criterion.get("source"),
            "weight": criterion.get("weight"),
            "gate": criterion.get("gate"),
            "rule_type": rule.get("type"),
        }
        kind = rule.get("type")
        if kind == "linear":
            initial |= {k: rule.get(k) for k in ("lo", "hi", "direction")}
        elif kind == "bands":
            for row, band in enumerate(rule.get("bands") or []):
                initial |= {
                    f"band_min_{row}": band.get("min"),
                    f"band_max_{row}": band.get("max"),
                    f"band_points_{row}": band.get("points"),
                }
            # One empty row more than the rule has, for a band to add.
            initial[f"band_points_{len(rule.get('bands') or [])}"] = None
        elif kind == "choice":
            initial |= {f"points_{k}": v for k, v in (rule.get("points") or {}).items()}
        elif kind == "boolean":
            initial |= {"true_points": rule.get("true"), "false_points": rule.get("false")}
        return initial

    def band_fields(self):
        return [
            (self[f"band_min_{row}"], self[f"band_max_{row}"], self[f"band_points_{row}"])
            for row in range(self.band_rows)
        ]

    def option_fields(self):
        return [self[name] for name in self.options]

    def clean_key(self) -> str:
        key = self.cleaned_data["key"].strip()
        if not KEY_PATTERN.match(key):
            raise forms.ValidationError(_("Use lower-case letters, digits or “_”."))
        if key in self.taken_keys:
            raise forms.ValidationError(_("Another criterion of this set has this key."))
        return key

    def _rule(self, data: dict) -> tuple[dict, list[str]]:
        missing = []
        if self.rule_type == "linear":
            for field in ("lo", "hi", "direction"):
                if data.get(field) in (None, ""):
                    missing.append(field)
            rule = {
                "type": "linear",
                "lo": plain_number(data.get("lo")),
                "hi": plain_number(data.get("hi")),
                "direction": data.get("direction") or None,
            }
        elif self.rule_type == "bands":
            bands = []
            for row in range(self.band_rows):
                low, high, points = (
                    data.get(f"band_{part}_{row}") for part in ("min", "max", "points")
                )
                if low is None and high is None and points is None:
                    continue
                if points is None:
                    missing.append(f"band_points_{row}")
                bands.append(
                    {
                        "min": plain_number(low),
                        "max": plain_number(high),
                        "points": plain_number(points),
                    }
                )
            rule = {"type": "bands", "bands": bands}
        elif self.rule_type == "choice":
            points = {}
            for name in self.options:
                if data.get(name) is None:
                    missing.append(name)
                points[name.removeprefix("points_")] = plain_number(data.get(name))
            rule = {"type": "choice", "points": points}
        else:
            for field in ("true_points", "false_points"):
                if data.get(field) is None:
                    missing.append(field)
            rule = {
                "type": "boolean",
                "true": plain_number(data.get("true_points")),
                "false": plain_number(data.get("false_points")),
            }
        return rule, missing

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        rule, missing = self._rule(data)
        for field in missing:
            self.add_error(field, _("Give a value here (0 is allowed)."))
        if not missing:
            for problem in rule_problems(rule, kind=self.source.kind, options=self.source.options):
                self.add_error(None, problem)
        data["rule"] = rule
        return data

    def criterion(self) -> dict:
        """The criterion in the JSON document's shape."""
        data = self.cleaned_data
        return {
            "key": data["key"],
            "name_zh": data["name_zh"].strip(),
            "name_en": data["name_en"].strip(),
            "family": data["family"],
            "source": self.source.key,
            "weight": plain_number(data["weight"]),
            "rule": data["rule"],
            "gate": plain_number(data.get("gate")),
        }


class NewSetForm(CleanInputMixin, forms.Form):
    scope = forms.RegexField(regex=r"^(bu|segment):[A-Za-z0-9_-]{1,20}$")
    year = forms.IntegerField(min_value=2000, max_value=2100)
    name = forms.CharField(label=_("set name"), max_length=200)


class CopyForm(CleanInputMixin, forms.Form):
    year = forms.IntegerField(label=_("planning year"), min_value=2000, max_value=2100)


class WeightsForm(CleanInputMixin, forms.Form):
    """The set's name and every criterion's weight, edited together on the set page."""

    name = forms.CharField(label=_("set name"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, keys: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = keys
        for key in keys:
            self.fields[f"weight-{key}"] = _points_field(key, required=True)

    def weights(self) -> dict[str, Decimal]:
        return {key: self.cleaned_data[f"weight-{key}"] for key in self.keys}


class UploadForm(CleanInputMixin, forms.Form):
    file = forms.FileField(label=_("criteria set (JSON)"))
    publish = forms.BooleanField(label=_("publish it at once"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error
        try:
            self.cleaned_data["document"] = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("The file is not valid JSON (line %(line)d, column %(column)d: %(reason)s).")
                % {"line": error.lineno, "column": error.colno, "reason": error.msg}
            ) from error
        return upload
