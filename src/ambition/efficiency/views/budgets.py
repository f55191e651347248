"""The office's upload of net revenue budgets: the same import as `ambition
import-net-budgets`, all or nothing, every problem listed with its row and column. The
page lists the latest budgets, downloadable."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ambition.web.tables import Table, respond

from ..forms import BudgetUploadForm
from ..imports import Problem, decode, import_budgets
from ..models import NetBudget
from . import tables


@login_required
@permission_required("efficiency.add_netbudget", raise_exception=True)
def budget_import(request: HttpRequest) -> HttpResponse:
    form = BudgetUploadForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        report = import_budgets(decode(form.cleaned_data["file"].read()))
        if report.ok:
            messages.success(
                request, f"Net budgets: {report.added} added, {report.unchanged} unchanged."
            )
            return redirect("efficiency-budget-import")
        problems = report.problems
    latest = NetBudget.objects.latest_revision().select_related("authority")
    rows = [tables.budget_row(b) for b in latest.order_by("authority__name", "-year")]
    if download := respond(request, lambda: Table("net-budgets", tables.BUDGET_COLUMNS, rows)):
        return download
    context = {
        "form": form,
        "problems": problems,
        "rows": rows,
        "illustrative": any(r["illustrative"] for r in rows),
    }
    status = 400 if problems else 200
    return render(request, "efficiency/budget_import.html", context, status=status)
