"""The performance office's own pages: making an assessment run, and entering the judgements
(corporate assessment, use of resources) that a method's star table needs and data cannot
give. The server checks the permission on every request; the navigation hides nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ambition.web.tables import Column, Table, respond

from ..forms import JudgementForm, RunForm
from ..jobs import DONE, RunJob, read_job, start_run
from ..making import judgements_for
from ..methodology import load
from ..models import AssessmentRun, Judgement

JUDGEMENT_COLUMNS = [
    Column("method", "Method"),
    Column("code", "ONS code"),
    Column("authority", "Authority"),
    Column("key", "Key"),
    Column("label", "Judgement"),
    Column("score", "Score"),
    Column("reason", "Reason"),
    Column("entered_by", "Entered by"),
    Column("entered_at", "Entered at"),
]


@login_required
@permission_required("assessment.add_assessmentrun", raise_exception=True)
def run_new(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = start_run(data["method"], data["period"], data["scope"], request.user)
        return redirect(_destination(job))
    recent = AssessmentRun.objects.select_related("created_by").newest_first()[:5]
    return render(request, "assessment/run_new.html", {"form": form, "recent": recent})


def _destination(job: RunJob) -> str:
    """The run once it is made; until then the job's page, which follows it."""
    return reverse("assessment-run", args=[job.run_id]) if job.state == DONE else job.url


@login_required
@permission_required("assessment.add_assessmentrun", raise_exception=True)
@require_safe
def run_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """A queued or running job's progress; htmx asks again each second for the status part
    and is sent on to the run when it exists."""
    job = read_job(job_id)
    if job is None:
        raise Http404("No such job")
    if job.state == DONE:
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(status=204, headers={"HX-Redirect": _destination(job)})
        return redirect(_destination(job))
    method = load(job.method)
    return render(request, "assessment/run_job.html", {"job": job, "method": method})


def judgement_row(j: Judgement, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "id": j.pk,
        "method": j.method,
        "code": j.authority.code,
        "authority": j.authority.name,
        "key": j.key,
        "label": labels.get(j.key, j.key),
        "score": j.score,
        "reason": j.reason,
        "entered_by": j.entered_by.get_username() if j.entered_by else "",
        "entered_at": j.entered_at.isoformat(timespec="seconds"),
        "when": j.entered_at,
    }


def judgement_tables(form: JudgementForm) -> dict[str, list[dict[str, Any]]]:
    """`current`: the judgement each method uses now, per authority and key; `history`:
    every judgement ever entered, newest first."""
    current = [j for name in form.keys for j in judgements_for(load(name))]
    history = Judgement.objects.select_related("authority", "entered_by")
    return {
        "current": [judgement_row(j, form.labels) for j in current],
        "history": [judgement_row(j, form.labels) for j in history],
    }


def download(request: HttpRequest, tables: dict[str, list[dict[str, Any]]]) -> Table:
    wanted = request.GET.get("table", "current")
    if wanted not in tables:
        raise Http404("No such table: current or history")
    return Table(f"judgements-{wanted}", JUDGEMENT_COLUMNS, tables[wanted], meta={"table": wanted})


@login_required
@permission_required("assessment.add_judgement", raise_exception=True)
def judgements(request: HttpRequest) -> HttpResponse:
    form = JudgementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = Judgement.objects.create(
            **{k: form.cleaned_data[k] for k in ("authority", "method", "key", "score")},
            reason=form.cleaned_data["reason"],
            entered_by=request.user,
        )
        label = form.labels.get(made.key, made.key)
        messages.success(request, f"Recorded: {label} {made.score} for {made.authority}.")
        return redirect(request.path)
    tables = judgement_tables(form)
    if found := respond(request, lambda: download(request, tables)):
        return found
    return render(request, "assessment/judgements.html", {"form": form, **tables})
