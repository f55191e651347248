import datetime
from typing import Any

from django import forms

from ambition.web.uploads import MB, too_large, upload_limit_mb

from .limits import Limits
from .values import RANGE_RULE, RESTRICTED_SPAN, Status, restricted_until_problem

ACCEPTED = (".csv", ".xlsx", ".gz")


def plausible_restriction(day: datetime.date) -> None:
    """The importer's and the correction's rule, said beside the field before anything runs."""
    if (reason := restricted_until_problem(day)) is not None:
        raise forms.ValidationError(reason)


def import_file_hint() -> str:
    """What the import page says under the file field, limits and the values each unit
    allows included, before anyone uploads a file that breaks one."""
    limits = Limits.from_settings()
    return (
        "CSV (UTF-8 or Windows-1252, or compressed as .csv.gz) or XLSX, in the long layout "
        "(authority, indicator, period, value, optional status, lower and upper) or the wide "
        f"layout (one column per period). A file may be up to {upload_limit_mb():,} MB, with "
        f"up to {limits.rows:,} rows and {limits.columns:,} columns; a compressed file "
        f"(.csv.gz, .xlsx) may expand to at most {limits.expanded_mb:,} MB. {RANGE_RULE}"
    )


class ImportForm(forms.Form):
    file = forms.FileField()
    indicator = forms.CharField(
        required=False,
        max_length=80,
        help_text="The indicator's code, for a file that has no indicator column.",
    )
    restricted_until = forms.DateField(
        required=False,
        label="Keep from the public until (optional)",
        help_text="Local figures a council keeps to itself and the performance office until "
        f"this day, written YYYY-MM-DD ({RESTRICTED_SPAN}). A 'restricted until' column in the "
        "file overrides it.",
        validators=[plausible_restriction],
    )
    dry_run = forms.BooleanField(
        required=False, label="Check only: report what would change, write nothing"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = import_file_hint()  # the settings of this moment

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ACCEPTED):
            raise forms.ValidationError("Choose a .csv, .csv.gz or .xlsx file.")
        if upload.size > upload_limit_mb() * MB:  # an upload that came past the handler
            raise forms.ValidationError(too_large(upload_limit_mb()))
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
        help_text=f"Written YYYY-MM-DD ({RESTRICTED_SPAN}). Empty: published now.",
        validators=[plausible_restriction],
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Why it is corrected. Kept with the revision and shown on its page.",
    )
