"""Where councils could buy together: the procurement categories and the suppliers several
authorities buy from, each authority's share, the spread of what they pay, fragmentation,
and the estimated saving at the office's assumed rate; down to the transactions, each table
downloadable. Staff of the partnership only: the suppliers named can be people."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_safe

from ambition.indicators.periods import year_label
from ambition.spend import charts
from ambition.spend.categories.current import Spend, current_spend
from ambition.spend.models import (
    SET_SAVING_RATES,
    VIEW_OPPORTUNITIES,
    SavingRate,
    SupplierCluster,
)
from ambition.spend.opportunities import (
    MANY_SERVICES,
    MANY_SMALL_PAYMENTS,
    MOST_RATE,
    SMALL_PAYMENT,
    Line,
    RateRefused,
    Share,
    by_category,
    by_supplier,
    counted,
    set_rate,
    shares,
    standing_rates,
    totals,
    transactions,
)
from ambition.web.parameters import whole_number
from ambition.web.tables import Column, Table, respond

SHOWN_SUPPLIERS = 25
PAGE_SIZE = 50

CATEGORY_COLUMNS = [
    Column("code", "Category code"),
    Column("name", "Category"),
    Column("authorities", "Authorities buying"),
    Column("suppliers", "Suppliers"),
    Column("transactions", "Transactions"),
    Column("amount", "Combined spend (GBP)"),
    Column("largest_share", "Largest authority's share"),
    Column("rate", "Assumed saving rate"),
    Column("saving", "Estimated saving (GBP)"),
]
SUPPLIER_COLUMNS = [
    Column("key", "Supplier key"),
    Column("name", "Supplier"),
    Column("authorities", "Authorities buying"),
    Column("transactions", "Transactions"),
    Column("amount", "Combined spend (GBP)"),
    Column("largest_share", "Largest authority's share"),
    Column("lowest_median", "Lowest median payment (GBP)"),
    Column("highest_median", "Highest median payment (GBP)"),
    Column("most_services", "Most services one authority pays it through"),
    Column("small_payments", f"Payments under GBP {SMALL_PAYMENT:,}"),
    Column("fragmented", "Fragmented"),
    Column("categories", "Categories"),
]
SHARE_COLUMNS = [
    Column("code", "ONS code"),
    Column("name", "Authority"),
    Column("amount", "Spend (GBP)"),
    Column("share", "Share"),
    Column("transactions", "Transactions"),
    Column("suppliers", "Suppliers"),
    Column("median_payment", "Median payment (GBP)"),
    Column("services", "Services paying"),
    Column("small_payments", f"Payments under GBP {SMALL_PAYMENT:,}"),
    Column("totals", "Rows that are totals for a period, not single payments"),
]
TRANSACTION_COLUMNS = [
    Column("authority", "ONS code"),
    Column("authority_name", "Authority"),
    Column("when", "Date or period"),
    Column("supplier", "Supplier as written"),
    Column("supplier_name", "Supplier as resolved"),
    Column("amount", "Amount (GBP)"),
    Column("category_name", "Category"),
    Column("why", "Why this category"),
    Column("service", "Service"),
    Column("expense_type", "Expense type"),
    Column("account", "Account"),
    Column("purpose", "Purpose"),
    Column("file_id", "File"),
    Column("sheet", "Sheet"),
    Column("row", "Row"),
]


def chosen_year(request: HttpRequest, spend: Spend) -> int | None:
    """The financial year asked for (`?year=2013`), or None for every year stored."""
    wanted = whole_number(request.GET.get("year"), 1, 9999)
    return wanted if wanted in spend.years else None


def year_context(request: HttpRequest, spend: Spend, year: int | None) -> dict[str, Any]:
    return {
        "year": year,
        "year_name": year_label(year) if year is not None else "all years stored",
        "years": [(y, year_label(y)) for y in reversed(spend.years)],
    }


def line_row(line: Line) -> dict[str, Any]:
    return {
        "code": line.key,
        "key": line.key,
        "name": line.name,
        "authorities": line.authorities,
        "suppliers": line.suppliers,
        "transactions": line.transactions,
        "amount": line.amount,
        "largest_share": round(line.largest_share, 4),
        "rate": line.rate.rate if line.rate is not None else None,
        "rate_percent": line.rate.rate * 100 if line.rate is not None else None,
        "illustrative": line.rate is not None and line.rate.illustrative,
        "largest_percent": line.largest_share * 100,
        "saving": line.saving,
        "lowest_median": line.lowest_median,
        "highest_median": line.highest_median,
        "spread": line.spread,
        "most_services": line.most_services,
        "small_payments": line.small_payments,
        "fragmented": "yes" if line.fragmented else "no",
        "is_fragmented": line.fragmented,
        "categories": "; ".join(line.categories),
    }


def share_row(share: Share) -> dict[str, Any]:
    return {
        "code": share.code,
        "name": share.name,
        "amount": share.amount,
        "share": round(share.share, 4),
        "percent": share.share * 100,
        "transactions": share.transactions,
        "suppliers": share.suppliers,
        "median_payment": share.median_payment,
        "services": share.services,
        "small_payments": share.small_payments,
        "totals": share.totals,
    }


def _link(name: str, year: int | None, *args: str, **more: str) -> str:
    """A page of this module, for the same year, with any more of its query."""
    url = reverse(name, args=args)
    query = {**({"year": str(year)} if year is not None else {}), **more}
    return f"{url}?{urlencode(query)}" if query else url


@login_required
@permission_required(VIEW_OPPORTUNITIES, raise_exception=True)
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    spend = current_spend()
    year = chosen_year(request, spend)
    categories = by_category(spend, year, standing_rates())
    suppliers = by_supplier(spend, year)
    if download := respond(request, lambda: _download(request, categories, suppliers)):
        return download
    everything, buying, uncategorised = totals(spend, year)
    saving = sum((c.saving for c in categories if c.saving is not None), Decimal(0))
    category_rows = [
        {
            **line_row(c),
            "url": _link("spend-opportunity-category", year, c.key),
        }
        for c in categories
    ]
    supplier_rows = [
        {
            **line_row(s),
            "url": _link("spend-opportunity-supplier", year, s.key),
        }
        for s in suppliers[:SHOWN_SUPPLIERS]
    ]
    context = {
        **year_context(request, spend, year),
        "spend": spend,
        "everything": everything,
        "buying": buying,
        "uncategorised": uncategorised,
        "saving": saving,
        "rated": sum(1 for c in categories if c.rate is not None),
        "illustrative": any(c.rate.illustrative for c in categories if c.rate is not None),
        "category_rows": category_rows,
        "supplier_rows": supplier_rows,
        "shared_suppliers": len(suppliers),
        "shown_suppliers": SHOWN_SUPPLIERS,
        "chart": charts.category_spend(categories, "Combined procurement spend by category"),
        **_thresholds(),
    }
    return render(request, "spend/opportunities_overview.html", context)


def _download(request: HttpRequest, categories: list[Line], suppliers: list[Line]) -> Table:
    if request.GET.get("table") == "suppliers":
        return Table("shared-suppliers", SUPPLIER_COLUMNS, [line_row(s) for s in suppliers])
    return Table("categories", CATEGORY_COLUMNS, [line_row(c) for c in categories])


def _thresholds() -> dict[str, Any]:
    return {
        "small_payment": SMALL_PAYMENT,
        "many_small_payments": MANY_SMALL_PAYMENTS,
        "many_services": MANY_SERVICES,
    }


class RateForm(forms.Form):
    percent = forms.DecimalField(
        label="Assumed saving (% of combined spend)", min_value=Decimal(0),
        max_value=MOST_RATE * 100, decimal_places=2, max_digits=5,
        help_text=f"From 0 to {MOST_RATE * 100:.0f}%: the share of the category's combined spend "
        "that buying together is assumed to save",
    )  # fmt: skip
    basis = forms.CharField(
        label="Where the assumption comes from", max_length=2000, widget=forms.Textarea,
        help_text="Shown beside every saving estimated from it",
    )  # fmt: skip


@login_required
@permission_required(VIEW_OPPORTUNITIES, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def category(request: HttpRequest, code: str) -> HttpResponse:
    spend = current_spend()
    known = spend.categories.get(code)
    if known is None or not known.procurement:
        raise Http404("No such procurement category")
    can_set = request.user.has_perm(SET_SAVING_RATES)
    form = RateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_set:
            return HttpResponse("Only the performance office sets saving rates.", status=403)
        if form.is_valid():
            try:
                rate = (form.cleaned_data["percent"] / 100).quantize(Decimal("0.0001"))
                set_rate(code, rate, form.cleaned_data["basis"], request.user)
            except (RateRefused, InvalidOperation) as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, f"The assumed saving rate for {known.name} is set.")
                return redirect(request.get_full_path())
    year = chosen_year(request, spend)
    rates = standing_rates()
    line = next((c for c in by_category(spend, year, rates) if c.key == code), None)
    parts = shares(spend, year, category=code)
    suppliers = by_supplier(spend, year, category=code, shared_only=False)
    download = respond(request, lambda: _category_download(request, code, parts, suppliers))
    if download:
        return download
    page = Paginator(suppliers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **year_context(request, spend, year),
        "category": known,
        "line": line,
        "rate": rates.get(code),
        "rate_percent": rates[code].rate * 100 if code in rates else None,
        "history": [
            {**_rate_row(h), "percent": h.rate * 100}
            for h in SavingRate.objects.filter(category=code).select_related("set_by")
            .order_by("-set_at", "-id")
        ],
        "share_rows": [share_row(s) for s in parts],
        "page_obj": page,
        "supplier_rows": [
            {**line_row(s), "url": _link("spend-opportunity-supplier", year, s.key)}
            for s in page
        ],
        "transactions_url": _link("spend-opportunity-transactions", year, category=code),
        "chart": charts.authority_spend(parts, f"{known.name}: spend by authority"),
        "form": form,
        "can_set": can_set,
        **_thresholds(),
    }  # fmt: skip
    return render(request, "spend/opportunities_category.html", context)


def _rate_row(rate: SavingRate) -> dict[str, Any]:
    return {
        "set_at": rate.set_at,
        "set_by": rate.set_by,
        "replaced_at": rate.replaced_at,
        "basis": rate.basis,
        "illustrative": rate.illustrative,
    }


def _category_download(
    request: HttpRequest, code: str, parts: list[Share], suppliers: list[Line]
) -> Table:
    if request.GET.get("table") == "suppliers":
        return Table(f"{code}-suppliers", SUPPLIER_COLUMNS, [line_row(s) for s in suppliers])
    return Table(f"{code}-authorities", SHARE_COLUMNS, [share_row(s) for s in parts])


@login_required
@permission_required(VIEW_OPPORTUNITIES, raise_exception=True)
@require_safe
def supplier(request: HttpRequest, key: str) -> HttpResponse:
    spend = current_spend()
    year = chosen_year(request, spend)
    cluster = SupplierCluster.objects.filter(run_id=spend.run, key=key).first()
    found = by_supplier(spend, None, supplier=key, shared_only=False)
    if not found and cluster is None:
        raise Http404("No such supplier")
    name = found[0].name if found else cluster.name  # type: ignore[union-attr]
    line = next(iter(by_supplier(spend, year, supplier=key, shared_only=False)), None)
    parts = shares(spend, year, supplier=key)
    if download := respond(
        request, lambda: Table("supplier-authorities", SHARE_COLUMNS, [share_row(s) for s in parts])
    ):
        return download
    context = {
        **year_context(request, spend, year),
        "name": name,
        "line": line,
        "categories": [spend.categories[c].name for c in (line.categories if line else ())],
        "cluster": cluster,
        "share_rows": [share_row(s) for s in parts],
        "transactions_url": _link("spend-opportunity-transactions", year, supplier=key),
        "chart": charts.authority_spend(parts, f"{name}: spend by authority"),
        **_thresholds(),
    }  # fmt: skip
    return render(request, "spend/opportunities_supplier.html", context)


@login_required
@permission_required(VIEW_OPPORTUNITIES, raise_exception=True)
@require_safe
def transaction_list(request: HttpRequest) -> HttpResponse:
    spend = current_spend()
    year = chosen_year(request, spend)
    chosen = {k: request.GET.get(k) or None for k in ("category", "supplier", "authority")}
    if download := respond(
        request,
        lambda: Table(
            "transactions", TRANSACTION_COLUMNS,
            _transaction_rows(spend, transactions(spend, year, **chosen)),
        ),
    ):  # fmt: skip
        return download
    count, total = counted(spend, year, **chosen)
    page = Paginator(range(count), PAGE_SIZE).get_page(request.GET.get("page"))
    shown = transactions(
        spend, year, **chosen, offset=page.start_index() - 1, limit=len(page.object_list)
    ) if count else None  # fmt: skip
    context = {
        **year_context(request, spend, year),
        "chosen": chosen,
        "category": spend.categories.get(chosen["category"] or ""),
        "authority_name": spend.names.get(chosen["authority"] or ""),
        "supplier_name": next(iter(shown["supplier_name"].drop_nulls().to_list()), None)
        if chosen["supplier"] and shown is not None
        else None,
        "page_obj": page,
        "rows": _transaction_rows(spend, shown) if shown is not None else [],
        "count": count,
        "total": total,
    }  # fmt: skip
    return render(request, "spend/opportunities_transactions.html", context)


def _transaction_rows(spend: Spend, rows: Any) -> list[dict[str, Any]]:
    found = []
    for r in rows.iter_rows(named=True):
        when = r["date"] or (
            f"{r['period_start']} to {r['period_end']}" if r["period_start"] else ""
        )
        found.append(
            {
                **r,
                "authority_name": spend.names.get(r["authority"], r["authority"]),
                "when": when,
                "supplier": "Redacted" if r["redacted"] else r["supplier"],
                "supplier_name": r["supplier_name"] or ("Redacted" if r["redacted"] else ""),
                "amount": Decimal(r["amount"]),
                "category_name": spend.categories[r["category"]].name,
                "file_url": reverse("spend-file", args=[r["file_id"]]),
            }
        )
    return found


urlpatterns: list[URLPattern] = [
    path("spend/opportunities/", overview, name="spend-opportunities"),
    path(
        "spend/opportunities/categories/<slug:code>/", category, name="spend-opportunity-category"
    ),
    path("spend/opportunities/suppliers/<str:key>/", supplier, name="spend-opportunity-supplier"),
    path(
        "spend/opportunities/transactions/", transaction_list, name="spend-opportunity-transactions"
    ),
]
