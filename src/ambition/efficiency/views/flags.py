"""The office's flag review: every open flag, and a form on each to accept the claim or
uphold the flag, with a reason (the audit log records who and when)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from ambition.web.tables import Table, respond

from .. import submission
from ..forms import FlagDecisionForm
from ..models import Flag, FlagState
from . import tables


@login_required
@permission_required("efficiency.change_savingsreturn", raise_exception=True)
def flag_review(request: HttpRequest) -> HttpResponse:
    form = FlagDecisionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            return decide(request, form)
        messages.error(request, "Choose accept or uphold, and give a reason.")
    shown = request.GET.get("state", FlagState.OPEN)
    flags = Flag.objects.select_related("savings_return__authority", "line__savings_return")
    if shown in FlagState.values:
        flags = flags.filter(state=shown)
    rows = [tables.flag_row(f) for f in flags]
    if download := respond(request, lambda: Table("efficiency-flags", tables.FLAG_COLUMNS, rows)):
        return download
    context = {
        "rows": rows,
        "form": form,
        "shown": shown,
        "states": FlagState.choices,
        "illustrative": any(r["illustrative"] for r in rows),
    }
    return render(request, "efficiency/flags.html", context)


def decide(request: HttpRequest, form: FlagDecisionForm) -> HttpResponse:
    flag = get_object_or_404(Flag, pk=form.cleaned_data["flag"])
    accept = form.cleaned_data["decision"] == "accept"
    try:
        submission.decide(flag, request.user, accept, form.cleaned_data["reason"])
    except submission.DecisionError as error:
        messages.error(request, str(error))
    else:
        words = "The claim is accepted" if accept else "The flag is upheld"
        messages.success(request, f"{words} (return {flag.savings_return_id}).")
    return redirect("efficiency-flags")
