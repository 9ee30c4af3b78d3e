"""The upload form of the people import; the file's content is checked by the service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from prioritizer.clean_input import CleanInputMixin
from prioritizer.tabular import MAX_FILE_BYTES

EXTENSIONS = (".csv", ".txt", ".xlsx")


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
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)d MB.") % {"max": MAX_FILE_BYTES // 1024 // 1024}
            )
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        return upload
