"""The assessment runs: every run (newest first), everything recorded about one, and what
changed between two and why. Public and read-only: a run's results are what residents read."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from ambition.indicators.models import ServiceArea
from ambition.registry.models import Authority
from ambition.web.parameters import object_id
from ambition.web.tables import Column, Table, respond

from ..diff import RunDiff, compare, stars_text
from ..methodology import DEFAULT_METHOD, available
from ..models import AssessmentRun, RunRating

SHORT = 12  # characters of a hash shown on a page; the full hash is in the download

RUN_COLUMNS = [
    Column("id", "Run"),
    Column("method", "Method"),
    Column("method_version", "Method version"),
    Column("as_of", "As of"),
    Column("scope", "Whom it rates"),
    Column("group", "Comparator group"),
    Column("created_by", "Made by"),
    Column("via", "Made through"),
    Column("created_at", "Made at"),
    Column("data_fingerprint", "Data fingerprint (SHA-256)"),
    Column("results_sha256", "Results (SHA-256)"),
    Column("rated", "Rated"),
    Column("assessed", "Assessed"),
]


def chosen_run(request: HttpRequest) -> tuple[str, AssessmentRun | None]:
    """The run `?run=` names, or else the latest of `?method=` (the default method), rating
    the members where there is such a run. None: the method has no run yet."""
    wanted = request.GET.get("run", "")
    if wanted:
        run = get_object_or_404(AssessmentRun, pk=object_id(wanted) or 0)
        return run.method, run
    method = request.GET.get("method") or DEFAULT_METHOD
    if method not in available() and not AssessmentRun.objects.of(method).exists():
        raise Http404("No such methodology")
    return method, AssessmentRun.objects.shown(method)


def run_row(run: AssessmentRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "method": run.method,
        "method_version": run.method_version,
        "as_of": run.as_of,
        "scope": run.scope,
        "group": run.group,
        "created_by": run.created_by.get_username() if run.created_by else "",
        "via": run.via,
        "created_at": run.created_at.isoformat(timespec="seconds"),
        "data_fingerprint": run.data_fingerprint,
        "results_sha256": run.results_sha256,
        "rated": getattr(run, "rated", None),
        "assessed": getattr(run, "assessed", None),
        "run": run,
    }


@require_safe
def run_list(request: HttpRequest) -> HttpResponse:
    method = request.GET.get("method", "")
    runs = AssessmentRun.objects.of(method or None).with_counts().newest_first()
    if download := respond(
        request, lambda: Table("assessment-runs", RUN_COLUMNS, [run_row(r) for r in runs])
    ):
        return download
    page = Paginator(runs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/run_list.html",
        {
            "page_obj": page,
            "rows": [run_row(r) for r in page],
            "methods": available(),
            "method": method,
            "short": SHORT,
        },
    )


RATING_COLUMNS = [
    Column("code", "ONS code"),
    Column("name", "Authority"),
    Column("stars", "Stars"),
    Column("rule_id", "Rule"),
    Column("rule_text", "Rule text"),
    Column("inferred", "Rule inferred"),
    Column("direction", "Direction of travel"),
    Column("improving_share", "Share of indicators improving"),
    Column("worsening_share", "Share of indicators worsening"),
    Column("judged", "Indicators judged for direction"),
    Column("weak_areas", "Weak service areas"),
    Column("missing", "Not rated because"),
]
JUDGEMENT_COLUMNS = [
    Column("authority", "ONS code"),
    Column("name", "Authority"),
    Column("key", "Judgement"),
    Column("score", "Score"),
    Column("reason", "Reason"),
    Column("entered_by", "Entered by"),
    Column("entered_at", "Entered at"),
]


def rating_rows(run: AssessmentRun) -> list[dict[str, Any]]:
    areas = dict(ServiceArea.objects.values_list("code", "name"))
    ratings = RunRating.objects.filter(run=run).select_related("authority")
    return [
        {
            "code": r.authority.code,
            "name": r.authority.name,
            "stars": r.stars,
            "stars_text": stars_text(r.stars),
            "rule_id": r.rule_id,
            "rule_text": r.rule_text,
            "inferred": r.inferred,
            "direction": r.direction,
            "improving_share": r.improving_share,
            "worsening_share": r.worsening_share,
            "judged": r.judged,
            "weak_areas": "; ".join(areas.get(a, a) for a in r.weak_areas),
            "missing": "; ".join(f"{m['input']}: {m['reason']}" for m in r.missing),
        }
        for r in ratings.order_by("authority__name")
    ]


def judgement_rows(run: AssessmentRun) -> list[dict[str, Any]]:
    names = dict(
        Authority.objects.filter(
            code__in={j["authority"] for j in run.judgements_used}
        ).values_list("code", "name")
    )
    return [{**j, "name": names.get(j["authority"], "")} for j in run.judgements_used]


def neighbouring_runs(run: AssessmentRun) -> dict[str, AssessmentRun | None]:
    """The runs of its method and scope made just before and just after it."""
    same = AssessmentRun.objects.of(run.method, run.scope)
    return {"previous": same.made_before(run).first(), "next": same.made_after(run).first()}


@require_safe
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(AssessmentRun.objects.with_counts(), pk=pk)
    if other := object_id(request.GET.get("compare")):
        # The compare form's answer: a plain GET form cannot build the compare page's path.
        first, second = sorted((run.pk, other))
        return redirect("assessment-run-compare", a=first, b=second)
    ratings = rating_rows(run)
    judgements = judgement_rows(run)
    tables = {
        "ratings": lambda: Table(f"run-{run.pk}-ratings", RATING_COLUMNS, ratings, meta=_meta(run)),
        "judgements": lambda: Table(
            f"run-{run.pk}-judgements", JUDGEMENT_COLUMNS, judgements, meta=_meta(run)
        ),
    }
    if download := respond(request, lambda: chosen_table(request, tables, "ratings")):
        return download
    others = AssessmentRun.objects.newest_first().exclude(pk=run.pk)[:200]
    return render(
        request,
        "assessment/run_detail.html",
        {
            "run": run,
            "row": run_row(run),
            "ratings": ratings,
            "judgements": judgements,
            "targets": run.targets.all(),
            "warnings": run.warnings.count(),
            "others": others,
            "method_known": run.method in available(),
            **neighbouring_runs(run),
        },
    )


def _meta(run: AssessmentRun) -> dict[str, Any]:
    return {
        "run": run.pk,
        "method": run.method,
        "method_version": run.method_version,
        "method_sha256": run.method_sha256,
        "as_of": run.as_of.isoformat(),
        "data_fingerprint": run.data_fingerprint,
        "results_sha256": run.results_sha256,
    }


def chosen_table(request: HttpRequest, tables: dict[str, Any], default: str) -> Table:
    """The table `?table=` names, the page's first by default."""
    build = tables.get(request.GET.get("table") or default)
    if build is None:
        raise Http404("No such table")
    table: Table = build()
    return table


CHANGE_COLUMNS = [
    Column("authority", "ONS code"),
    Column("name", "Authority"),
    Column("what", "What changed"),
    Column("before", "Before"),
    Column("after", "After"),
    Column("causes", "Likely causes"),
]
METHOD_CHANGE_COLUMNS = [
    Column("part", "Part of the method"),
    Column("what", "What"),
    Column("before", "Before"),
    Column("after", "After"),
]
INPUT_COLUMNS = [Column("input", "Input"), Column("before", "Before"), Column("after", "After")]
DATA_COLUMNS = [
    Column("indicator", "Indicator code"),
    Column("name", "Indicator"),
    Column("changed", "Councils whose value changed"),
    Column("new_period", "Of which in a new period"),
]


def change_rows(changes: list[Any]) -> list[dict[str, Any]]:
    return [{**vars(c), "causes": "; ".join(c.causes)} for c in changes]


def diff_tables(diff: RunDiff) -> dict[str, Any]:
    name = f"runs-{diff.before.pk}-{diff.after.pk}"
    meta = {"before": _meta(diff.before), "after": _meta(diff.after), "identical": diff.identical}

    def table(key: str, columns: list[Column], rows: list[dict[str, Any]]) -> Any:
        return lambda: Table(f"{name}-{key}", columns, rows, meta=meta)

    return {
        "ratings": table("ratings", CHANGE_COLUMNS, change_rows(diff.ratings)),
        "areas": table("areas", CHANGE_COLUMNS, change_rows(diff.areas)),
        "quartiles": table("quartiles", CHANGE_COLUMNS, change_rows(diff.quartiles)),
        "inputs": table("inputs", INPUT_COLUMNS, [vars(i) for i in diff.inputs]),
        "method": table("method", METHOD_CHANGE_COLUMNS, [vars(m) for m in diff.method]),
        "data": table("data", DATA_COLUMNS, [vars(d) for d in diff.data]),
    }


@require_safe
def run_compare(request: HttpRequest, a: int, b: int) -> HttpResponse:
    before = get_object_or_404(AssessmentRun, pk=a)
    after = get_object_or_404(AssessmentRun, pk=b)
    diff = compare(before, after)
    if download := respond(request, lambda: chosen_table(request, diff_tables(diff), "ratings")):
        return download
    return render(
        request,
        "assessment/run_compare.html",
        {"diff": diff, "before": before, "after": after, "short": SHORT},
    )
