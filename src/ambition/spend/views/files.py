"""Spending files brought in through the browser: the files stored and the months each
authority has, the upload (the same store as `ambition import-spend`, file by file), the
mapping's questions, the refused rows a person may accept, and one file's page."""

from __future__ import annotations

from dataclasses import asdict
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_safe

from ambition.accounts.backends import scope_of
from ambition.indicators.periods import Period
from ambition.registry.models import Authority
from ambition.web.tables import Column, Table, respond

from ..forms import (
    LEAVE_OUT,
    QuestionsForm,
    UploadForm,
    clean_period_text,
    field_words,
    mapping_questions,
)
from ..models import IMPORT_SPEND, SpendCoverage, SpendFile
from ..reading import Ambiguity, read_spend
from ..reading.fields import Field
from ..reading.mapping import Question
from ..reading.values import period_in_name
from ..steps import file_summary
from ..store import Outcome, Result, store_spend
from ..transactions import open_transactions
from . import uploads
from .uploads import Pending

VIEW_FILES = "spend.view_spendfile"
PROBLEMS_SHOWN = 50  # on a page; the download has every one
FILE_COLUMNS = [
    Column("id", "File"), Column("authority", "Authority"), Column("name", "Name"),
    Column("first_month", "First month"), Column("last_month", "Last month"),
    Column("rows_stored", "Rows stored"), Column("rows_refused", "Rows refused"),
    Column("imported_by", "Imported by"), Column("imported_at", "Imported at"),
    Column("errors_accepted", "Errors accepted"),
]  # fmt: skip
COVERAGE_COLUMNS = [
    Column("authority", "Authority"), Column("month", "Month"),
    Column("current", "Current file(s)"), Column("replaced", "Replaced file(s)"),
]  # fmt: skip
PROBLEM_COLUMNS = [
    Column("sheet", "Sheet"), Column("row", "Row"), Column("column", "Column"),
    Column("value", "Value"), Column("reason", "Reason"),
]  # fmt: skip
MONTH_COLUMNS = [
    Column("month", "Month"), Column("transactions", "Transactions"),
    Column("amount", "Amount"), Column("current", "Current"),
]  # fmt: skip
MAPPING_COLUMNS = [Column("sheet", "Sheet"), Column("heading", "Heading"), Column("field", "Field")]


def visible_files(user: Any) -> QuerySet[SpendFile]:
    """The files this person may see: their own council's for an officer, all for the office."""
    scope = scope_of(user, VIEW_FILES)
    files = SpendFile.objects.select_related("authority", "imported_by")
    return files if scope is None else files.filter(authority_id__in=scope)


def file_row(found: SpendFile) -> dict[str, Any]:
    return {
        "id": found.pk, "authority": found.authority.name, "name": found.name,
        "first_month": found.first_month, "last_month": found.last_month,
        "rows_stored": found.rows_stored, "rows_refused": found.rows_refused,
        "imported_by": found.imported_by.get_username() if found.imported_by else "",
        "imported_at": found.imported_at, "errors_accepted": found.errors_accepted,
    }  # fmt: skip


def coverage_rows(files: QuerySet[SpendFile]) -> list[dict[str, Any]]:
    """For each authority and month: the files current for it, and those they replaced."""
    covers = SpendCoverage.objects.filter(file__in=files).select_related("authority", "file")
    keyed = groupby(covers.order_by("authority__name", "month", "file_id"),
                    key=lambda c: (c.authority.name, c.month))  # fmt: skip
    rows = []
    for (authority, month), group in keyed:
        found = list(group)
        current = [c.file for c in found if c.superseded_by_id is None]
        replaced = [c.file for c in found if c.superseded_by_id is not None]
        rows.append({
            "authority": authority, "month": month, "current_files": current,
            "replaced_files": replaced, "current": _names(current), "replaced": _names(replaced),
        })  # fmt: skip
    return rows


def _names(files: list[SpendFile]) -> str:
    return "; ".join(f"{f.name} (file {f.pk})" for f in files)


@login_required
@permission_required(VIEW_FILES, raise_exception=True)
@require_safe
def file_list(request: HttpRequest) -> HttpResponse:
    files = visible_files(request.user)
    rows = [file_row(f) for f in files]
    coverage = coverage_rows(files)
    if download := respond(
        request,
        lambda: (
            Table("spend-coverage", COVERAGE_COLUMNS, coverage)
            if request.GET.get("table") == "coverage"
            else Table("spend-files", FILE_COLUMNS, rows)
        ),
    ):
        return download
    context = {
        "rows": rows,
        "coverage": coverage,
        "may_upload": request.user.has_perm(IMPORT_SPEND),
    }
    return render(request, "spend/files_list.html", context)


def file_period(pending: Pending) -> Period | None:
    """The period the person gave, else a month the file's name gives (as the CLI does)."""
    return clean_period_text(pending.period) or period_in_name(pending.name)


def _store(user: Any, authority: Authority, data: bytes, pending: Pending) -> Outcome:
    return store_spend(
        authority, data, pending.name, user=user, period=file_period(pending),
        answers=pending.answers or None, accept_errors=pending.accept_errors,
    )  # fmt: skip


def _settle(user: Any, data: bytes, pending: Pending, outcome: Outcome) -> dict[str, Any]:
    """Keep the upload while a person may still answer or accept it; else let it go. The
    outcome, as the results page shows it."""
    waiting = outcome.result is Result.QUESTIONS or (
        outcome.result is Result.REFUSED and bool(outcome.problems)
    )
    if waiting:
        pending.problems = [asdict(p) for p in outcome.problems]
        pending.questions = [_asked(sheet, a) for sheet, a in outcome.ambiguities]
        uploads.keep(user, data, pending)
    else:
        uploads.discard(user, pending.digest)
    return {
        "name": outcome.name,
        "result": outcome.result.value,
        "kind": outcome.result.name.lower(),
        "file": outcome.file,
        "replaced": outcome.replaced,
        "overlapped": outcome.overlapped,
        "problems": outcome.problems[:PROBLEMS_SHOWN],
        "problem_count": len(outcome.problems),
        "reason": outcome.reason,
        "digest": pending.digest if waiting else "",
        "may_accept": outcome.result is Result.REFUSED and not outcome.reason,
    }


def _asked(sheet: str, ambiguity: Ambiguity) -> list[Any]:
    return [sheet, ambiguity.field.value, ambiguity.question.value, list(ambiguity.columns)]


def _ambiguities(pending: Pending) -> list[tuple[str, Ambiguity]]:
    return [
        (sheet, Ambiguity(Field(name), Question(question), tuple(columns)))
        for sheet, name, question, columns in pending.questions
    ]


@login_required
@permission_required(IMPORT_SPEND, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        authority = form.cleaned_data["authority"]
        if not request.user.has_perm(IMPORT_SPEND, authority):
            raise PermissionDenied
        results = []
        for sent in form.cleaned_data["files"]:
            data = sent.read()
            pending = Pending(
                uploads.digest_of(data), sent.name or "upload", authority.pk,
                period=form.data.get("period", ""),
                accept_errors=form.cleaned_data["accept_errors"],
            )  # fmt: skip
            outcome = _store(request.user, authority, data, pending)
            results.append(_settle(request.user, data, pending, outcome))
        return _results(request, authority, results)
    status = 400 if form.errors else 200
    return render(request, "spend/files_upload.html", {"form": form}, status=status)


def _results(request: HttpRequest, authority: Authority, results: list[dict[str, Any]]) -> Any:
    context = {"authority": authority, "results": results, "shown": PROBLEMS_SHOWN}
    return render(request, "spend/files_results.html", context)


def _pending_authority(user: Any, pending: Pending) -> Authority:
    authority = get_object_or_404(Authority, pk=pending.authority_id)
    if not user.has_perm(IMPORT_SPEND, authority):
        raise PermissionDenied
    return authority


@login_required
@permission_required(IMPORT_SPEND, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def pending_file(request: HttpRequest, digest: str) -> HttpResponse:
    """A refused upload: its problems (all of them as a download), and the choice to store
    its good rows or to give it up."""
    pending, data = uploads.load(request.user, digest)
    authority = _pending_authority(request.user, pending)
    if pending.questions:
        return redirect("spend-file-questions", digest=digest)
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            uploads.discard(request.user, digest)
            messages.success(request, f"{pending.name} was given up; nothing of it is kept.")
            return redirect("spend-file-upload")
        pending.accept_errors = True
        outcome = _store(request.user, authority, data, pending)
        return _results(request, authority, [_settle(request.user, data, pending, outcome)])
    problems = [asdict(p) for p in pending.problem_rows]
    name = f"spend-problems-{digest[:12]}"
    if download := respond(request, lambda: Table(name, PROBLEM_COLUMNS, problems)):
        return download
    page = Paginator(problems, PROBLEMS_SHOWN).get_page(request.GET.get("page"))
    context = {"pending": pending, "authority": authority, "page_obj": page}
    return render(request, "spend/files_pending.html", context)


@login_required
@permission_required(IMPORT_SPEND, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def questions(request: HttpRequest, digest: str) -> HttpResponse:
    """The mapping's questions for an upload; answered, the file is stored again with the
    answers, which are kept as the authority's confirmed mapping for its next files."""
    pending, data = uploads.load(request.user, digest)
    authority = _pending_authority(request.user, pending)
    if not pending.questions:
        return redirect("spend-file-pending", digest=digest)
    layouts = read_spend(data, period=file_period(pending)).layouts
    asked = mapping_questions(data, layouts, _ambiguities(pending))
    form = QuestionsForm(request.POST or None, questions=asked)
    if request.method == "POST" and form.is_valid():
        pending.answers = {**pending.answers, **form.answers()}
        outcome = _store(request.user, authority, data, pending)
        result = _settle(request.user, data, pending, outcome)
        if outcome.result is Result.QUESTIONS:
            messages.info(request, "Thank you: the columns need some more answers.")
            return redirect("spend-file-questions", digest=digest)
        return _results(request, authority, [result])
    context = {
        "pending": pending, "authority": authority, "form": form, "leave_out": LEAVE_OUT,
        "asked": [(sheet, field_words(a.field), a.columns) for sheet, a in _ambiguities(pending)],
    }  # fmt: skip
    return render(
        request, "spend/files_questions.html", context, status=400 if form.errors else 200
    )


def file_months(found: SpendFile) -> list[dict[str, Any]]:
    """The file's own rows by month, counted and totalled by the spend engine; each month
    marked current unless a later file replaced it."""
    engine = open_transactions(found.authority)
    try:
        rows = engine.run(file_summary("month"), {"file": found.pk}).to_pylist()
    finally:
        engine.close()
    replaced = {f"{c.month:%Y-%m}" for c in found.coverage.all() if c.superseded_by_id is not None}
    return [{**row, "current": row["month"] not in replaced} for row in rows]


def mapping_rows(found: SpendFile) -> list[dict[str, Any]]:
    return [
        {"sheet": sheet, "heading": heading, "field": field_words(Field(name)) if name else ""}
        for sheet, fields in found.mapping.items()
        for heading, name in fields.items()
    ]


@login_required
@permission_required(VIEW_FILES, raise_exception=True)
@require_safe
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(SpendFile.objects.select_related("authority", "imported_by"), pk=pk)
    if not request.user.has_perm(VIEW_FILES, found):
        raise PermissionDenied
    problems = list(found.problems.values("sheet", "row", "column", "value", "reason"))
    months, mapping = file_months(found), mapping_rows(found)
    tables = {
        "problems": lambda: Table(f"spend-file-{pk}-problems", PROBLEM_COLUMNS, problems),
        "mapping": lambda: Table(f"spend-file-{pk}-mapping", MAPPING_COLUMNS, mapping),
    }
    chosen = tables.get(request.GET.get("table", ""))
    built = chosen or (lambda: Table(f"spend-file-{pk}-months", MONTH_COLUMNS, months))
    if download := respond(request, built):
        return download
    context = {
        "file": found,
        "row": file_row(found),
        "months": months,
        "mapping": mapping,
        "page_obj": Paginator(problems, PROBLEMS_SHOWN).get_page(request.GET.get("page")),
        "problem_count": len(problems),
        "replaced": found.coverage.filter(superseded_by__isnull=False).select_related(
            "superseded_by"
        ),
    }
    return render(request, "spend/files_detail.html", context)


urlpatterns: list[URLPattern] = [
    path("spend/files/", file_list, name="spend-files"),
    path("spend/files/upload/", upload, name="spend-file-upload"),
    path("spend/files/<int:pk>/", file_detail, name="spend-file"),
    path("spend/files/pending/<str:digest>/", pending_file, name="spend-file-pending"),
    path("spend/files/pending/<str:digest>/questions/", questions, name="spend-file-questions"),
]
