"""Read the store into the engine's frames (see `engine/__init__.py` for their columns).
This is the one place the assessment reads observations: published latest revisions only,
so that nothing a council keeps restricted can move a rating anyone may see."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

import polars as pl
from django.db import connection
from django.utils import timezone

from ambition.indicators.models import Indicator, Observation, Period
from ambition.indicators.periods import decimal_year
from ambition.registry.models import Authority

POLARITY_SIGN = {"higher": 1, "lower": -1, "": 0}


def observation_frame(
    indicators: Iterable[str] | None = None,
    authorities: Iterable[str] | None = None,
    on: datetime.date | None = None,
    until: datetime.date | None = None,
) -> pl.DataFrame:
    """Latest published revision of every observation, optionally for some indicators or
    authorities, or periods ending on or before `until`, as `authority, indicator, period,
    t, value, lower, upper`. The big query reads ids only; codes, labels and times come
    from the small tables, joined in Polars (hundreds of thousands of strings and dates
    are slow to make one by one)."""
    qs = Observation.public_objects.latest_revision().published(on)
    if until is not None:
        qs = qs.filter(period__end__lte=until)
    if indicators is not None:
        qs = qs.filter(indicator__code__in=list(indicators))
    if authorities is not None:
        qs = qs.filter(authority__code__in=list(authorities))
    sql, params = qs.values_list(*ID_COLUMNS, *VALUE_COLUMNS).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    schema = {**dict.fromkeys(ID_COLUMNS, pl.Int64), **dict.fromkeys(VALUE_COLUMNS, pl.Float64)}
    # A NaN is no value (an old import or a hand edit may have left one): null, as missing.
    frame = pl.DataFrame(rows, schema=schema, orient="row").with_columns(
        pl.col(*VALUE_COLUMNS).fill_nan(None)
    )
    return (
        frame.join(_codes(Authority, "authority"), on="authority_id")
        .join(_codes(Indicator, "indicator"), on="indicator_id")
        .join(_periods(), on="period_id")
        .select("authority", "indicator", "period", "t", *VALUE_COLUMNS)
    )


ID_COLUMNS = ("authority_id", "indicator_id", "period_id")
# The source's confidence interval, where it gives one: a trend's significance then comes
# from whether the intervals at the two ends overlap.
VALUE_COLUMNS = ("value", "lower", "upper")


def _codes(model: type[Authority] | type[Indicator], name: str) -> pl.DataFrame:
    rows = list(model.objects.values_list("id", "code"))
    return pl.DataFrame(rows, schema={f"{name}_id": pl.Int64, name: pl.String}, orient="row")


def _periods() -> pl.DataFrame:
    rows = [
        (pk, label, decimal_year(end))
        for pk, label, end in Period.objects.values_list("id", "label", "end")
    ]
    return pl.DataFrame(
        rows, schema={"period_id": pl.Int64, "period": pl.String, "t": pl.Float64}, orient="row"
    )


def indicator_frame(
    codes: Iterable[str] | None = None, stated: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """Every indicator's polarity sign and service area. The sign is the source's polarity;
    where the source states none, the one a methodology states (`stated`: code -> "higher"
    or "lower"). A statement that contradicts the source's own polarity is refused: a method
    may fill a gap, never overrule the publisher."""
    qs = Indicator.objects.all()
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    rows = list(qs.values_list("code", "polarity", "service_area__code"))
    stated = stated or {}
    return pl.DataFrame(
        [
            (code, POLARITY_SIGN[polarity_of(code, source, stated)], area)
            for code, source, area in rows
        ],
        schema={"indicator": pl.String, "polarity": pl.Int8, "service_area": pl.String},
        orient="row",
    )


class PolarityConflict(ValueError):
    """A methodology states a polarity that the indicator's source contradicts."""


def polarity_of(code: str, source: str, stated: Mapping[str, str]) -> str:
    """The polarity an assessment uses: the source's, else the method's statement, else ""."""
    said = stated.get(code, "")
    if source and said and said != source:
        raise PolarityConflict(
            f"{code}: the method states {said} is better, but its source says {source}"
        )
    return source or said


def today() -> datetime.date:
    return timezone.localdate()
