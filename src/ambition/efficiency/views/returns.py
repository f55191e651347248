"""Savings returns: an officer returns for their own council, the office for any; the
return's page shows its lines, the spend by year in each procurement line's category with
the check's verdict, and the checks' flags; the office accepts a return with
no open flag, and the submitter's council or the office may withdraw it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from ambition.web.tables import Table, respond

from .. import submission
from ..forms import LineFormSet, ReturnDecisionForm, ReturnForm
from ..models import VIEW_RETURNS, ReturnState, SavingsReturn
from . import tables

ADD, CHANGE = "efficiency.add_savingsreturn", "efficiency.change_savingsreturn"


def filled_lines(formset: Any) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data]


@login_required
@permission_required(ADD, raise_exception=True)
def return_new(request: HttpRequest) -> HttpResponse:
    form = ReturnForm(request.POST or None, user=request.user)
    lines = LineFormSet(request.POST or None, prefix="line")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        authority = form.cleaned_data["authority"]
        if not request.user.has_perm(ADD, authority):
            raise PermissionDenied
        made = submission.submit(
            authority, form.cleaned_data["year"], filled_lines(lines), request.user
        )
        flagged = made.flags.count()
        words = f" {flagged} flag(s) for the office." if flagged else ""
        messages.success(request, f"Savings return submitted.{words}")
        return redirect(made.get_absolute_url())
    return render(request, "efficiency/return_new.html", {"form": form, "lines": lines})


@login_required
@require_safe
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(SavingsReturn.objects.select_related("authority"), pk=pk)
    if not request.user.has_perm(VIEW_RETURNS, found):
        raise PermissionDenied
    stored = list(found.lines.all())
    lines = [tables.line_row(line) for line in stored]
    spend = [shown for line in stored if (shown := tables.line_spend(line))]
    flags = [
        tables.flag_row(f)
        for f in found.flags.select_related("savings_return__authority", "line__savings_return")
    ]
    if download := respond(request, lambda: download_of(request, pk, lines, flags, spend)):
        return download
    context = {
        "savings_return": found,
        "row": tables.return_row(found),
        "lines": lines,
        "spend": spend,
        "flags": flags,
        "may_accept": request.user.has_perm(CHANGE, found)
        and found.state in (ReturnState.SUBMITTED,),
        "may_withdraw": may_withdraw(request.user, found),
    }
    return render(request, "efficiency/return_detail.html", context)


def download_of(
    request: HttpRequest,
    pk: int,
    lines: list[dict[str, Any]],
    flags: list[dict[str, Any]],
    spend: list[dict[str, Any]],
) -> Table:
    """The table `?table=` names: the lines (by default), the flags, or the spend by year in
    the procurement lines' categories."""
    wanted = request.GET.get("table")
    if wanted == "flags":
        return Table(f"savings-return-{pk}-flags", tables.FLAG_COLUMNS, flags)
    if wanted == "spend":
        years = [year for shown in spend for year in shown["years"]]
        return Table(f"savings-return-{pk}-spend", tables.SPEND_COLUMNS, years)
    return Table(f"savings-return-{pk}", tables.LINE_COLUMNS, lines)


def may_withdraw(user: Any, found: SavingsReturn) -> bool:
    allowed = user.has_perm(ADD, found) or user.has_perm(CHANGE, found)
    return bool(allowed) and found.state != ReturnState.WITHDRAWN


@login_required
@require_POST
def return_decide(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(SavingsReturn, pk=pk)
    if not may_withdraw(request.user, found) and not request.user.has_perm(CHANGE, found):
        raise PermissionDenied
    form = ReturnDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose accept or withdraw.")
        return redirect(found.get_absolute_url())
    if form.cleaned_data["decision"] == "withdraw":
        if not may_withdraw(request.user, found):
            raise PermissionDenied
        submission.withdraw(found)
    else:
        if not request.user.has_perm(CHANGE, found):
            raise PermissionDenied
        try:
            submission.accept(found)
        except submission.DecisionError as error:
            messages.error(request, str(error))
            return redirect(found.get_absolute_url())
    messages.success(request, f"The return is {found.get_state_display().lower()}.")
    return redirect(found.get_absolute_url())
