"""Back-fill and incentive claims: a council officer claims for their own authority and
sees its claims; the performance office sees all, approves, refuses and records payment;
board members read. The money, budget and decision are the fund's (fund.claims); what a claim
was for is peer support's (ClaimCause)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from ambition.fund.models import Claim
from ambition.fund.views.budgets import CLAIM_COLUMNS, budget_row, claim_row
from ambition.web.tables import Table, respond

from .. import money
from ..models import ClaimCause
from .money_forms import ClaimForm, DecisionForm


@login_required
@permission_required("fund.add_claim", raise_exception=True)
def claim_new(request: HttpRequest) -> HttpResponse:
    form = ClaimForm(
        request.POST or None, user=request.user, initial={"budget": request.GET.get("budget")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.has_perm("fund.add_claim", data["claimant"]):
            raise PermissionDenied
        claim = money.claim(user=request.user, **data)
        messages.success(
            request, f"Claim submitted: £{claim.amount:,.2f} from {claim.budget.name}."
        )
        return redirect(claim.get_absolute_url())
    return render(request, "support/claim_new.html", {"form": form})


@login_required
@require_safe
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("claimant", "budget"), pk=pk)
    if not request.user.has_perm("fund.view_claim", claim):
        raise PermissionDenied
    row = claim_row(claim)
    if download := respond(request, lambda: Table(f"claim-{claim.pk}", CLAIM_COLUMNS, [row])):
        return download
    context = {
        "claim": claim,
        "cause": ClaimCause.objects.filter(claim=claim).first(),
        "row": row,
        "budget": budget_row(claim.budget),
        "form": DecisionForm(),
        "may_decide": request.user.has_perm("fund.change_claim", claim),
    }
    return render(request, "support/claim_detail.html", context)


DECISIONS = {
    "approve": lambda claim, user, reason: money.approve(claim, user, reason),
    "refuse": lambda claim, user, reason: money.refuse(claim, user, reason),
    "pay": lambda claim, user, reason: money.pay(claim, user),
}


@login_required
@require_POST
def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    if not request.user.has_perm("fund.change_claim", claim):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve, refuse or record as paid.")
        return redirect(claim.get_absolute_url())
    decision = form.cleaned_data["decision"]
    try:
        DECISIONS[decision](claim, request.user, form.cleaned_data["reason"])
    except money.ClaimError as error:
        messages.error(request, str(error))
    else:
        claim.refresh_from_db()
        messages.success(request, f"The claim is {claim.get_state_display().lower()}.")
    return redirect(claim.get_absolute_url())
