"""Forms of peer reviews and secondments. A council officer acts for their own authority
(the choices offered are theirs; the view checks again); the performance office for any."""

from __future__ import annotations

from typing import Any

from django import forms

from ambition.indicators.models import ServiceArea
from ambition.registry.models import Authority

from ..forms import AuthorityChoice, acting_for, member_queryset
from ..models import STAGE_ORDER, PeerReview, ReviewStage, TeamRole

DATE_HINT = "A date written YYYY-MM-DD, e.g. 2026-05-01."


class ReviewRequestForm(forms.Form):
    authority = AuthorityChoice(queryset=Authority.objects.none(), empty_label=None)
    service_area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.all(), empty_label="Choose a service area"
    )
    problem = forms.CharField(
        label="What is wrong", widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )
    staff_days = forms.IntegerField(label="Staff days wanted", min_value=1, max_value=365)
    window_start = forms.DateField(label="The review could start on", help_text=DATE_HINT)
    window_end = forms.DateField(label="The review must end by", help_text=DATE_HINT)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = acting_for(user, "support.add_peerreview")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            raise forms.ValidationError("The window ends before it starts.")
        return data


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label="Move to", choices=ReviewStage.choices)
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, review: PeerReview, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        following = STAGE_ORDER[review.stage_index + 1 :]
        if following:
            self.fields["to_stage"].initial = following[0]


# A review's report and plan: documents people open, so only the formats a council sends,
# each checked by its first bytes as well as its name (a renamed program is refused).
DOCUMENT_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".txt": (b"",),
}


def checked_document(upload: Any) -> Any:
    """The upload, if it is a PDF, Word (.docx), OpenDocument (.odt) or plain-text file
    that is what its name says; a clear error otherwise."""
    if not upload or not hasattr(upload, "read"):
        return upload
    suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    signatures = DOCUMENT_SIGNATURES.get(suffix)
    if signatures is None:
        raise forms.ValidationError("Upload a PDF, Word (.docx), OpenDocument (.odt) or text file")
    head = upload.read(8)
    upload.seek(0)
    if suffix == ".txt":
        try:
            upload.read(65536).decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("A text file must be UTF-8 text") from None
        finally:
            upload.seek(0)
    elif not head.startswith(signatures):
        raise forms.ValidationError(f"This file is not a {suffix[1:].upper()} document inside")
    return upload


class DetailsForm(forms.ModelForm):
    def clean_report(self) -> Any:
        return checked_document(self.cleaned_data.get("report"))

    def clean_action_plan(self) -> Any:
        return checked_document(self.cleaned_data.get("action_plan"))

    class Meta:
        model = PeerReview
        fields = [
            "scope",
            "on_site_start",
            "on_site_end",
            "progress_review_due",
            "report",
            "report_text",
            "action_plan",
            "action_plan_text",
        ]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 3}),
            "report_text": forms.Textarea(attrs={"rows": 4}),
            "action_plan_text": forms.Textarea(attrs={"rows": 4}),
        }


class TeamMemberForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="Seen only by the office and the two parties.")
    authority = AuthorityChoice(queryset=Authority.objects.none(), empty_label=None)
    role = forms.ChoiceField(choices=TeamRole.choices)
    party = forms.CharField(
        required=False, max_length=60, help_text="For a member (councillor): their party."
    )
    days = forms.DecimalField(min_value=0.5, max_value=100, decimal_places=1, initial=5)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = acting_for(user, "support.add_reviewteammember")


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    owner = forms.CharField(max_length=200, help_text="The post that owns it, not a name.")
    due = forms.DateField(help_text=DATE_HINT)


class SecondmentForm(forms.Form):
    person = forms.CharField(
        max_length=200, help_text="Seen only by the office and the two authorities."
    )
    from_authority = AuthorityChoice(queryset=Authority.objects.none(), empty_label=None)
    to_authority = AuthorityChoice(queryset=Authority.objects.none(), empty_label=None)
    role = forms.CharField(max_length=200, help_text="The post seconded, e.g. Head of housing.")
    start = forms.DateField(help_text=DATE_HINT)
    end = forms.DateField(help_text=DATE_HINT)
    days = forms.DecimalField(min_value=0.5, max_value=1000, decimal_places=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from_authority", "to_authority"):
            self.fields[name].queryset = member_queryset()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("from_authority") and data.get("from_authority") == data.get("to_authority"):
            raise forms.ValidationError("A secondment is from one authority to another.")
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("The secondment ends before it starts.")
        return data
