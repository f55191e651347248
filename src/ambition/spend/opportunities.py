"""Where councils could buy together: every authority's current procurement spend, each row
with its category (`categories.assign`) and its supplier as resolved across authorities (the
latest supplier run, people's decisions applied), summed by category and by supplier.

For each category and each supplier: the combined spend, how many authorities buy and each
one's share, the spread of what they pay (each authority's median payment to a supplier,
lowest to highest), fragmentation (many small payments to one supplier; one authority paying
one supplier through many services), and, for a category, an estimated saving from buying
together at the rate the office set (`SavingRate`): an assumption, always shown as one.

Money stays Decimal from the Parquet files to the page: sums are exact, a saving is rounded
to the penny once. The rows are summed by the spend engine (DuckDB, or Spark) over the one
categorised view (`categories.current`), for each authority and category or supplier;
what comes back (a row for each authority and each supplier it pays) is combined here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
from django.db import transaction

from .categories.current import Spend, where
from .categories.rules import shipped
from .engine import Step
from .models import SavingRate, replace
from .parquet import PENNY

# A payment below this is small: many of them to one supplier in a year suggest buying that
# a contract (or a framework shared with other councils) would serve better.
SMALL_PAYMENT = Decimal(5000)
MANY_SMALL_PAYMENTS = 12
# One authority paying one supplier through this many services buys it in pieces.
MANY_SERVICES = 3
SHARED = 2  # a supplier or category bought by at least this many authorities is shared


@dataclass(frozen=True, slots=True)
class Rate:
    """The office's assumed saving for a category: a share of its combined spend."""

    category: str
    rate: Decimal
    basis: str
    set_by: str
    set_at: object
    illustrative: bool = False

    def saving(self, spend: Decimal) -> Decimal:
        return (spend * self.rate).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Share:
    """One authority's part of a category's or a supplier's spend."""

    code: str
    name: str
    amount: Decimal
    transactions: int
    share: float  # of the combined spend, 0 to 1
    suppliers: int = 0
    median_payment: Decimal | None = None
    services: int = 0
    small_payments: int = 0
    # Rows that give a period but no day: a council publishing a month's total per supplier
    # (Lambeth before June 2012) makes its "payments" totals, and its median a median of them.
    totals: int = 0


@dataclass(frozen=True, slots=True)
class Line:
    """A category or a supplier across the authorities."""

    key: str
    name: str
    amount: Decimal
    transactions: int
    authorities: int
    suppliers: int = 0
    largest_share: float = 0.0
    lowest_median: Decimal | None = None  # the lowest of the authorities' median payments
    highest_median: Decimal | None = None
    most_services: int = 0  # the most services one authority pays it through
    small_payments: int = 0
    categories: tuple[str, ...] = ()
    rate: Rate | None = None
    procurement: bool = True

    @property
    def saving(self) -> Decimal | None:
        """The estimated saving from buying together, at the office's assumed rate."""
        return self.rate.saving(self.amount) if self.rate is not None else None

    @property
    def spread(self) -> float | None:
        """How many times the lowest median payment the highest is."""
        if self.lowest_median is None or self.highest_median is None or self.lowest_median <= 0:
            return None
        return float(self.highest_median / self.lowest_median)

    @property
    def fragmented(self) -> bool:
        return self.most_services >= MANY_SERVICES or self.small_payments >= MANY_SMALL_PAYMENTS


def standing_rates() -> dict[str, Rate]:
    """The office's standing rate for each category that has one."""
    found = SavingRate.objects.standing().select_related("set_by")
    return {
        r.category: Rate(r.category, r.rate, r.basis, _who(r.set_by), r.set_at, r.illustrative)
        for r in found
    }


def _who(user: object) -> str:
    if user is None:
        return ""  # set by a command, not a person
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or getattr(user, "username", ""))


def _per_authority(
    spend: Spend, by: str | None, year: int | None, *terms: str, **equal: object
) -> pl.DataFrame:
    """The procurement rows chosen, summed by the engine for each authority (and each value
    of `by`, if given): spend, transactions, suppliers, the median payment, services paying,
    small payments, and rows that are a period's total (no day)."""
    group = f"{by}, authority" if by else "authority"
    clause, parameters = where(*terms, procurement=True, year=year, **equal)
    step = Step(
        f"procurement_by_{by or 'authority'}",
        f"SELECT {group}, SUM(amount) AS amount, COUNT(*) AS transactions, "
        "COUNT(DISTINCT supplier_key) AS suppliers, "
        "MEDIAN(CAST(amount AS DOUBLE)) AS median, COUNT(DISTINCT service) AS services, "
        f"SUM(CASE WHEN ABS(amount) < {SMALL_PAYMENT} THEN 1 ELSE 0 END) AS small, "
        "SUM(CASE WHEN date IS NULL THEN 1 ELSE 0 END) AS totals "
        f"FROM categorised {clause} GROUP BY {group}",
    )
    return spend.frame(step, parameters)


def by_category(spend: Spend, year: int | None, rates: dict[str, Rate]) -> list[Line]:
    """Each procurement category: combined spend, authorities, suppliers, the largest
    authority's share and the estimated saving, largest spend first."""
    each = _per_authority(spend, "category", year)
    clause, parameters = where(procurement=True, year=year)
    suppliers = dict(
        spend.frame(
            Step(
                "procurement_suppliers_by_category",
                "SELECT category, COUNT(DISTINCT supplier_key) AS suppliers "
                f"FROM categorised {clause} GROUP BY category",
            ),
            parameters,
        ).iter_rows()
    )
    lines = []
    for part in each.partition_by("category", maintain_order=False):
        code = part["category"][0]
        shares = _shares(part, spend.names)
        lines.append(
            Line(
                key=code,
                name=spend.categories[code].name,
                amount=sum((s.amount for s in shares), Decimal(0)),
                transactions=sum(s.transactions for s in shares),
                authorities=len(shares),
                suppliers=suppliers.get(code, 0),
                largest_share=max((s.share for s in shares), default=0.0),
                rate=rates.get(code),
            )
        )
    return sorted(lines, key=lambda line: (-line.amount, line.key))


def by_supplier(
    spend: Spend,
    year: int | None,
    *,
    category: str | None = None,
    supplier: str | None = None,
    shared_only: bool = True,
) -> list[Line]:
    """Each supplier (as resolved) of the procurement rows, or of one category's: combined
    spend, authorities, the spread of their median payments and fragmentation; those bought by
    several authorities only unless `shared_only` is false. Largest spend first."""
    chosen = ("supplier_key IS NOT NULL",)
    each = _per_authority(
        spend, "supplier_key", year, *chosen, category=category, supplier_key=supplier
    )
    total = pl.col("amount").sum()
    overall = each.group_by("supplier_key").agg(
        pl.len().alias("authorities"),
        total.alias("amount"),
        pl.col("transactions").sum(),
        (pl.col("amount").max().cast(pl.Float64) / total.cast(pl.Float64)).alias("largest_share"),
        pl.col("median").min().alias("lowest_median"),
        pl.col("median").max().alias("highest_median"),
        pl.col("services").max().alias("most_services"),
        pl.col("small").sum().alias("small_payments"),
    )
    if shared_only:
        overall = overall.filter(pl.col("authorities") >= SHARED)
    clause, parameters = where(
        *chosen, procurement=True, year=year, category=category, supplier_key=supplier
    )
    # Every row of a supplier carries its one name: its cluster's, or its one spelling's.
    named = (
        spend.frame(
            Step(
                "procurement_supplier_categories",
                "SELECT supplier_key, category, MIN(supplier_name) AS name "
                f"FROM categorised {clause} GROUP BY supplier_key, category",
            ),
            parameters,
        )
        .group_by("supplier_key")
        .agg(pl.col("name").min(), pl.col("category").unique().sort().alias("categories"))
    )
    lines = [
        Line(
            key=r["supplier_key"],
            name=r["name"],
            amount=_exact(r["amount"]),
            transactions=r["transactions"],
            authorities=r["authorities"],
            largest_share=r["largest_share"] or 0.0,
            lowest_median=_exact_or_none(r["lowest_median"]),
            highest_median=_exact_or_none(r["highest_median"]),
            most_services=r["most_services"],
            small_payments=r["small_payments"],
            categories=tuple(r["categories"]),
        )
        for r in overall.join(named, on="supplier_key").iter_rows(named=True)
    ]
    return sorted(lines, key=lambda line: (-line.amount, line.name, line.key))


def shares(
    spend: Spend, year: int | None, *, category: str | None = None, supplier: str | None = None
) -> list[Share]:
    """Each authority's part of a category's or a supplier's procurement spend."""
    each = _per_authority(spend, None, year, category=category, supplier_key=supplier)
    return _shares(each, spend.names)


def _shares(each: pl.DataFrame, names: dict[str, str]) -> list[Share]:
    """Shares from the sums for each authority (`_per_authority`)."""
    amounts = {r["authority"]: _exact(r["amount"]) for r in each.iter_rows(named=True)}
    combined = sum(amounts.values(), Decimal(0))
    found = [
        Share(
            code=r["authority"],
            name=names.get(r["authority"], r["authority"]),
            amount=amounts[r["authority"]],
            transactions=r["transactions"],
            share=float(amounts[r["authority"]] / combined) if combined else 0.0,
            suppliers=r["suppliers"],
            median_payment=_exact_or_none(r["median"]),
            services=r["services"],
            small_payments=r["small"],
            totals=r["totals"],
        )
        for r in each.iter_rows(named=True)
    ]
    return sorted(found, key=lambda s: (-s.amount, s.name))


def transactions(
    spend: Spend,
    year: int | None,
    *,
    category: str | None = None,
    supplier: str | None = None,
    authority: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> pl.DataFrame:
    """The procurement rows behind a figure, largest first, with where each came from:
    all of them, or `limit` from `offset` (a page)."""
    clause, parameters = _behind(year, category, supplier, authority)
    page = ""
    if limit is not None:
        page = " LIMIT $limit OFFSET $offset"
        parameters |= {"limit": int(limit), "offset": int(offset)}
    return spend.frame(
        Step(
            "procurement_transactions",
            f"SELECT * FROM categorised {clause} "
            f"ORDER BY amount DESC, authority, file_id, sheet, row{page}",
        ),
        parameters,
    )


def counted(
    spend: Spend,
    year: int | None,
    *,
    category: str | None = None,
    supplier: str | None = None,
    authority: str | None = None,
) -> tuple[int, Decimal]:
    """How many procurement rows `transactions` gives, and their total."""
    clause, parameters = _behind(year, category, supplier, authority)
    found = spend.frame(
        Step(
            "procurement_transactions_counted",
            f"SELECT COUNT(*) AS transactions, SUM(amount) AS amount FROM categorised {clause}",
        ),
        parameters,
    )
    return int(found["transactions"][0]), _exact(found["amount"][0])


def _behind(
    year: int | None, category: str | None, supplier: str | None, authority: str | None
) -> tuple[str, dict[str, object]]:
    """The procurement rows of a year, a category, a supplier and an authority (None: any)."""
    return where(
        procurement=True, year=year, category=category, supplier_key=supplier,
        authority=authority,
    )  # fmt: skip


def totals(spend: Spend, year: int | None) -> tuple[Decimal, Decimal, Decimal]:
    """All current spend, the spend that buys something, and the uncategorised spend."""
    clause, parameters = where(year=year)
    found = spend.frame(
        Step(
            "spend_totals",
            "SELECT SUM(amount) AS everything, "
            "SUM(CASE WHEN procurement THEN amount END) AS buying, "
            "SUM(CASE WHEN category IS NULL THEN amount END) AS uncategorised "
            f"FROM categorised {clause}",
        ),
        parameters,
    )
    return tuple(_exact(found[c][0]) for c in found.columns)  # type: ignore[return-value]


def total_of(rows: pl.DataFrame) -> Decimal:
    """The rows' amounts summed, exactly, to the penny."""
    return _exact(rows.get_column("amount").sum()) if rows.height else Decimal(0)


def _exact(value: object) -> Decimal:
    return Decimal(str(value or 0)).quantize(PENNY)


def _exact_or_none(value: float | None) -> Decimal | None:
    """A median payment, to the penny (a median of two middle payments can end in a half
    penny: rounded half up)."""
    if value is None:
        return None
    return Decimal(repr(value)).quantize(PENNY, rounding=ROUND_HALF_UP)


class RateRefused(ValueError):
    """A rate the office cannot set; the message says why."""


MOST_RATE = Decimal("0.5")


def set_rate(
    category: str, rate: Decimal, basis: str, user: object = None, *, illustrative: bool = False
) -> SavingRate:
    """The office's new assumed rate for a category, replacing the standing one (kept)."""
    if category not in {c.code for c in shipped().categories if c.procurement}:
        raise RateRefused(f"{category!r} is not a procurement category of the rules file")
    if not Decimal(0) <= rate <= MOST_RATE:
        raise RateRefused(f"a rate is a share from 0 to {MOST_RATE:.0%}; {rate:%} is not")
    if not basis.strip():
        raise RateRefused("say where the assumption comes from")
    with transaction.atomic():
        old = SavingRate.objects.select_for_update().standing().filter(category=category).first()
        new = SavingRate(
            category=category, rate=rate, basis=basis.strip(), set_by=user,
            illustrative=illustrative,
        )  # fmt: skip
        replace(old, new)
    return new
