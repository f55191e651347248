"""Budgets and the claims on them: the partnership's members' officers, the board and the
office read every budget; the office adds one. A claim's own page is peer support's
(back-fill is claimed for a secondment or a review), reading these rows."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from ambition.web.tables import Column, Table, respond

from .. import budgeting
from ..forms import BudgetForm
from ..models import Budget, Claim

BUDGET_COLUMNS = [
    Column("id", "Budget"),
    Column("name", "Name"),
    Column("year", "Year"),
    Column("programme", "Programme"),
    Column("source", "Source"),
    Column("amount", "Amount (GBP)"),
    Column("committed", "Committed (GBP)"),
    Column("remaining", "Remaining (GBP)"),
    Column("illustrative", "Illustrative"),
]
CLAIM_COLUMNS = [
    Column("id", "Claim"),
    Column("code", "ONS code"),
    Column("claimant", "Claimant"),
    Column("budget", "Budget"),
    Column("amount", "Amount (GBP)"),
    Column("description", "For what"),
    Column("state", "State"),
    Column("decided_at", "Decided at"),
    Column("reason", "Reason"),
    Column("paid_on", "Paid on"),
]


def budget_row(budget: Budget) -> dict[str, Any]:
    committed = budgeting.pence(budgeting.committed(budget.pk))
    return {
        "id": budget.pk,
        "url": budget.get_absolute_url(),
        "name": budget.name,
        "year": budget.year,
        "programme": budget.get_programme_display(),
        "source": budget.get_source_display(),
        "amount": budget.amount,
        "committed": committed,
        "remaining": budgeting.pence(budget.amount - committed),
        "illustrative": budget.illustrative,
    }


def claim_row(c: Claim) -> dict[str, Any]:
    return {
        "id": c.pk,
        "url": c.get_absolute_url(),
        "code": c.claimant.code,
        "claimant": c.claimant.name,
        "budget": c.budget.name,
        "amount": c.amount,
        "description": c.description,
        "state": c.state,
        "state_label": c.get_state_display(),
        "decided_at": c.decided_at.isoformat(timespec="minutes") if c.decided_at else None,
        "reason": c.reason,
        "paid_on": c.paid_on,
    }


def visible_claims(user: Any) -> QuerySet[Claim]:
    """Every claim for the office and the board; an officer's own authority's otherwise."""
    return Claim.objects.visible_to(user).select_related("claimant", "budget")


@login_required
@permission_required("fund.view_budget", raise_exception=True)
def budget_list(request: HttpRequest) -> HttpResponse:
    may_add = request.user.has_perm("fund.add_budget")
    form = BudgetForm(request.POST or None)
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied
        if form.is_valid():
            budget = Budget.objects.create(**form.cleaned_data)
            messages.success(request, f"Budget added: {budget}.")
            return redirect(budget.get_absolute_url())
    rows = [budget_row(budget) for budget in Budget.objects.all()]
    if download := respond(request, lambda: Table("budgets", BUDGET_COLUMNS, rows)):
        return download
    context = {
        "rows": rows,
        "form": form,
        "may_add": may_add,
        "may_claim": request.user.has_perm("fund.add_claim"),
        "illustrative": any(r["illustrative"] for r in rows),
    }
    return render(request, "fund/budget_list.html", context)


@login_required
@permission_required("fund.view_budget", raise_exception=True)
@require_safe
def budget_detail(request: HttpRequest, pk: int) -> HttpResponse:
    budget = get_object_or_404(Budget, pk=pk)
    claims = [claim_row(c) for c in visible_claims(request.user).filter(budget=budget)]
    if download := respond(
        request, lambda: Table(f"budget-{budget.pk}-claims", CLAIM_COLUMNS, claims)
    ):
        return download
    context = {"budget": budget_row(budget), "claims": claims}
    return render(request, "fund/budget_detail.html", context)
