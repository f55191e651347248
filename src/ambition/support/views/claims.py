"""Budget lines and back-fill claims: a council officer claims for their own authority and
sees its claims; the performance office sees all, approves, refuses and records payment;
board members read. Approval is checked against the line in the same transaction
(support.money)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from ambition.web.tables import Column, Table, respond

from .. import money
from ..models import BackfillClaim, BudgetLine
from .money_forms import BudgetLineForm, ClaimForm, DecisionForm

LINE_COLUMNS = [
    Column("id", "Budget line"),
    Column("name", "Name"),
    Column("year", "Year"),
    Column("purpose", "Purpose"),
    Column("amount", "Amount (GBP)"),
    Column("committed", "Approved and paid (GBP)"),
    Column("remaining", "Remaining (GBP)"),
]
CLAIM_COLUMNS = [
    Column("id", "Claim"),
    Column("code", "ONS code"),
    Column("claimant", "Claimant"),
    Column("budget_line", "Budget line"),
    Column("amount", "Amount (GBP)"),
    Column("description", "For what"),
    Column("state", "State"),
    Column("decided_at", "Decided at"),
    Column("reason", "Reason"),
    Column("paid_on", "Paid on"),
]


def line_row(line: BudgetLine) -> dict[str, Any]:
    committed = line.committed()
    return {
        "id": line.pk,
        "url": line.get_absolute_url(),
        "name": line.name,
        "year": line.year,
        "purpose": line.get_purpose_display(),
        "amount": line.amount,
        "committed": committed,
        "remaining": line.amount - committed,
    }


def claim_row(c: BackfillClaim) -> dict[str, Any]:
    return {
        "id": c.pk,
        "url": c.get_absolute_url(),
        "code": c.claimant.code,
        "claimant": c.claimant.name,
        "budget_line": c.budget_line.name,
        "amount": c.amount,
        "description": c.description,
        "state": c.state,
        "state_label": c.get_state_display(),
        "decided_at": c.decided_at.isoformat(timespec="minutes") if c.decided_at else None,
        "reason": c.reason,
        "paid_on": c.paid_on,
    }


def visible_claims(user: Any) -> QuerySet[BackfillClaim]:
    """Every claim for the office and the board; an officer's own authority's otherwise."""
    return BackfillClaim.objects.visible_to(user).select_related("claimant", "budget_line")


@login_required
@permission_required("support.view_budgetline", raise_exception=True)
def budget_list(request: HttpRequest) -> HttpResponse:
    may_add = request.user.has_perm("support.add_budgetline")
    form = BudgetLineForm(request.POST or None)
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied
        if form.is_valid():
            line = BudgetLine.objects.create(**form.cleaned_data)
            messages.success(request, f"Budget line added: {line}.")
            return redirect(line.get_absolute_url())
    rows = [line_row(line) for line in BudgetLine.objects.all()]
    if download := respond(request, lambda: Table("budget-lines", LINE_COLUMNS, rows)):
        return download
    context = {
        "rows": rows,
        "form": form,
        "may_add": may_add,
        "may_claim": request.user.has_perm("support.add_backfillclaim"),
    }
    return render(request, "support/budget_list.html", context)


@login_required
@permission_required("support.view_budgetline", raise_exception=True)
@require_safe
def budget_detail(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(BudgetLine, pk=pk)
    claims = [claim_row(c) for c in visible_claims(request.user).filter(budget_line=line)]
    if download := respond(
        request, lambda: Table(f"budget-line-{line.pk}-claims", CLAIM_COLUMNS, claims)
    ):
        return download
    return render(request, "support/budget_detail.html", {"line": line_row(line), "claims": claims})


@login_required
@permission_required("support.add_backfillclaim", raise_exception=True)
def claim_new(request: HttpRequest) -> HttpResponse:
    form = ClaimForm(
        request.POST or None, user=request.user, initial={"budget_line": request.GET.get("line")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.has_perm("support.add_backfillclaim", data["claimant"]):
            raise PermissionDenied
        claim = BackfillClaim.objects.create(**data, submitted_by=request.user)
        messages.success(
            request, f"Claim submitted: £{claim.amount:,.2f} from {claim.budget_line.name}."
        )
        return redirect(claim.get_absolute_url())
    return render(request, "support/claim_new.html", {"form": form})


@login_required
@require_safe
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(
        BackfillClaim.objects.select_related("claimant", "budget_line"), pk=pk
    )
    if not request.user.has_perm("support.view_backfillclaim", claim):
        raise PermissionDenied
    row = claim_row(claim)
    if download := respond(request, lambda: Table(f"claim-{claim.pk}", CLAIM_COLUMNS, [row])):
        return download
    context = {
        "claim": claim,
        "row": row,
        "line": line_row(claim.budget_line),
        "form": DecisionForm(),
        "may_decide": request.user.has_perm("support.change_backfillclaim", claim),
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
    claim = get_object_or_404(BackfillClaim, pk=pk)
    if not request.user.has_perm("support.change_backfillclaim", claim):
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
