"""Proposals as people see them, and deciding one: the office, or an officer of either
party (the requesting authority or the supporter), accepts or declines it, once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from ..engine.suitability import PARTS
from ..forms import DecisionForm
from ..matching import Superseded, decide
from ..models import BrokerRun, Match

PART_LABELS = {
    "experience": "Relevant experience",
    "similarity": "Similar context",
    "neighbour": "Boundary neighbour",
    "control": "Same political control",
    "history": "Past relationship",
    "preference": "Requester's preference met",
}


def may_decide(user: Any, match: Match) -> bool:
    perm = "support.change_match"
    return bool(
        user.has_perm(perm, match.request.authority) or user.has_perm(perm, match.supporter)
    )


def match_row(m: Match, user: Any, newest: BrokerRun | None) -> dict[str, Any]:
    weights = m.broker_run.weights
    parts = [
        {
            "name": name,
            "label": PART_LABELS[name],
            "value": m.parts.get(name, 0.0),
            "weight": weights.get(name, 0.0),
            "adds": round(weights.get(name, 0.0) * m.parts.get(name, 0.0), 3),
        }
        for name in PARTS
    ]
    current = newest is not None and m.broker_run_id == newest.pk
    return {
        "id": m.pk,
        "broker_run": m.broker_run_id,
        "request": m.request_id,
        "requester": m.request.authority.name,
        "service_area": m.request.service_area.name,
        "kind": m.request.get_kind_display(),
        "supporter_code": m.supporter.code,
        "supporter": m.supporter.name,
        "days": m.days,
        "score": round(m.score, 3),
        "state": m.get_state_display(),
        "parts": parts,
        "alternatives": m.alternatives,
        "open": m.state == Match.State.PROPOSED and current,
        "superseded": m.state == Match.State.PROPOSED and not current,
        "may_decide": m.state == Match.State.PROPOSED and current and may_decide(user, m),
        "decided_by": m.decided_by.get_username() if m.decided_by else "",
        "decided_at": m.decided_at.isoformat(timespec="seconds") if m.decided_at else "",
    }


def match_rows(matches: list[Match], user: Any, newest: BrokerRun | None) -> list[dict[str, Any]]:
    return [match_row(m, user, newest) for m in matches]


@login_required
@require_POST
def match_decide(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(
        Match.objects.select_related("request__authority", "supporter", "broker_run"), pk=pk
    )
    if not may_decide(request.user, match):
        raise PermissionDenied("only the two parties or the performance office decide a proposal")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Choose accept or decline")
    accept = form.cleaned_data["decision"] == "accept"
    try:
        decided = decide(match, request.user, accept)
    except Superseded as error:
        messages.error(request, str(error))
        return redirect("support-request", pk=match.request_id)
    if decided.changed:
        word = "accepted" if accept else "declined: the broker will not propose this pair again"
        messages.success(request, f"{match.supporter} helping {match.request.authority}: {word}.")
    else:
        messages.error(request, "This proposal was already decided.")
    return redirect("support-request", pk=match.request_id)
