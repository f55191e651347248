from django import forms

from .values import Status

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


class CorrectionForm(forms.Form):
    """One observation corrected by hand: a new revision, never an overwrite."""

    value = forms.FloatField(
        required=False, help_text="Leave empty for a suppressed or missing value."
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "None")] + [(s.value, s.value.capitalize()) for s in Status],
    )
    lower = forms.FloatField(required=False, label="Lower end of the interval (optional)")
    upper = forms.FloatField(required=False, label="Upper end of the interval (optional)")
    restricted_until = forms.DateField(
        required=False,
        label="Keep from the public until (optional)",
        help_text="Written YYYY-MM-DD. Empty: published now.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Why it is corrected. Kept with the revision and shown on its page.",
    )
