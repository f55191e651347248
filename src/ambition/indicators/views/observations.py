"""One observation's page, with every revision, and the form that corrects it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from ambition.web.tables import Column, Table, respond

from .. import residents
from ..forms import CorrectionForm
from ..models import ImportBatch, Observation, SurveyAnswerCount
from ..revisions import Correction, RevisionError, may_revise, revise

HISTORY_COLUMNS = [
    Column("revision", "Revision"),
    Column("value", "Value"),
    Column("status", "Status"),
    Column("lower", "Lower"),
    Column("upper", "Upper"),
    Column("restricted_until", "Restricted until"),
    Column("recorded", "Recorded"),
    Column("by", "By"),
    Column("source", "From"),
    Column("reason", "Reason"),
]


def _seen(request: HttpRequest, pk: int) -> list[Observation]:
    """The revisions of the observation this person may see, newest first; a 404 when
    none, so that restricted data does not even show that it exists."""
    revisions = list(Observation.private_objects.revisions_seen_by(request.user, pk))
    if not revisions:
        raise Http404("No such observation")
    return revisions


def _batches_seen(request: HttpRequest, revisions: list[Observation]) -> set[int]:
    """The batches behind these revisions whose page (and who ran them) this person may
    see: an officer, their own authority's; none for someone who may not read batches."""
    if not request.user.has_perm("indicators.view_importbatch"):
        return set()
    seen = ImportBatch.objects.visible_to(request.user)
    return set(seen.filter(pk__in={o.batch_id for o in revisions}).values_list("pk", flat=True))


def _row(o: Observation, batches: set[int]) -> dict[str, Any]:
    show_people = o.batch_id in batches
    return {
        "pk": o.pk,
        **o.history_entry(),
        "recorded": o.batch.started_at,
        "by": (o.batch.user.get_username() if o.batch.user else "") if show_people else "",
        "batch": o.batch_id,
        "batch_seen": show_people,
        "is_latest": o.is_latest,
    }


ANSWER_COLUMNS = [
    Column("answer", "Answer"),
    Column("respondents", "Respondents"),
    Column("positive", "Counts towards the share"),
    Column("illustrative", "Illustrative (made up)"),
]


def _answer_row(answer: SurveyAnswerCount, illustrative: bool) -> dict[str, Any]:
    return {
        "answer": answer.answer,
        "respondents": answer.respondents,
        "positive": answer.positive,
        "illustrative": illustrative,
    }


@require_safe
def observation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    revisions = _seen(request, pk)
    latest = revisions[0]
    show_people = request.user.has_perm("indicators.view_importbatch")
    batches = _batches_seen(request, revisions)
    rows = [_row(o, batches) for o in revisions]
    title = f"{latest.indicator.code}-{latest.authority.code}-{latest.period.label}"
    answers, illustrative = residents.answers_behind(latest)
    if request.GET.get("table") == "answers":
        answer_rows = [_answer_row(a, illustrative) for a in answers]
        table = Table(f"{title}-answers", ANSWER_COLUMNS, answer_rows)
        if download := respond(request, lambda: table):
            return download
    if download := respond(request, lambda: Table(title, HISTORY_COLUMNS, rows)):
        return download
    return render(
        request,
        "indicators/observation_detail.html",
        {
            "o": latest,
            "rows": rows,
            "show_people": show_people,
            "may_revise": latest.is_latest and may_revise(request.user, latest),
            "answers": answers,
            "respondents": sum(a.respondents for a in answers),
            "illustrative": illustrative,
        },
    )


def _correction(form: CorrectionForm) -> Correction:
    data = form.cleaned_data
    return Correction(
        value=data["value"],
        status=data["status"],
        lower=data["lower"],
        upper=data["upper"],
        restricted_until=data["restricted_until"],
        reason=data["reason"],
    )


@login_required
def observation_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Asked of the server on every method: the form is never shown, and never accepted,
    for an authority the person may not write for. What the person may not see answers
    404, as its page does, so that a refusal does not show that it exists."""
    latest = _seen(request, pk)[0]
    if not may_revise(request.user, latest):
        raise PermissionDenied("you may not write observations for this authority")
    initial = {f: getattr(latest, f) for f in ("value", "status", "lower", "upper")}
    form = CorrectionForm(
        request.POST or None, initial={**initial, "restricted_until": latest.restricted_until}
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = revise(latest, _correction(form), request.user, origin="form")
        except RevisionError as error:
            for field, message in error.problems.items():
                form.add_error(field, message)
        else:
            return redirect("observation-detail", pk=made.pk)
    return render(request, "indicators/observation_revise.html", {"o": latest, "form": form})
