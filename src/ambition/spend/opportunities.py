"""Where councils could buy together: every authority's current procurement spend, each row
with its category (`categories.assign`) and its supplier as resolved across authorities (the
latest supplier run, people's decisions applied), summed by category and by supplier.

For each category and each supplier: the combined spend, how many authorities buy and each
one's share, the spread of what they pay (each authority's median payment to a supplier,
lowest to highest), fragmentation (many small payments to one supplier; one authority paying
one supplier through many services), and, for a category, an estimated saving from buying
together at the rate the office set (`SavingRate`): an assumption, always shown as one.

Money stays Decimal from the Parquet files to the page: sums are exact, a saving is rounded
to the penny once. The rows are read through the spend engine, so they come the same from
DuckDB or Spark; the summing is Polars, once per state of the stored data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
from django.db import transaction

from .categories.current import Spend
from .categories.rules import shipped
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


def procurement(rows: pl.DataFrame) -> pl.DataFrame:
    """The rows that buy something: categorised, in a category that is not money passed on."""
    return rows.filter(pl.col("procurement"))


def by_category(spend: Spend, year: int | None, rates: dict[str, Rate]) -> list[Line]:
    """Each procurement category: combined spend, authorities, suppliers, the largest
    authority's share and the estimated saving, largest spend first."""
    rows = procurement(spend.of_year(year))
    lines = []
    for part in rows.partition_by("category", maintain_order=False):
        code = part["category"][0]
        shares = _shares(part, spend.names)
        lines.append(
            Line(
                key=code,
                name=spend.categories[code].name,
                amount=total_of(part),
                transactions=part.height,
                authorities=len(shares),
                suppliers=part["supplier_key"].drop_nulls().n_unique(),
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
    rows = procurement(spend.of_year(year)).filter(pl.col("supplier_key").is_not_null())
    if category is not None:
        rows = rows.filter(pl.col("category") == category)
    if supplier is not None:
        rows = rows.filter(pl.col("supplier_key") == supplier)
    per = _per_authority(rows, "supplier_key")
    overall = (
        rows.group_by("supplier_key")
        .agg(
            pl.col("supplier_name").mode().sort().first().alias("name"),
            pl.col("amount").sum().alias("amount"),
            pl.len().alias("transactions"),
            pl.col("category").unique().sort().alias("categories"),
        )
        .join(per, on="supplier_key")
    )
    if shared_only:
        overall = overall.filter(pl.col("authorities") >= SHARED)
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
        for r in overall.iter_rows(named=True)
    ]
    return sorted(lines, key=lambda line: (-line.amount, line.name, line.key))


def _per_authority(rows: pl.DataFrame, by: str) -> pl.DataFrame:
    """For each value of `by`: how many authorities, the largest one's share, the lowest and
    highest of their median payments, the most services one pays through, and small
    payments (all authorities)."""
    each = rows.group_by(by, "authority").agg(
        pl.col("amount").sum().alias("amount"),
        pl.col("amount").cast(pl.Float64).median().alias("median"),
        pl.col("service").drop_nulls().n_unique().alias("services"),
        (pl.col("amount").abs() < SMALL_PAYMENT).sum().alias("small"),
    )
    total = pl.col("amount").sum()
    return each.group_by(by).agg(
        pl.len().alias("authorities"),
        (pl.col("amount").max().cast(pl.Float64) / total.cast(pl.Float64)).alias("largest_share"),
        pl.col("median").min().alias("lowest_median"),
        pl.col("median").max().alias("highest_median"),
        pl.col("services").max().alias("most_services"),
        pl.col("small").sum().alias("small_payments"),
    )


def shares(
    spend: Spend, year: int | None, *, category: str | None = None, supplier: str | None = None
) -> list[Share]:
    """Each authority's part of a category's or a supplier's procurement spend."""
    rows = procurement(spend.of_year(year))
    if category is not None:
        rows = rows.filter(pl.col("category") == category)
    if supplier is not None:
        rows = rows.filter(pl.col("supplier_key") == supplier)
    return _shares(rows, spend.names)


def _shares(rows: pl.DataFrame, names: dict[str, str]) -> list[Share]:
    if rows.is_empty():
        return []
    each = rows.group_by("authority").agg(
        pl.col("amount").sum().alias("amount"),
        pl.len().alias("transactions"),
        pl.col("supplier_key").drop_nulls().n_unique().alias("suppliers"),
        pl.col("amount").cast(pl.Float64).median().alias("median"),
        pl.col("service").drop_nulls().n_unique().alias("services"),
        (pl.col("amount").abs() < SMALL_PAYMENT).sum().alias("small"),
        pl.col("date").is_null().sum().alias("totals"),
    )
    combined = total_of(rows)
    found = [
        Share(
            code=r["authority"],
            name=names.get(r["authority"], r["authority"]),
            amount=_exact(r["amount"]),
            transactions=r["transactions"],
            share=float(_exact(r["amount"]) / combined) if combined else 0.0,
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
) -> pl.DataFrame:
    """The procurement rows behind a figure, largest first, with where each came from."""
    rows = procurement(spend.of_year(year))
    for column, value in (("category", category), ("supplier_key", supplier),
                          ("authority", authority)):  # fmt: skip
        if value is not None:
            rows = rows.filter(pl.col(column) == value)
    return rows.sort(
        ["amount", "authority", "file_id", "row"], descending=[True, False, False, False]
    )


def totals(spend: Spend, year: int | None) -> tuple[Decimal, Decimal, Decimal]:
    """All current spend, the spend that buys something, and the uncategorised spend."""
    rows = spend.of_year(year)
    uncategorised = rows.filter(pl.col("category").is_null())
    return total_of(rows), total_of(procurement(rows)), total_of(uncategorised)


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
