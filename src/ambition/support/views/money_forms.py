"""Forms of back-fill money: a claim on a fund budget and a decision on it."""

from __future__ import annotations

from typing import Any

from django import forms

from ambition.fund.models import Budget
from ambition.registry.models import Authority

from ..forms import AuthorityChoice, acting_for
from ..models import Secondment


class ClaimForm(forms.Form):
    claimant = AuthorityChoice(queryset=Authority.objects.none(), empty_label=None)
    budget = forms.ModelChoiceField(queryset=Budget.objects.all(), empty_label=None)
    amount = forms.DecimalField(min_value=0.01, max_digits=12, decimal_places=2, label="Amount (£)")
    secondment = forms.ModelChoiceField(
        queryset=Secondment.objects.none(),
        required=False,
        empty_label="None",
        help_text="The secondment the back-fill covers, if any.",
    )
    description = forms.CharField(
        label="For what", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        claimants = acting_for(user, "fund.add_claim")
        self.fields["claimant"].queryset = claimants
        self.fields["secondment"].queryset = Secondment.objects.filter(
            from_authority__in=claimants
        ).select_related("from_authority", "to_authority")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lent = data.get("secondment")
        if (
            lent is not None
            and data.get("claimant")
            and lent.from_authority_id != data["claimant"].pk
        ):
            raise forms.ValidationError("Back-fill for a secondment is claimed by the lender.")
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("refuse", "Refuse"), ("pay", "Record as paid")]
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="Needed to refuse.",
    )
