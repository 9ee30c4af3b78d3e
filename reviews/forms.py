"""Input shapes of the review pages; no side effects (the services write and re-check)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from prioritizer.clean_input import CleanInputMixin
from reviews.models import Stage
from reviews.services import MAX_NOTES, MAX_SUMMARY

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ResultForm(CleanInputMixin, forms.Form):
    revenue_won = forms.DecimalField(
        label=_("Revenue won (CNY)"),
        required=False,
        min_value=Decimal(0),
        max_digits=18,
        decimal_places=2,
        error_messages={"min_value": _("Revenue won cannot be negative.")},
    )
    contracts_signed = forms.IntegerField(
        label=_("Contracts signed"),
        required=False,
        min_value=0,
        max_value=2_147_483_647,
        error_messages={"min_value": _("The number of contracts cannot be negative.")},
    )
    stage = forms.ChoiceField(
        label=_("Relationship stage"),
        choices=Stage.choices,
        error_messages={
            "invalid_choice": _("“%(value)s” is not a relationship stage."),
        },
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 1}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, bound in self.fields.items():
            css = (
                "form-select form-select-sm" if name == "stage" else "form-control form-control-sm"
            )
            bound.widget.attrs.setdefault("class", css)
        self.fields["notes"].widget.attrs["class"] += " result-notes"

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "revenue_won": data["revenue_won"] if data["revenue_won"] is not None else Decimal(0),
            "contracts_signed": data["contracts_signed"] or 0,
            "stage": data["stage"],
            "notes": data["notes"],
        }


class SummaryForm(CleanInputMixin, forms.Form):
    summary = forms.CharField(
        label=_("Summary of the segment's year"),
        max_length=MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SignOffForm(CleanInputMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ImportForm(CleanInputMixin, forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    dry_run = forms.BooleanField(
        label=_("Only check the file, record nothing"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)d MB.") % {"max": MAX_UPLOAD_BYTES // 1024 // 1024}
            )
        return upload
