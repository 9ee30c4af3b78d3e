"""The upload form of the people import; the file's content is checked by the service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from prioritizer.clean_input import CleanInputMixin
from prioritizer.uploads import clean_spreadsheet


class PeopleImportForm(CleanInputMixin, forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "One row per role membership; Chinese or English headers; UTF-8 or GB18030/GBK. "
            "At most 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        return clean_spreadsheet(self.cleaned_data["file"])
