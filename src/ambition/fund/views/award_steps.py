"""The money after an award, each a POST from the award's page: the council's officer
submits a milestone's evidence; the office accepts or rejects it, pays the tranche, varies
the award and records money returned. The engine (ambition.fund.awards) checks the limits
under its row locks and writes; its refusals come back as the form's errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .. import awards
from ..awards import GrantError
from ..forms import EvidenceForm, PaymentForm, ReturnForm, ReviewForm, VariationForm
from ..models import Award
from .awards import award_page, found, url_of

Step = Callable[[Award, dict[str, Any], Any], str]


def step(
    request: HttpRequest, pk: int, perm: str, form_class: type[forms.Form], name: str, act: Step
) -> HttpResponse:
    """Check who asks, validate, let the engine act; a refusal is the form's error."""
    award = found(pk)
    if not request.user.has_perm(perm, award):
        raise PermissionDenied
    takes_award = form_class in (EvidenceForm, ReviewForm, PaymentForm)
    form = form_class(request.POST, award=award) if takes_award else form_class(request.POST)
    if form.is_valid():
        try:
            done = act(award, form.cleaned_data, request.user)
        except GrantError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect(url_of(award))
    return award_page(request, award, **{name: form})


def _evidence(award: Award, data: dict[str, Any], user: Any) -> str:
    awards.submit_evidence(data["milestone"], data["summary"], user, data["link"])
    return "Evidence submitted to the office."


def _review(award: Award, data: dict[str, Any], user: Any) -> str:
    if data["verdict"] == "accept":
        awards.accept_evidence(data["evidence"], user, data["note"])
        return "Evidence accepted: the tranche can be paid."
    awards.reject_evidence(data["evidence"], user, data["note"])
    return "Evidence rejected."


def _pay(award: Award, data: dict[str, Any], user: Any) -> str:
    payment = awards.pay(data["milestone"], user, data["paid_on"])
    return f"Paid {awards.pounds(payment.amount)}."


def _vary(award: Award, data: dict[str, Any], user: Any) -> str:
    awards.vary(award, data["amount"], data["reason"], user)
    return f"The award is now {awards.pounds(data['amount'])}."


def _give_back(award: Award, data: dict[str, Any], user: Any) -> str:
    made = awards.give_back(
        award, data["kind"], data["amount"], data["reason"], user, data["returned_on"]
    )
    return f"{made.get_kind_display()} of {awards.pounds(made.amount)} recorded."


@login_required
@require_POST
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    return step(request, pk, "fund.add_evidence", EvidenceForm, "evidence_form", _evidence)


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    return step(request, pk, "fund.change_award", ReviewForm, "review_form", _review)


@login_required
@require_POST
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    return step(request, pk, "fund.add_payment", PaymentForm, "payment_form", _pay)


@login_required
@require_POST
def vary(request: HttpRequest, pk: int) -> HttpResponse:
    return step(request, pk, "fund.change_award", VariationForm, "variation_form", _vary)


@login_required
@require_POST
def give_back(request: HttpRequest, pk: int) -> HttpResponse:
    return step(request, pk, "fund.change_award", ReturnForm, "return_form", _give_back)
