"""Making an assessment run: read the store into frames, run the engine, and keep the
results with everything needed to reproduce them (method file and hash, data fingerprint,
code version, judgements used, who and when). A run is written once and never changed."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import subprocess
import time
from collections.abc import Callable
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import polars as pl
from django.db import connection, models, transaction

from ambition.indicators.models import Indicator, ServiceArea
from ambition.registry.models import Authority

from .engine.run import Results, assess
from .frames import indicator_frame, observation_frame
from .groups import computed
from .methodology import Methodology, load
from .models import (
    AssessmentRun,
    Judgement,
    RunArea,
    RunIndicator,
    RunRating,
    RunTarget,
    RunWarning,
)
from .profiles import load_method
from .scorecards import AREA_OUTPUTS, INDICATOR_OUTPUTS, RATING_OUTPUTS, WARNING_OUTPUTS
from .trajectories import stored_forecasts

SCOPES = ("members", "england")
Progress = Callable[[str], None]


@cache
def code_version() -> str:
    """The package version and, in a git checkout, the commit it ran from."""
    try:
        release = version("ambition")
    except PackageNotFoundError:
        release = "unknown"
    root = Path(__file__).resolve().parents[3]
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return release
    return f"{release}+{commit}"


def member_codes(on: datetime.date | None = None) -> list[str]:
    """The partnership's members on the day (today unless given): a run counts those of
    its as_of date."""
    return sorted(Authority.objects.members(on=on).values_list("code", flat=True))


def council_codes(obs: pl.DataFrame) -> list[str]:
    """Every council (not England, a region or part of London) that has data."""
    councils = set(Authority.objects.councils().values_list("code", flat=True))
    return sorted(set(obs["authority"].unique().to_list()) & councils)


def fingerprint(obs: pl.DataFrame) -> str:
    """SHA-256 of the observations written as CSV in a fixed order. The CSV is hashed as the
    bytes it is written as: the same digest as hashing its text, without a national run's
    tens of megabytes being decoded to text and encoded back."""
    written = io.BytesIO()
    obs.sort("indicator", "authority", "t", "period").write_csv(written)
    return hashlib.sha256(written.getbuffer()).hexdigest()


def judgements_for(method: Methodology, at: datetime.datetime | None = None) -> list[Judgement]:
    """The latest judgement of each kind for each authority, as entered by `at`."""
    qs = Judgement.objects.filter(method=method.name, key__in=method.judgement_keys)
    if at is not None:
        qs = qs.filter(entered_at__lte=at)
    latest: dict[tuple[int, str], Judgement] = {}
    for judgement in qs.select_related("authority", "entered_by").order_by("-entered_at", "-id"):
        latest.setdefault((judgement.authority_id, judgement.key), judgement)
    return sorted(latest.values(), key=lambda j: (j.authority.code, j.key))


def parse_as_of(text: str | None) -> datetime.date:
    """A year (its last day), an ISO date, or nothing (today)."""
    if not text:
        return datetime.date.today()
    if text.isdigit() and len(text) == 4:
        return datetime.date(int(text), 12, 31)
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"{text!r} is not a year (2023) or a date (2023-03-31)") from error


def make_run(
    method_name: str,
    as_of: datetime.date,
    user: Any = None,
    via: str = "command",
    scope: str = "members",
    progress: Progress | None = None,
    reuse: bool = False,
) -> AssessmentRun:
    """A new run; with `reuse`, an existing run of the same method file, data, period and
    scope is returned instead of making its twin (the demo's yearly history uses this)."""
    tell = progress or (lambda _: None)
    started = time.perf_counter()
    method = load(method_name)
    tell("Reading observations")
    obs = observation_frame(until=as_of)
    if reuse and (twin := _twin(method, as_of, scope, fingerprint(obs))):
        return twin
    indicators = indicator_frame(stated=method.stated_polarity)
    members = member_codes(as_of)
    group = members if method.group == "members" else council_codes(obs)
    assessed = members if scope == "members" else council_codes(obs)
    peers = neighbour_peers(assessed, method) if method.group == "nearest-neighbours" else None
    judgements = judgements_for(method)
    scores: dict[str, dict[str, int | None]] = {}
    for j in judgements:
        scores.setdefault(j.authority.code, {})[j.key] = j.score
    tell("Assessing")
    results = assess(obs, indicators, group, assessed, method.rules(), scores, peers)
    tell("Storing the results")
    return _store(method, as_of, obs, results, judgements, user, via, scope, started)


def neighbour_peers(assessed: list[str], method: Methodology) -> pl.DataFrame:
    """Each assessed authority's k nearest neighbours among the English councils of its
    tier (data/methodologies/neighbours.toml): for each service area from the variable set
    that area names as its own, else from the methodology's set (area "")."""
    neighbours = load_method()
    general = neighbours.variable_set(method.variable_set or None)
    chosen = {"": general} | {
        a.code: neighbours.set_for_area(a.code)
        for a in method.areas
        if neighbours.set_for_area(a.code).key != neighbours.default_set
    }
    frames = [
        computed(neighbours, variables, tier, "england")
        .filter(pl.col("focus").is_in(assessed), pl.col("rank") <= method.k)
        .select("focus", "peer", area=pl.lit(area))
        for area, variables in chosen.items()
        for tier in neighbours.tiers.values()
        if variables.applies_to(tier)
    ]
    return pl.concat(frames).sort("area", "focus", "peer")


def _twin(method: Methodology, as_of: datetime.date, scope: str, data: str) -> AssessmentRun | None:
    """The last run made of the same method file, date, scope and data: the same results."""
    return AssessmentRun.objects.made_from(method.sha256, as_of, scope, data).newest_first().first()


def history_dates(first_year: int, today: datetime.date) -> list[datetime.date]:
    """The last day of every year from `first_year` to last year, then today."""
    return [datetime.date(y, 12, 31) for y in range(first_year, today.year)] + [today]


@transaction.atomic
def _store(
    method: Methodology,
    as_of: datetime.date,
    obs: pl.DataFrame,
    results: Results,
    judgements: list[Judgement],
    user: Any,
    via: str,
    scope: str,
    started: float,
) -> AssessmentRun:
    run = AssessmentRun.objects.create(
        method=method.name,
        method_version=method.version,
        method_sha256=method.sha256,
        method_text=method.full_text,
        as_of=as_of,
        group=method.group,
        scope=scope,
        data_fingerprint=fingerprint(obs),
        results_sha256=results.digest(),
        observations=obs.height,
        judgements_used=[_judgement_record(j) for j in judgements],
        code_version=code_version(),
        created_by=user if getattr(user, "is_authenticated", False) else None,
        via=via,
        seconds=round(time.perf_counter() - started, 3),
    )
    ids = Ids()
    _store_indicators(run, results, ids)
    _store_areas(run, results, ids)
    RunRating.objects.bulk_create(_rating_rows(run, results, ids), batch_size=2000)
    _store_warnings(run, results, ids)
    RunTarget.objects.bulk_create(_target_rows(run, results))
    return run


def _judgement_record(j: Judgement) -> dict[str, Any]:
    return {
        "authority": j.authority.code,
        "key": j.key,
        "score": j.score,
        "reason": j.reason,
        "entered_by": j.entered_by.get_username() if j.entered_by else "",
        "entered_at": j.entered_at.isoformat(),
    }


class Ids:
    """Codes to row ids, read once per run."""

    def __init__(self) -> None:
        self.authority = dict(Authority.objects.values_list("code", "id"))
        self.indicator = dict(Indicator.objects.values_list("code", "id"))
        self.area = dict(ServiceArea.objects.values_list("code", "id"))


def _with_ids(frame: pl.DataFrame, ids: Ids, run: AssessmentRun) -> pl.DataFrame:
    """Codes swapped for the rows' ids (of the authority, indicator and service area columns
    the frame has), and the run's id added."""
    codes = (("authority", ids.authority), ("indicator", ids.indicator), ("area", ids.area))
    for name, mapping in ((n, m) for n, m in codes if n in frame.columns):
        lookup = pl.DataFrame(
            {name: list(mapping), f"{name}_id": list(mapping.values())},
            schema={name: pl.String, f"{name}_id": pl.Int64},
        )
        frame = frame.join(lookup, on=name, how="left")
    return frame.with_columns(run_id=pl.lit(run.pk, dtype=pl.Int64))


def _insert(model: type[models.Model], frame: pl.DataFrame) -> None:
    """Rows straight into the table: tens of thousands of results would spend seconds
    becoming model instances first. They belong to a run that was saved (and audited)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in frame.columns)
    marks = ", ".join(["%s"] * frame.width)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for start in range(0, frame.height, INSERT_ROWS):
            cursor.executemany(sql, frame.slice(start, INSERT_ROWS).rows())


INSERT_ROWS = 20_000


def _defaults(model: type[models.Model], names: tuple[str, ...]) -> list[pl.Expr]:
    """The columns `names` as the model keeps them, as `_stored` does row by row: a missing
    value where the field takes no null is the field's default (no trend: "")."""
    fields = (model._meta.get_field(name) for name in names)
    kept = ((f.name, f.get_default()) for f in fields if not f.null)
    return [pl.col(name).fill_null(default) for name, default in kept if default is not None]


def _store_indicators(run: AssessmentRun, results: Results, ids: Ids) -> None:
    frame = _with_ids(results.indicators, ids, run).with_columns(
        _defaults(RunIndicator, INDICATOR_OUTPUTS)
    )
    _insert(
        RunIndicator, frame.select("run_id", "authority_id", "indicator_id", *INDICATOR_OUTPUTS)
    )


def _store_areas(run: AssessmentRun, results: Results, ids: Ids) -> None:
    frame = _with_ids(results.areas, ids, run).with_columns(_defaults(RunArea, AREA_OUTPUTS))
    _insert(RunArea, frame.select("run_id", "authority_id", "area_id", *AREA_OUTPUTS))


def _store_warnings(run: AssessmentRun, results: Results, ids: Ids) -> None:
    frame = _with_ids(results.warnings.with_row_index("position", offset=1), ids, run)
    frame = frame.with_columns(pl.col("position").cast(pl.Int64))
    _insert(RunWarning, frame.select("run_id", "authority_id", "indicator_id", *WARNING_OUTPUTS))


def _stored(
    model: type[models.Model], names: tuple[str, ...], row: dict[str, Any]
) -> dict[str, Any]:
    """The engine's values as the model keeps them: text that the engine wrote as JSON
    (lists, and a rule's `inferred`) is read back, and a missing value where the field takes
    no null is the field's default (no reason: "", no indicators judged: 0)."""
    found = {}
    for name in names:
        field, value = model._meta.get_field(name), row[name]
        if isinstance(value, str) and not isinstance(field, (models.CharField, models.TextField)):
            value = json.loads(value)
        found[name] = field.get_default() if value is None and not field.null else value
    return found


def _rating_rows(run: AssessmentRun, results: Results, ids: Ids) -> list[RunRating]:
    return [
        RunRating(
            run=run,
            authority_id=ids.authority[r["authority"]],
            **_stored(RunRating, RATING_OUTPUTS, r),
        )
        for r in results.ratings.iter_rows(named=True)
    ]


def _target_rows(run: AssessmentRun, results: Results) -> list[RunTarget]:
    rows = dict(enumerate(results.targets.iter_rows(named=True), start=1))
    forecasts = stored_forecasts(run, {i: r["value"] for i, r in rows.items()})
    return [
        RunTarget(
            run=run,
            position=i,
            target=r["target"],
            value=r["value"],
            goal=r["goal"],
            counted=r["counted"],
            met=r["met"],
            holding_back=json.loads(r["holding_back"]),
            **forecasts[i],
        )
        for i, r in rows.items()
    ]
