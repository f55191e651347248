"""The meeting form, with its attendees and agreed actions as inline formsets: all are
checked before anything is saved, and saved together."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory

from ambition.registry.models import Authority
from ambition.support.bookkeeping import members_in

from .models import AgreedAction, Attendee, Meeting, MeetingKind

ATTENDEE_ROWS = 4
ACTION_ROWS = 3
# A meeting's rows at most: a posted form count beyond it is a form error, not thousands
# of forms built (Django's own ceiling is 2,000, each querying the members).
MOST_ROWS = 100
DATE_HELP = "As YYYY-MM-DD, for example 2025-11-04"


def member_choices() -> Any:
    return members_in().order_by("name")


class MeetingForm(forms.ModelForm):  # type: ignore[type-arg]
    authority = forms.ModelChoiceField(
        queryset=Authority.objects.none(),
        required=False,
        empty_label="None: a partnership-wide meeting",
        label="Council it concerns",
    )
    date = forms.DateField(help_text=DATE_HELP)

    class Meta:
        model = Meeting
        fields = ("authority", "date", "kind", "notes")
        widgets = {"notes": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = member_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == MeetingKind.ANNUAL_REVIEW and not data.get("authority"):
            self.add_error("authority", "An annual review visit is to one council: choose it.")
        return data


class AttendeeForm(forms.ModelForm):  # type: ignore[type-arg]
    authority = forms.ModelChoiceField(
        queryset=Authority.objects.none(),
        required=False,
        empty_label="The partnership",
        label="Came for",
    )

    class Meta:
        model = Attendee
        fields = ("name", "role", "authority")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = member_choices()  # type: ignore[attr-defined]


class ActionForm(forms.ModelForm):  # type: ignore[type-arg]
    due = forms.DateField(required=False, help_text=DATE_HELP)

    class Meta:
        model = AgreedAction
        fields = ("text", "owner", "due", "done")
        widgets = {"text": forms.TextInput()}


class AttendeeRows(BaseInlineFormSet):  # type: ignore[type-arg]
    noun = "attendees"  # what the error summary calls the rows


class ActionRows(BaseInlineFormSet):  # type: ignore[type-arg]
    noun = "agreed actions"


def _rows_of(model: Any, form: Any, formset: Any, extra: int) -> Any:
    """A meeting's rows of one kind, at most MOST_ROWS of them however many a post claims."""
    return inlineformset_factory(
        Meeting,
        model,
        form=form,
        formset=formset,
        extra=extra,
        can_delete=True,
        max_num=MOST_ROWS,
        absolute_max=MOST_ROWS,
        validate_max=True,
    )


AttendeeFormSet = _rows_of(Attendee, AttendeeForm, AttendeeRows, ATTENDEE_ROWS)
ActionFormSet = _rows_of(AgreedAction, ActionForm, ActionRows, ACTION_ROWS)
