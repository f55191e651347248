"""The case study form (an officer's for their own council, the office's for any) and the
office's evidence form. The author's form has no evidence field: the strength of evidence
is set on its own page, by the office alone (knowledge.sharing.set_evidence)."""

from __future__ import annotations

from typing import Any

from django import forms

from ambition.fund.models import Award
from ambition.indicators.membership import acting_for, members_in
from ambition.indicators.models import Indicator, ServiceArea
from ambition.registry.models import Authority
from ambition.support.models import PeerReview, Secondment
from ambition.support.views.review_forms import checked_document
from ambition.web.parameters import ChoicesById

from .evidence import EvidenceLevel
from .models import CaseStudy

WRITE = "knowledge.add_casestudy"


class Named(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "name", obj))


class ManyNamed(ChoicesById):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "name", obj))


class CaseStudyForm(forms.ModelForm):
    lead = Named(
        queryset=Authority.objects.none(),
        empty_label=None,
        label="Council sharing it",
        help_text="The ledger records the case study as given by this council",
    )
    authorities = ManyNamed(
        queryset=Authority.objects.none(), required=False, label="Other authorities involved"
    )
    service_area = Named(queryset=ServiceArea.objects.all(), empty_label="Choose a service area")
    indicators = ManyNamed(
        queryset=Indicator.objects.order_by("name"),
        required=False,
        label="Indicators it should have moved",
    )
    peer_reviews = ChoicesById(
        queryset=PeerReview.objects.select_related("request__authority", "request__service_area"),
        required=False,
        label="Peer reviews behind it",
    )
    secondments = ChoicesById(
        queryset=Secondment.objects.select_related("from_authority", "to_authority"),
        required=False,
        label="Secondments behind it",
    )
    grants = ChoicesById(
        queryset=Award.objects.select_related("application__lead", "budget"),
        required=False,
        label="Grants behind it",
    )
    cost = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        label="What it cost, in pounds",
        help_text="For example 125000.00; leave blank if not known",
    )
    attachment_title = forms.CharField(max_length=200, required=False, label="Attachment title")
    attachment = forms.FileField(
        required=False,
        label="Attach a document",
        help_text="A PDF, Word (.docx), OpenDocument (.odt) or text file",
    )

    class Meta:
        model = CaseStudy
        fields = [
            "title",
            "lead",
            "authorities",
            "service_area",
            "summary",
            "what_they_did",
            "cost",
            "outcomes_claimed",
            "indicators",
            "peer_reviews",
            "secondments",
            "grants",
        ]
        labels = {"what_they_did": "What they did", "outcomes_claimed": "Outcomes claimed"}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = acting_for(user, WRITE)
        self.fields["authorities"].queryset = members_in().order_by("name")

    def clean_attachment(self) -> Any:
        return checked_document(self.cleaned_data.get("attachment"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("attachment") and not data.get("attachment_title", "").strip():
            self.add_error("attachment_title", "Give the attachment a title")
        return data


class EvidenceForm(forms.Form):
    level = forms.TypedChoiceField(
        choices=[("", "Not yet assessed"), *EvidenceLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
        label="Strength of evidence",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Why this level",
        help_text="What the evidence is and who gathered it",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("level") is not None and not data.get("note", "").strip():
            self.add_error("note", "Say why the case study has this level")
        return data
