"""The give-and-take ledger's pages: every member's year (gave, took and balance per kind,
against the partnership's averages, with a chart), one authority's year and entries, and
the performance office's form for case studies and intellectual property shared."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from ambition.indicators import periods
from ambition.indicators.periods import financial_year, year_label
from ambition.registry.models import Authority
from ambition.web.tables import Column, Table, respond

from .. import bookkeeping
from ..charts import give_and_take
from ..forms import AuthorityChoice, member_queryset
from ..models import LedgerEntry, LedgerKind
from .review_forms import DATE_HINT

KINDS = [(k.value, k.label) for k in LedgerKind]


def position_columns() -> list[Column]:
    columns = [Column("code", "ONS code"), Column("authority", "Authority")]
    for kind, label in KINDS:
        unit = bookkeeping.UNITS[kind]
        columns += [
            Column(f"{kind}_gave", f"{label} gave ({unit})"),
            Column(f"{kind}_took", f"{label} took ({unit})"),
            Column(f"{kind}_balance", f"{label} balance ({unit})"),
        ]
    return columns


ENTRY_COLUMNS = [
    Column("date", "Date"),
    Column("kind", "Kind"),
    Column("direction", "Gave or took"),
    Column("amount", "Amount"),
    Column("unit", "Unit"),
    Column("counterparty", "Counterparty"),
    Column("description", "Description"),
    Column("source", "Source"),
    Column("source_id", "Source id"),
    Column("reason", "Reason for a reversal"),
]


def chosen_year(request: HttpRequest) -> int:
    """`?year=2025` (the financial year 2025-26), or the current one; a 404 for any other
    text. The review packs read their year the same way."""
    if (year := periods.chosen_year(request.GET.get("year"), timezone.localdate())) is None:
        raise Http404("A year is a financial year such as 2025, up to next year")
    return year


def years_known(authority: Authority | None = None, current: bool = True) -> list[int]:
    """The financial years with ledger entries (of one authority, if named) and, unless not
    `current`, the current one, newest first: the years a page offers to show."""
    entries = LedgerEntry.objects.all()
    if authority is not None:
        entries = entries.filter(authority=authority)
    found = set(entries.values_list("year", flat=True).distinct())
    if current:
        found.add(financial_year(timezone.localdate()))
    return sorted(found, reverse=True)


def position_row(p: bookkeeping.Position) -> dict[str, Any]:
    row: dict[str, Any] = {"code": p.authority.code, "authority": p.authority.name}
    for kind, _ in KINDS:
        row |= {
            f"{kind}_gave": p.gave[kind],
            f"{kind}_took": p.took[kind],
            f"{kind}_balance": p.balance(kind),
        }
    row["cells"] = [(p.gave[k], p.took[k], p.balance(k)) for k, _ in KINDS]
    return row


@login_required
@permission_required("support.view_supportrequest", raise_exception=True)
@require_safe
def ledger_year(request: HttpRequest) -> HttpResponse:
    year = chosen_year(request)
    rows = [position_row(p) for p in bookkeeping.positions(year)]
    name = f"ledger-{year_label(year)}"
    if found := respond(
        request, lambda: Table(name, position_columns(), rows, meta={"year": year})
    ):
        return found
    means = bookkeeping.averages(year)
    kind = request.GET.get("kind", LedgerKind.STAFF_DAYS)
    if kind not in bookkeeping.UNITS:
        raise Http404("No such kind")
    chart_rows = [
        {"name": r["authority"], "gave": r[f"{kind}_gave"], "took": r[f"{kind}_took"]} for r in rows
    ]
    mean = tuple(float(v) for v in means[kind])
    context = {
        "year": year,
        "label": year_label(year),
        "years": years_known(),
        "rows": rows,
        "kinds": KINDS,
        "kind": kind,
        "kind_units": [(k, label, bookkeeping.UNITS[k]) for k, label in KINDS],
        "means": [(label, bookkeeping.UNITS[k], means[k]) for k, label in KINDS],
        "chart": give_and_take(chart_rows, bookkeeping.UNITS[kind], mean),  # type: ignore[arg-type]
        "may_record": request.user.has_perm("support.add_ledgerentry"),
    }
    return render(request, "support/ledger_year.html", context)


def entry_row(e: LedgerEntry) -> dict[str, Any]:
    return {
        "date": e.date,
        "kind": e.get_kind_display(),
        "direction": e.direction,
        "amount": e.amount,
        "unit": bookkeeping.UNITS[e.kind],
        "counterparty": e.counterparty.name if e.counterparty else "",
        "description": e.description,
        "source": e.source,
        "source_id": e.source_id,
        "reason": e.reason,
    }


@login_required
@permission_required("support.view_supportrequest", raise_exception=True)
@require_safe
def ledger_authority(request: HttpRequest, code: str) -> HttpResponse:
    authority = get_object_or_404(Authority, code=code)
    year = chosen_year(request)
    rows = [entry_row(e) for e in bookkeeping.entries_of(authority, year)]
    name = f"ledger-{authority.code}-{year_label(year)}"
    if found := respond(request, lambda: Table(name, ENTRY_COLUMNS, rows, meta={"year": year})):
        return found
    position, means = bookkeeping.position_of(authority, year), bookkeeping.averages(year)
    summary = [
        {
            "label": label,
            "unit": bookkeeping.UNITS[k],
            "gave": position.gave[k],
            "took": position.took[k],
            "balance": position.balance(k),
            "mean_gave": means[k][0],
            "mean_took": means[k][1],
        }
        for k, label in KINDS
    ]
    context = {
        "authority": authority,
        "year": year,
        "label": year_label(year),
        "years": years_known(),
        "summary": summary,
        "rows": rows,
    }
    return render(request, "support/ledger_authority.html", context)


class SharedForm(forms.Form):
    authority = AuthorityChoice(
        queryset=Authority.objects.none(), empty_label=None, label="Shared by"
    )
    kind = forms.ChoiceField(
        choices=[(LedgerKind.CASE_STUDY, "Case study"), (LedgerKind.IP, "Intellectual property")]
    )
    count = forms.IntegerField(min_value=1, max_value=100, initial=1, label="How many")
    counterparty = AuthorityChoice(
        queryset=Authority.objects.none(),
        required=False,
        empty_label="The whole partnership",
        label="Shared with",
    )
    day = forms.DateField(label="Date", help_text=DATE_HINT)
    description = forms.CharField(max_length=300, help_text="What was shared.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("authority", "counterparty"):
            self.fields[name].queryset = member_queryset()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("counterparty") and data.get("counterparty") == data.get("authority"):
            raise forms.ValidationError("An authority does not share with itself.")
        return data


@login_required
@permission_required("support.add_ledgerentry", raise_exception=True)
def ledger_record(request: HttpRequest) -> HttpResponse:
    form = SharedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        bookkeeping.record_shared(
            d["authority"],
            d["kind"],
            d["count"],
            d["day"],
            d["description"],
            request.user,
            counterparty=d["counterparty"],
        )
        messages.success(request, f"Recorded: {d['authority']} shared {d['count']} ({d['kind']}).")
        page = reverse("support-ledger-authority", args=[d["authority"].code])
        return redirect(f"{page}?year={financial_year(d['day'])}")
    return render(request, "support/ledger_record.html", {"form": form})
