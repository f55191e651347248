"""The backtest's frames read straight from the shipped data files, without the database:
the LAIT observations (`data/observations/lait.csv.gz`), their catalogue
(`data/indicators/catalogue.csv`) and the comparator groups (every English council: the
register's authorities that are not aggregates in `data/registry/aggregate_areas.csv`; or
the partnership's members in `data/partnerships/`). The frames have the columns and the
decimal years that `assessment.frames` reads from the store, so the test that the shipped
methods use the backtest's pick, and the benchmark, need no import first."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import polars as pl

from ambition.indicators.periods import PeriodError, YearBasis, decimal_year, parse_period

POLARITY_SIGN = {"higher": 1, "lower": -1}
LAIT_PREFIX = "lait-"


def shipped_indicators(data_dir: Path, prefix: str = LAIT_PREFIX) -> pl.DataFrame:
    """`indicator, polarity, service_area, year_basis` of the catalogue's codes with `prefix`."""
    catalogue = pl.read_csv(data_dir / "indicators" / "catalogue.csv", infer_schema=False)
    return catalogue.filter(pl.col("code").str.starts_with(prefix)).select(
        indicator="code",
        polarity=pl.col("polarity").replace_strict(POLARITY_SIGN, default=0).cast(pl.Int8),
        service_area="service_area",
        year_basis="year_basis",
    )


@cache
def _period_end_t(label: str, basis: str) -> float | None:
    """Decimal year of the period's last day, as `assessment.frames` computes it from the
    store's periods (31 December 2020 is 2021.0, 31 March 2020 is 2020.25); None for a
    label that is no period (the importer refuses those rows too)."""
    try:
        end = parse_period(label, YearBasis(basis)).end
    except PeriodError:
        return None
    return decimal_year(end)


def shipped_observations(
    path: Path, indicators: pl.DataFrame, authorities: list[str]
) -> pl.DataFrame:
    """`authority, indicator, period, t, value` of the observations file for these
    authorities and indicators."""
    raw = pl.read_csv(
        path,
        columns=["authority", "indicator", "period", "value"],
        infer_schema=False,
    ).with_columns(value=pl.col("value").cast(pl.Float64, strict=False))  # "-": not published
    frame = raw.join(indicators.select("indicator", "year_basis"), on="indicator").filter(
        pl.col("authority").is_in(authorities)
    )
    labels = frame.select("period", "year_basis").unique()
    ends = labels.with_columns(
        t=pl.Series([_period_end_t(p, b) for p, b in labels.iter_rows()], dtype=pl.Float64)
    )
    return frame.join(ends.drop_nulls("t"), on=["period", "year_basis"]).select(
        "authority", "indicator", "period", "t", "value"
    )


def english_councils(data_dir: Path, observations: pl.DataFrame) -> list[str]:
    """The English councils among the authorities in `observations`: not an aggregate (a
    region, England, Inner or Outer London) and an English code."""
    aggregates = pl.read_csv(data_dir / "registry" / "aggregate_areas.csv")["gss_code"]
    codes = observations["authority"].unique()
    return sorted(c for c in codes if c.startswith("E") and c not in set(aggregates))


def partnership_members(data_dir: Path) -> list[str]:
    """Every member of every shipped partnership (there is one: Capital Ambition)."""
    members: set[str] = set()
    for path in sorted((data_dir / "partnerships").glob("*.toml")):
        members |= set(tomllib.loads(path.read_text("utf-8"))["members"]["codes"])
    return sorted(members)


def shipped_frames(
    data_dir: Path,
    group: str = "england",
    prefix: str = LAIT_PREFIX,
    observations: Path | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(observations, indicators) of the shipped LAIT data for `group` ("england" or
    "members"), ready for `backtest`; `observations` another file in the same layout (the
    benchmark's whole LAIT big data set, with its indicators in `data_dir`'s catalogue)."""
    path = observations or data_dir / "observations" / "lait.csv.gz"
    indicators = shipped_indicators(data_dir, prefix)
    everyone = pl.read_csv(path, columns=["authority"], infer_schema=False).unique()
    codes = (
        english_councils(data_dir, everyone)
        if group == "england"
        else partnership_members(data_dir)
    )
    obs = shipped_observations(path, indicators, codes)
    return obs, indicators.drop("year_basis")
