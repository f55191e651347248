"""The analysts' forms: making an assessment run, and entering a judgement."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from ambition.registry.models import Authority

from .making import member_codes, parse_as_of
from .methodology import Methodology, available, load

SCOPE_CHOICES = [
    ("members", "The partnership's members"),
    ("england", "Every English council with data"),
]
SCORE_CHOICES = [
    ("", "Choose a score"),
    (4, "4: performing strongly"),
    (3, "3: performing well"),
    (2, "2: adequate"),
    (1, "1: inadequate"),
]


def methods() -> list[Methodology]:
    return [load(name) for name in available()]


def judged_methods() -> list[Methodology]:
    """The methods whose star tables need judgements the office enters."""
    return [m for m in methods() if m.judgement_keys]


class RunForm(forms.Form):
    method = forms.ChoiceField(help_text="The methodology file the run follows.")
    period = forms.CharField(
        required=False,
        max_length=10,
        label="Data up to (optional)",
        help_text="A year (2023: data of periods ending by 31 December 2023) or a date "
        "written YYYY-MM-DD. Leave it empty for the latest data.",
    )
    scope = forms.ChoiceField(
        choices=SCOPE_CHOICES,
        label="Whom to rate",
        help_text="Positions are always among the method's comparator group.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(m.name, f"{m.title} ({m.name})") for m in methods()]

    def clean_period(self) -> datetime.date:
        try:
            return parse_as_of(self.cleaned_data["period"].strip())
        except ValueError as error:
            raise forms.ValidationError(
                "Enter a year such as 2023, a date such as 2023-03-31, or nothing"
            ) from error


class JudgementForm(forms.Form):
    """One judgement: never an edit, a new one supersedes the last for its authority and key."""

    authority = forms.ModelChoiceField(
        queryset=Authority.objects.none(), empty_label="Choose an authority"
    )
    method = forms.ChoiceField(help_text="The methods whose star tables take judgements.")
    key = forms.ChoiceField(label="Judgement")
    score = forms.TypedChoiceField(choices=SCORE_CHOICES, coerce=int)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="Why this score: the evidence it rests on. Kept with the judgement, shown "
        "with every rating that uses it, and never changed.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        judged = judged_methods()
        self.keys = {m.name: m.judgement_keys for m in judged}
        self.fields["authority"].queryset = Authority.objects.filter(
            code__in=member_codes()
        ).order_by("name")
        self.fields["method"].choices = [(m.name, f"{m.title} ({m.name})") for m in judged]
        self.labels = {k: j.label for m in judged for k, j in m.stars.judgements.items()}
        self.fields["key"].choices = [("", "Choose a judgement"), *self.labels.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        method, key = data.get("method"), data.get("key")
        if method and key and key not in self.keys.get(method, ()):
            self.add_error("key", f"{method} takes no judgement called {key}")
        return data
