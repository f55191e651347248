"""The performance office's broker: run it over every open request, and read a run's
proposals, each with its score's parts, the best alternatives not chosen and why, and the
days no one could give."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from ambition.web.charts import stacked_parts
from ambition.web.tables import Column, Table, respond

from ..engine.suitability import WeightsError
from ..matching import latest_run, match_support, proposals
from ..models import BrokerRun, SupportRequest
from .matches import match_rows

RUN_COLUMNS = [
    Column("id", "Broker run"),
    Column("created_at", "Made at"),
    Column("created_by", "By"),
    Column("via", "Via"),
    Column("requests", "Open requests"),
    Column("proposals", "Proposals"),
    Column("objective", "Total suitability"),
    Column("solver_status", "Solver"),
    Column("seconds", "Seconds"),
]
PROPOSAL_COLUMNS = [
    Column("id", "Match"),
    Column("request", "Request"),
    Column("requester", "Requester"),
    Column("service_area", "Service area"),
    Column("kind", "Kind"),
    Column("supporter_code", "Supporter ONS code"),
    Column("supporter", "Supporter"),
    Column("days", "Days"),
    Column("score", "Score"),
    Column("state", "State"),
    *(Column(p, p.capitalize()) for p in ("experience", "similarity", "neighbour")),
    *(Column(p, p.capitalize()) for p in ("control", "history", "preference")),
]


def run_row(run: BrokerRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "url": run.get_absolute_url(),
        "created_at": run.created_at.isoformat(timespec="seconds"),
        "created_by": run.created_by.get_username() if run.created_by else "",
        "via": run.via,
        "requests": len(run.requests or []),
        "proposals": run.proposal_count if hasattr(run, "proposal_count") else run.matches.count(),
        "objective": round(run.objective, 3),
        "solver_status": run.solver_status,
        "seconds": run.seconds,
    }


@login_required
@permission_required("support.view_brokerrun", raise_exception=True)
def broker(request: HttpRequest) -> HttpResponse:
    """Every broker run, newest first; the office runs a new one from here."""
    if request.method == "POST":
        if not request.user.has_perm("support.add_brokerrun"):
            raise PermissionDenied("only the performance office runs the broker")
        try:
            run = match_support(request.user, "page")
        except WeightsError as error:
            messages.error(request, f"The suitability weights setting is wrong: {error}")
            return redirect(request.path)
        messages.success(request, f"Broker run {run.pk} proposed {run.matches.count()} matches.")
        return redirect(run)
    runs = BrokerRun.objects.select_related("created_by").annotate(proposal_count=Count("matches"))
    rows = [run_row(r) for r in runs[:200]]
    if found := respond(request, lambda: Table("broker-runs", RUN_COLUMNS, rows)):
        return found
    context = {
        "runs": rows,
        "open_count": SupportRequest.objects.filter(status=SupportRequest.Status.OPEN).count(),
        "may_run": request.user.has_perm("support.add_brokerrun"),
    }
    return render(request, "support/broker.html", context)


@login_required
@permission_required("support.view_brokerrun", raise_exception=True)
@require_safe
def broker_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(BrokerRun.objects.select_related("created_by"), pk=pk)
    rows = match_rows(proposals(run), request.user, latest_run())
    flat = [{**r, **{p["name"]: p["value"] for p in r["parts"]}} for r in rows]
    if found := respond(request, lambda: Table(f"broker-run-{pk}", PROPOSAL_COLUMNS, flat)):
        return found
    chosen = SupportRequest.objects.select_related("authority", "service_area")
    requests = chosen.in_bulk(run.requests or [])
    by_request: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_request[r["request"]].append(r)
    context = {
        "run": run,
        "row": run_row(run),
        "groups": [
            {"request": requests[key], "matches": by_request.get(key, [])}
            for key in sorted(requests, key=lambda k: (requests[k].authority.name, k))
        ],
        "unmatched": [{**u, "r": requests.get(u["request"])} for u in run.unmatched or []],
        "chart": stacked_parts(
            [
                {
                    "label": f"{r['supporter']} → {r['requester']} (request {r['request']})",
                    "part": p["label"],
                    "value": p["adds"],
                }
                for r in rows
                for p in r["parts"]
            ],
            title="What each proposal's score is made of",
        ),
        "latest": latest_run(),
    }
    return render(request, "support/broker_run.html", context)
