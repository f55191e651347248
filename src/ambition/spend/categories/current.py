"""Every authority's current transactions with their procurement category and their supplier
as resolved across authorities: the one reading of categorised spend that every page, report
and check uses, so two of them never disagree about a council.

A row's category is decided by `categories.assign` (a person's label, the word rules, the
model learnt from labels, and for a row that gives nothing but its supplier, the supplier's
clear category among the other rows). Its supplier is the cluster its record is a
member of in the latest supplier run, people's decisions applied. Read through the spend
engine (DuckDB or Spark), worked out in Polars once per state of the stored data (files,
supplier run, decisions, labels) in each server process."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import polars as pl

from ambition.registry.models import Authority

from ..engine import Step
from ..models import CategoryLabel, SpendFile, SupplierDecision, SupplierMember, SupplierRun
from ..transactions import open_transactions
from .assign import assign
from .rules import Category, shipped

UNRESOLVED = "unresolved"  # the supplier key of a name no supplier run has seen yet

ROWS = Step(
    "categorised_rows",
    "SELECT authority, year, file_id, sheet, row, date, month, period_start, period_end, "
    "coverage_month, "
    "supplier, redacted, company_number, charity_number, postcode, amount, expense_type, "
    "account, service, purpose FROM transactions",
)
_NUMBERS = ("company_number", "charity_number", "postcode")


@dataclass(frozen=True)
class Spend:
    """Every authority's current spend, one row per transaction, with `category`, `cpv`,
    `why`, `source`, `procurement` (the category buys something), `supplier_key` and
    `supplier_name` (null for a redacted supplier)."""

    rows: pl.DataFrame
    categories: dict[str, Category]
    names: dict[str, str]  # authority code -> name
    run: int | None  # the supplier run the suppliers come from
    years: list[int] = field(default_factory=list)

    def of_year(self, year: int | None) -> pl.DataFrame:
        return self.rows if year is None else self.rows.filter(pl.col("year") == year)


_KEPT: dict[str, tuple[tuple[object, ...], Spend]] = {}
_LOCK = threading.Lock()


def current_spend() -> Spend:
    """The spend as it stands, worked out once per state of the stored data (files, supplier
    run, decisions, labels) in each server process."""
    state = _state()
    with _LOCK:
        kept = _KEPT.get("spend")
        if kept is not None and kept[0] == state:
            return kept[1]
    run = state[1]
    spend = read_categorised(run if isinstance(run, int) else None)
    with _LOCK:
        _KEPT["spend"] = (state, spend)
    return spend


def _state() -> tuple[object, ...]:
    files = SpendFile.objects.order_by("-id").values_list("id", flat=True).first()
    run = SupplierRun.objects.latest_run()
    decision = SupplierDecision.objects.order_by("-id").values_list("id", flat=True).first()
    label = CategoryLabel.objects.order_by("-id").values_list("id", flat=True).first()
    return (files, run.pk if run else None, decision, label, SpendFile.objects.count())


def read_categorised(run: int | None) -> Spend:
    """The spend read afresh, its suppliers from the given run: `current_spend` keeps it."""
    engine = open_transactions()
    try:
        rows = engine.frame(ROWS)
    finally:
        engine.close()
    rules = shipped()
    categories = {c.code: c for c in rules.categories}
    rows = rows.with_columns(pl.col(n).fill_null("") for n in _NUMBERS)
    rows = assign(_with_suppliers(rows, run), rules)
    buys = {c.code: c.procurement for c in rules.categories}
    rows = rows.with_columns(
        pl.col("category").replace_strict(buys, default=False, return_dtype=pl.Boolean)
        .alias("procurement")
    )  # fmt: skip
    codes = rows["authority"].unique().to_list()
    names = dict(Authority.objects.filter(code__in=codes).values_list("code", "name"))
    years = sorted(rows["year"].unique().to_list())
    return Spend(rows, categories, names, run, years)


def _with_suppliers(rows: pl.DataFrame, run: int | None) -> pl.DataFrame:
    """Each row's supplier as resolved: the cluster its record is a member of in the run,
    or, for a name the run has not seen, the name itself (alone until the next run)."""
    members = SupplierMember.objects.filter(run_id=run) if run is not None else None
    found = (
        []
        if members is None
        else list(
            members.values_list(
                "authority__code", "supplier", *_NUMBERS, "cluster__key", "cluster__name"
            )
        )
    )
    columns = ["authority", "supplier", *_NUMBERS, "supplier_key", "supplier_name"]
    known = pl.DataFrame(found, schema=dict.fromkeys(columns, pl.String), orient="row")
    joined = rows.join(known, on=columns[:5], how="left", nulls_equal=True, maintain_order="left")
    # Named by a digest of its authority and spelling, stable from request to request.
    written = pl.concat_str([pl.col("authority"), pl.lit("\x1f"), pl.col("supplier")])
    unresolved = pl.lit(f"{UNRESOLVED}-") + written.hash(seed=0).cast(pl.String)
    hidden = pl.col("redacted") | pl.col("supplier").is_null()
    return joined.with_columns(
        pl.when(hidden).then(None).otherwise(pl.coalesce("supplier_key", unresolved))
        .alias("supplier_key"),
        pl.when(hidden).then(None).otherwise(pl.coalesce("supplier_name", "supplier"))
        .alias("supplier_name"),
    )  # fmt: skip
