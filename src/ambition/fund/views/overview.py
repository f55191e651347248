"""The fund's public overview: the programme's budgets (to the partnership), every award
with what has been paid, and what the money bought; and the awards as 360Giving open data,
from the same export as `ambition export-grants`.

Each award's impact is read from the latest impact run (`ambition assess-impact`), not
computed per request: a difference in differences for thousands of awards takes seconds.
An award that no run has assessed says so."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, FilteredRelation, Max, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ambition.indicators.models import ServiceArea
from ambition.web.tables import XLSX_TYPE, Column, Table, respond

from .. import charts
from ..budgeting import pence
from ..giving.export import export
from ..giving.identifiers import grant_prefix
from ..giving.records import InvalidGrant
from ..models import Award, Budget, ImpactRun, Payment, Programme
from ..published import grant_records, publisher
from .budgets import budget_row
from .impact_words import status_words

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
PAGE_SIZE = 50
GIVING_TYPES = {
    "360giving": ("application/json", "json"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": (XLSX_TYPE, "xlsx"),
}


def illustrative_awards(awards: Collection[int] | None = None) -> set[int]:
    """Awards (of `awards`, or every one) with any figure no source gives: a made-up bid,
    tranche or payment."""
    chosen = Award.objects.all() if awards is None else Award.objects.filter(pk__in=awards)
    made_up = chosen.filter(application__illustrative=True).values_list("pk", flat=True)
    due = chosen.filter(application__milestones__illustrative=True).values_list("pk", flat=True)
    paid = Payment.objects.filter(illustrative=True, award__in=chosen)
    return {*made_up, *due, *paid.values_list("award_id", flat=True)}


def found_in(run: ImpactRun | None) -> FilteredRelation:
    """An award's row in the run, joined (an outer join: one row at most, as a run assesses
    an award once) rather than looked up per award; an award the run did not assess, or
    any award with no run, has none, so its `found__status` is None."""
    return FilteredRelation("impacts", condition=Q(impacts__run=run))


# An award's row as the database gives it: the table's fields, named where they live.
LISTED = {
    "code": F("application__lead__code"),
    "lead": F("application__lead__name"),
    "title": F("application__title"),
    "programme_code": F("budget__programme"),
    "area_name": F("application__service_area__name"),
    "paid": F("paid_to_date"),
    "returned": F("returned_to_date"),
}


def listed(run: ImpactRun | None) -> QuerySet[Award, dict[str, Any]]:
    """Every award as the values its row needs, its status in the run among them, in the
    awards' order (newest first)."""
    return (
        Award.objects.annotate(found=found_in(run))
        .values("id", "decided_on", "amount", "amount_published", **LISTED)
        .annotate(status=F("found__status"))
        .order_by(*Award._meta.ordering)
    )


def awards_page(
    number: str | None, run: ImpactRun | None
) -> tuple[Page[int], list[dict[str, Any]]]:
    """One page of awards: its ids first (counted and sliced on the award table alone, in
    the order its index keeps), then the listed values of just those."""
    ids = Award.objects.order_by(*Award._meta.ordering).values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(number)
    return page, list(listed(run).filter(pk__in=list(page)))


def award_rows(
    awards: Sequence[dict[str, Any]], every: bool = False, some_illustrative: bool = True
) -> list[dict[str, Any]]:
    """The table's rows for the listed awards (their money is their own running totals);
    `every`: they are all the awards, so the illustrative ones are looked for among all
    rather than by id; not `some_illustrative`: no award has an illustrative figure
    (any_illustrative), so none is looked for."""
    ids = None if every else [a["id"] for a in awards]
    made_up = illustrative_awards(ids) if some_illustrative else set()
    return [award_row(a, a["id"] in made_up) for a in awards]


def award_row(a: dict[str, Any], made_up: bool) -> dict[str, Any]:
    return {
        "id": a["id"],
        "code": a["code"],
        "lead": a["lead"],
        "title": a["title"],
        "programme": Programme(a["programme_code"]).label,
        "area": area_name(a["area_name"], a["programme_code"]),
        "decided_on": a["decided_on"],
        "amount": a["amount"] if a["amount_published"] else None,
        "paid": pence(a["paid"]),
        "returned": pence(a["returned"]),
        "impact": status_words(a["status"]),
        "illustrative": made_up,
    }


def area_name(service_area: str | None, programme: str) -> str:
    """An award's service area, or for a corporate bid (none) its programme."""
    return service_area or f"Corporate ({Programme(programme).label.lower()})"


@require_safe
def fund(request: HttpRequest) -> HttpResponse:
    run = ImpactRun.objects.latest_run()
    if download := respond(request, lambda: Table("fund-awards", AWARD_COLUMNS, every_row(run))):
        return download
    partnership = request.user.has_perm("fund.view_budget")
    budgets = [budget_row(b) for b in Budget.objects.all()] if partnership else []
    groups = cell_groups(run)
    cells = by_area(groups)
    # The page lists the awards 50 at a time (a download has them all) and charts the cells
    # of its table, not one mark per award; the totals and cells are summed by the database.
    page, listed_awards = awards_page(request.GET.get("page"), run)
    made_up = any_illustrative()
    context = {
        "rows": award_rows(listed_awards, some_illustrative=made_up),
        "page_obj": page,
        "budgets": budgets,
        "partnership": partnership,
        "chart": charts.money_bought(cells),
        "by_area": cells,
        "totals": totals(groups),
        "run": run,
        "illustrative": made_up or any(b["illustrative"] for b in budgets),
        "may_apply": request.user.has_perm("fund.add_application"),
        "may_reconcile": request.user.has_perm("fund.add_payment"),
    }
    return render(request, "fund/overview.html", context)


def every_row(run: ImpactRun | None) -> list[dict[str, Any]]:
    return award_rows(list(listed(run)), every=True)


def any_illustrative() -> bool:
    """Whether any award has a figure no source gives (see illustrative_awards)."""
    return (
        Award.objects.filter(application__illustrative=True).exists()
        or Award.objects.filter(application__milestones__illustrative=True).exists()
        or Payment.objects.filter(illustrative=True).exists()
    )


def cell_groups(run: ImpactRun | None) -> list[dict[str, Any]]:
    """Awards counted, and their published amounts and running totals summed, per service
    area, programme and stored status code: the cells before they are named. Every award
    counts: one the run did not assess (or with no run) has no status.

    The sums over every award are the page's costliest query, so each server process
    keeps the last ones it made, by what they depend on: the run (never changed once made)
    and the awards' count and latest change (ambition.fund.awards saves an award, moving
    its `updated_at`, with every payment, return and variation; its application's service
    area and its budget are fixed once it is made). Names are read fresh each time."""
    changed = Award.objects.aggregate(awards=Count("id"), last=Max("updated_at"))
    key = (run.pk if run else None, changed["awards"], changed["last"])
    if (summed := _SUMMED.get(key)) is None:
        _SUMMED.clear()
        summed = _SUMMED[key] = _summed(run)
    areas = dict(ServiceArea.objects.values_list("pk", "name"))
    programmes = dict(Budget.objects.order_by().values_list("pk", "programme"))
    return [
        {
            "area": area_name(areas.get(g["area"]), programmes[g["budget"]]),
            "impact": status_words(g["status"]),
            "awards": g["awards"],
            "amount": g["amount"],
            "paid": g["paid"],
            "returned": g["returned"],
        }
        for g in summed
    ]


_SUMMED: dict[tuple[Any, ...], list[dict[str, Any]]] = {}


def _summed(run: ImpactRun | None) -> list[dict[str, Any]]:
    """The cells' sums by the database, keyed by service area, budget and status code."""
    groups = (
        Award.objects.annotate(found=found_in(run))
        .values(area=F("application__service_area"), status=F("found__status"))
        .annotate(
            awards=Count("id"),
            amount=Sum("amount", filter=Q(amount_published=True)),
            paid=Sum("paid_to_date"),
            returned=Sum("returned_to_date"),
        )
        .values("area", "budget", "status", "awards", "amount", "paid", "returned")
        .order_by()
    )
    return [
        {
            **g,
            "amount": pence(g["amount"]),
            "paid": pence(g["paid"]),
            "returned": pence(g["returned"]),
        }
        for g in groups
    ]


def by_area(groups: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chart's table alternative: per service area and impact status, the awards and
    the amount awarded (groups of one area and status may come in parts: they add up)."""
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for g in groups:
        cell = cells.setdefault(
            (g["area"], g["impact"]),
            {"area": g["area"], "status": g["impact"], "awards": 0, "amount": Decimal(0)},
        )
        cell["awards"] += g["awards"]
        cell["amount"] += g["amount"] or Decimal(0)
    return sorted(cells.values(), key=lambda c: (c["area"], c["status"]))


def totals(groups: Sequence[dict[str, Any]]) -> dict[str, Decimal]:
    """Every award's published amount, and all that was paid and returned: the cells'
    sums added up (every award is in one cell)."""
    return {
        money: sum((g[money] for g in groups), Decimal("0.00"))
        for money in ("amount", "paid", "returned")
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
