"""Forms of the fund's own pages: a budget, and a grant's life from bid to return."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from ambition.indicators.membership import acting_for
from ambition.indicators.models import Indicator, ServiceArea
from ambition.registry.models import Authority
from ambition.web.parameters import ChoicesById

from .criteria import Criteria
from .models import (
    Award,
    Budget,
    EvidenceState,
    Milestone,
    MilestoneEvidence,
    Outcome,
    Programme,
    ReturnKind,
    Source,
)

# Grants are made from these programmes' budgets; back-fill and incentives are claimed.
GRANT_PROGRAMMES = (Programme.IMPROVEMENT, Programme.EFFICIENCY, Programme.INNOVATION)


class BudgetForm(forms.Form):
    name = forms.CharField(max_length=200)
    year = forms.IntegerField(
        min_value=2000,
        max_value=2100,
        help_text="Financial year, by the year it starts: 2025 for 2025-26.",
    )
    amount = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2, label="Amount (£)")
    programme = forms.ChoiceField(choices=Programme.choices)
    source = forms.ChoiceField(choices=Source.choices, help_text="Where the money comes from.")


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class MembersChoice(ChoicesById):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ApplicationForm(forms.Form):
    """A draft bid: its targets and milestones are added on its own page."""

    lead = MemberChoice(queryset=Authority.objects.none(), empty_label=None, label="Lead council")
    partners = MembersChoice(
        queryset=Authority.objects.none(),
        required=False,
        label="Partner councils",
        help_text="For a joint bid: each partner council's officer confirms it takes part.",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
    )
    budget = forms.ModelChoiceField(
        queryset=Budget.objects.filter(programme__in=GRANT_PROGRAMMES), empty_label=None
    )
    title = forms.CharField(max_length=200)
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    service_area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.order_by("name"),
        required=False,
        empty_label="Corporate: across services",
    )
    amount = forms.DecimalField(
        min_value=Decimal("0.01"), max_digits=12, decimal_places=2, label="Amount requested (£)"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = acting_for(user, "fund.add_application")
        self.fields["partners"].queryset = Authority.objects.members().order_by("name")


class TargetForm(forms.Form):
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.order_by("name"), empty_label="Choose an indicator"
    )
    change = forms.DecimalField(
        max_digits=14,
        decimal_places=4,
        help_text="How far it should move, in the indicator's unit: negative to go down.",
    )
    by_date = forms.DateField(label="By", help_text="A date, as 2008-03-31.")

    def clean_change(self) -> Decimal:
        change: Decimal = self.cleaned_data["change"]
        if change == 0:
            raise forms.ValidationError("A target moves the indicator: not 0.")
        return change


class MilestoneForm(forms.Form):
    title = forms.CharField(max_length=200)
    due = forms.DateField(help_text="As 2008-03-31.")
    amount = forms.DecimalField(
        min_value=Decimal("0.01"), max_digits=12, decimal_places=2, label="Tranche (£)"
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class AppraisalForm(forms.Form):
    """One score per published criterion (0 to the scale), and comments."""

    comments = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args: Any, published: Criteria, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.published = published
        for c in published.items:
            self.fields[f"score_{c.code}"] = forms.IntegerField(
                min_value=0, max_value=published.scale, label=c.title, help_text=c.question
            )
        self.order_fields([*(f"score_{c.code}" for c in published.items), "comments"])

    def scores(self) -> dict[str, int]:
        return {c.code: self.cleaned_data[f"score_{c.code}"] for c in self.published.items}


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices)
    reasons = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Needed to refuse, or to approve with conditions.",
    )
    conditions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Needed to approve with conditions.",
    )
    amount = forms.DecimalField(
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        label="Amount awarded (£)",
        help_text="The amount requested unless you give less.",
    )
    decided_on = forms.DateField(
        required=False, label="Decided on", help_text="Today unless given."
    )

    def clean(self) -> dict[str, Any]:
        """The engine's rule, said against the field it concerns."""
        data = super().clean() or {}
        outcome = data.get("outcome")
        if outcome in (Outcome.REFUSED, Outcome.CONDITIONS) and not data.get("reasons", "").strip():
            self.add_error("reasons", "Give the reasons for a refusal or for conditions.")
        if outcome == Outcome.CONDITIONS and not data.get("conditions", "").strip():
            self.add_error("conditions", "State the conditions of the approval.")
        return data


class EvidenceForm(forms.Form):
    milestone = forms.ModelChoiceField(queryset=Milestone.objects.none(), empty_label=None)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    link = forms.URLField(required=False, max_length=200, assume_scheme="https")

    def __init__(self, *args: Any, award: Award, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = award.application.milestones.all()


class ReviewForm(forms.Form):
    evidence = forms.ModelChoiceField(queryset=MilestoneEvidence.objects.none(), empty_label=None)
    verdict = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="Needed to reject: say why.",
    )

    def __init__(self, *args: Any, award: Award, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = MilestoneEvidence.objects.filter(
            milestone__application_id=award.application_id, state=EvidenceState.SUBMITTED
        )


class PaymentForm(forms.Form):
    milestone = forms.ModelChoiceField(queryset=Milestone.objects.none(), empty_label=None)
    paid_on = forms.DateField(required=False, help_text="Today unless given.")

    def __init__(self, *args: Any, award: Award, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = award.application.milestones.filter(
            payment__isnull=True
        )


class VariationForm(forms.Form):
    amount = forms.DecimalField(
        min_value=Decimal("0.01"), max_digits=12, decimal_places=2, label="New amount (£)"
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReturnForm(forms.Form):
    kind = forms.ChoiceField(choices=ReturnKind.choices)
    amount = forms.DecimalField(
        min_value=Decimal("0.01"), max_digits=12, decimal_places=2, label="Amount (£)"
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    returned_on = forms.DateField(required=False, help_text="Today unless given.")
