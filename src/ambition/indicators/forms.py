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
    restricted_until = forms.DateField(
        required=False,
        label="Keep from the public until (optional)",
        help_text="Local figures a council keeps to itself and the performance office until "
        "this day, written YYYY-MM-DD. A 'restricted until' column in the file overrides it.",
    )
    dry_run = forms.BooleanField(
        required=False, label="Check only: report what would change, write nothing"
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ACCEPTED):
            raise forms.ValidationError("Choose a .csv or .xlsx file.")
        return upload
