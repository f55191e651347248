"""The fund's public overview: the programme's budgets (to the partnership), every award
with what has been paid, and what the money bought; and the awards as 360Giving open data,
from the same export as `ambition export-grants`."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ambition.web.tables import XLSX_TYPE, Column, Table, respond

from .. import charts
from ..giving.export import export
from ..giving.identifiers import grant_prefix
from ..giving.records import InvalidGrant
from ..impacts import impacts_of
from ..models import Award, Budget, Payment, Return
from ..published import grant_records, publisher
from .budgets import budget_row
from .impact_words import award_status

AWARD_COLUMNS = [
    Column("id", "Award"),
    Column("code", "ONS code"),
    Column("lead", "Lead council"),
    Column("title", "Title"),
    Column("programme", "Programme"),
    Column("area", "Service area"),
    Column("decided_on", "Decided on"),
    Column("amount", "Amount (GBP)"),
    Column("paid", "Paid (GBP)"),
    Column("returned", "Returned (GBP)"),
    Column("impact", "Impact"),
    Column("illustrative", "Illustrative figures"),
]
PENNY = Decimal("0.01")
PAGE_SIZE = 50
GIVING_TYPES = {
    "360giving": ("application/json", "json"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": (XLSX_TYPE, "xlsx"),
}


def sums(
    model: type[Payment] | type[Return], awards: list[int] | None = None
) -> dict[int, Decimal]:
    """Money by award (of `awards`, or every one), in one grouped query."""
    found = model.objects.all() if awards is None else model.objects.filter(award_id__in=awards)
    rows = found.order_by().values("award_id").annotate(total=Sum("amount"))
    # SQLite sums decimals without their places: pence, whichever database.
    return {r["award_id"]: Decimal(r["total"]).quantize(PENNY) for r in rows}


def illustrative_awards() -> set[int]:
    """Awards with any figure no source gives: a made-up bid, tranche or payment."""
    made_up = Award.objects.filter(application__illustrative=True).values_list("pk", flat=True)
    paid = Payment.objects.filter(illustrative=True).values_list("award_id", flat=True)
    due = Award.objects.filter(application__milestones__illustrative=True).values_list(
        "pk", flat=True
    )
    return {*made_up, *paid, *due}


def award_rows(awards: Sequence[Award]) -> list[dict[str, Any]]:
    paid, returned, made_up = sums(Payment), sums(Return), illustrative_awards()
    found = impacts_of(awards)
    return [
        award_row(a, paid.get(a.pk), returned.get(a.pk), a.pk in made_up, found.get(a.pk, []))
        for a in awards
    ]


def award_row(
    a: Award, paid: Decimal | None, returned: Decimal | None, made_up: bool, found: list[Any]
) -> dict[str, Any]:
    application = a.application
    area = application.service_area
    return {
        "id": a.pk,
        "code": application.lead.code,
        "lead": application.lead.name,
        "title": application.title,
        "programme": a.budget.get_programme_display(),
        "area": area.name if area else f"Corporate ({a.budget.get_programme_display().lower()})",
        "decided_on": a.decided_on,
        "amount": a.amount if a.amount_published else None,
        "paid": paid or Decimal(0),
        "returned": returned or Decimal(0),
        "impact": award_status(found),
        "illustrative": made_up,
    }


def public_awards() -> list[Award]:
    related = ("application__lead", "application__service_area", "budget")
    return list(Award.objects.select_related(*related))


@require_safe
def fund(request: HttpRequest) -> HttpResponse:
    rows = award_rows(public_awards())
    if download := respond(request, lambda: Table("fund-awards", AWARD_COLUMNS, rows)):
        return download
    partnership = request.user.has_perm("fund.view_budget")
    budgets = [budget_row(b) for b in Budget.objects.all()] if partnership else []
    cells = by_area(rows)
    # The page shows the awards a page at a time (a download has them all), and charts the
    # cells of its table, not one mark per award: thousands of either took seconds to draw.
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "rows": list(page),
        "page_obj": page,
        "budgets": budgets,
        "partnership": partnership,
        "chart": charts.money_bought(cells),
        "by_area": cells,
        "totals": totals(rows),
        "illustrative": any(r["illustrative"] for r in rows)
        or any(b["illustrative"] for b in budgets),
        "may_apply": request.user.has_perm("fund.add_application"),
        "may_reconcile": request.user.has_perm("fund.add_payment"),
    }
    return render(request, "fund/overview.html", context)


def by_area(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chart's table alternative: per service area and impact status, the awards and
    the amount awarded."""
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        cell = cells.setdefault(
            (r["area"], r["impact"]),
            {"area": r["area"], "status": r["impact"], "awards": 0, "amount": Decimal(0)},
        )
        cell["awards"] += 1
        cell["amount"] += r["amount"] or Decimal(0)
    return sorted(cells.values(), key=lambda c: (c["area"], c["status"]))


def totals(rows: Sequence[dict[str, Any]]) -> dict[str, Decimal]:
    return {
        key: sum((r[key] or Decimal(0) for r in rows), Decimal(0))
        for key in ("amount", "paid", "returned")
    }


@require_safe
def grants_export(request: HttpRequest) -> HttpResponse:
    """The awards as 360Giving open data: ?format=360giving (the default), csv or xlsx."""
    form = request.GET.get("format", "360giving")
    if form not in GIVING_TYPES:
        raise Http404(f"No format {form!r}: 360giving, csv or xlsx")
    records = list(grant_records())
    if not records:
        raise Http404("No awards are published yet")
    prefix = grant_prefix()
    try:
        content = export(form, records, publisher(prefix), prefix, timezone.localdate())
    except InvalidGrant as error:
        return HttpResponse(str(error), status=500, content_type="text/plain; charset=utf-8")
    kind, suffix = GIVING_TYPES[form]
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="grants.{suffix}"'
    return response
