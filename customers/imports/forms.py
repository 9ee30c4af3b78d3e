"""The upload form of the customer import; the file's content is checked by the service."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.imports.cells import FIRST_YEAR
from prioritizer.clean_input import CleanInputMixin
from prioritizer.uploads import clean_spreadsheet


class CustomerImportForm(CleanInputMixin, forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "One row per customer and year; Chinese or English headers; UTF-8 or GB18030/GBK. "
            "At most 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    year = forms.IntegerField(
        label=_("Year of the facts"),
        help_text=_("Used for rows without a year."),
        min_value=FIRST_YEAR,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].initial = this_year
        self.fields["year"].widget.attrs.update({"min": FIRST_YEAR, "max": this_year})

    def clean_year(self):
        year = self.cleaned_data["year"]
        this_year = timezone.localdate().year
        if year > this_year:
            raise forms.ValidationError(
                _("%(year)d is in the future: facts can be imported up to %(this_year)d.")
                % {"year": year, "this_year": this_year}
            )
        return year

    def clean_file(self):
        return clean_spreadsheet(self.cleaned_data["file"])
