from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class SchoolImportForm(forms.Form):
    file = forms.FileField(
        label=_("File with schools (.xlsx or .csv)"),
        help_text=_("Columns: name_kk, name_ru, bin, kato, address, instruction_language, "
                    "locality, pupils_count. Download the template below."),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, do not save anything"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_MAX_BYTES // 2**20}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name or BIN"), required=False, max_length=100)
