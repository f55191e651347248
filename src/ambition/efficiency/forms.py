"""Forms of the efficiency pages: a savings return with its lines, the office's decision
on a flag, the net budget upload, and a local area agreement with its partners and targets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from ambition.accounts.backends import scope_of
from ambition.indicators.models import Indicator
from ambition.indicators.periods import FIRST_YEAR, financial_year
from ambition.registry.models import Authority

from .models import (
    ADD_LAA,
    AgreementPartner,
    AgreementTarget,
    LocalAreaAgreement,
    Recurrence,
    Workstream,
    category_choices,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


def yes(value: str) -> bool:
    return value == "yes"


def category_options() -> list[tuple[str, str]]:
    return [("", "None given"), *category_choices()]


class ReturnForm(forms.Form):
    authority = forms.ModelChoiceField(queryset=Authority.objects.none(), empty_label=None)
    year = forms.IntegerField(
        label="Financial year", help_text="By the year it starts: 2008 for 2008-09"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_of(user, "efficiency.add_savingsreturn")
        members = Authority.objects.members().order_by("name")
        field = self.fields["authority"]
        field.queryset = members if scope is None else members.filter(pk__in=scope)  # type: ignore[attr-defined]
        self.fields["year"].initial = financial_year(timezone.localdate())

    def clean_year(self) -> int:
        year = int(self.cleaned_data["year"])
        latest = financial_year(timezone.localdate())
        if not FIRST_YEAR <= year <= latest:
            raise forms.ValidationError(f"Enter a year from {FIRST_YEAR} to {latest}.")
        return year


class LineForm(forms.Form):
    workstream = forms.ChoiceField(choices=Workstream.choices)
    amount = forms.DecimalField(
        label="Amount (GBP)", max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    cash_releasing = forms.TypedChoiceField(
        label="Cash-releasing?", choices=YES_NO, coerce=yes, initial="yes"
    )
    category = forms.ChoiceField(
        label="Procurement category",
        required=False,
        choices=category_options,
        help_text="For a procurement saving: the category of spend it was made in. The "
        "council's spend in that category is checked for the fall the saving claims.",
    )
    recurrence = forms.ChoiceField(choices=Recurrence.choices, initial=Recurrence.ONGOING)
    started = forms.DateField(label="Started", help_text="YYYY-MM-DD", input_formats=["%Y-%m-%d"])
    ends = forms.DateField(
        label="Ends",
        required=False,
        help_text="YYYY-MM-DD, if it stops",
        input_formats=["%Y-%m-%d"],
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    evidence_url = forms.URLField(
        label="Evidence link", required=False, max_length=500, assume_scheme="https"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, ends = data.get("started"), data.get("ends")
        if started and ends and ends < started:
            self.add_error("ends", "The end must be on or after the start.")
        workstream = data.get("workstream")
        if data.get("category") and workstream and workstream != Workstream.PROCUREMENT:
            self.add_error("category", "Give a procurement category only for a procurement saving.")
        return data


LineFormSet = forms.formset_factory(LineForm, extra=3, min_num=1, validate_min=True, max_num=20)


class FlagDecisionForm(forms.Form):
    flag = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("accept", "Accept the claim"), ("uphold", "Uphold")])
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReturnDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("withdraw", "Withdraw")])


class BudgetUploadForm(forms.Form):
    file = forms.FileField(
        label="Net budgets (CSV)",
        help_text="Columns ons_code, year (2008 or 2008/09) and amount; source and "
        "illustrative (yes/no) if you have them",
    )


class CheckedByModel(forms.ModelForm):  # type: ignore[type-arg]
    """A form whose model's `clean` names the field for every rule its database
    constraints hold; the constraints' own messages would say the same again, unnamed."""

    def validate_unique(self) -> None:
        return None


class AgreementForm(CheckedByModel):
    signed_on = forms.DateField(
        label="Signed on", required=False, help_text="YYYY-MM-DD", input_formats=["%Y-%m-%d"]
    )

    class Meta:
        model = LocalAreaAgreement
        fields = ["authority", "start_year", "end_year", "title", "signed_on", "reward_rule"]
        labels = {"start_year": "First financial year", "end_year": "Last financial year"}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_of(user, ADD_LAA)
        members = Authority.objects.members().order_by("name")
        field = self.fields["authority"]
        field.queryset = members if scope is None else members.filter(pk__in=scope)  # type: ignore[attr-defined]
        field.empty_label = None  # type: ignore[attr-defined]


class PartnerForm(CheckedByModel):
    class Meta:
        model = AgreementPartner
        fields = ["kind", "name"]
        labels = {"kind": "Kind of partner"}


class TargetForm(CheckedByModel):
    class Meta:
        model = AgreementTarget
        fields = [
            "indicator",
            "baseline",
            "baseline_period",
            "stretch",
            "target_year",
            "reward_max",
        ]
        labels = {"stretch": "Stretch target", "reward_max": "Reward (GBP)"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        indicators = self.fields["indicator"]
        indicators.queryset = Indicator.objects.order_by("name")  # type: ignore[attr-defined]
        indicators.empty_label = None  # type: ignore[attr-defined]
