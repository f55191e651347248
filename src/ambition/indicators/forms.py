from django import forms

ACCEPTED = (".csv", ".xlsx", ".gz")


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="CSV (UTF-8 or Windows-1252) or XLSX, in the long layout (authority, "
        "indicator, period, value, optional status, lower and upper) or the wide layout "
        "(one column per period)."
    )
    indicator = forms.CharField(
        required=False,
        max_length=80,
        help_text="The indicator's code, for a file that has no indicator column.",
    )
    dry_run = forms.BooleanField(
        required=False, label="Check only: report what would change, write nothing"
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ACCEPTED):
            raise forms.ValidationError("Choose a .csv or .xlsx file.")
        return upload
