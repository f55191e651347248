"""One assessment, end to end, as a pure function of frames and rules: positions among the
comparator group, service-area scores, star ratings with their reasons, direction of
travel, weak service areas, early warnings and the partnership's targets. The same frames
and rules give the same results, row for row (every frame is sorted before it is returned)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from .forecast import WarningMethod, early_warning
from .positions import positions, positions_among_peers, target_gaps
from .stars import StarResult, StarTable, rate, stored_rating
from .trends import position_change, trends

IMPROVING, WORSENING = "improving", "worsening"
QUARTILE_MOVE = 25.0  # percentile points: one quartile among the comparators


@dataclass(frozen=True)
class DirectionRule:
    label: str
    min_improving: float
    max_worsening: float


@dataclass(frozen=True)
class Rules:
    """What a methodology file says, as the engine needs it."""

    areas: Mapping[str, Mapping[str, float]]  # area -> indicator -> weight
    stars: StarTable
    score_bands: tuple[float, float, float] = (3.5, 2.5, 1.5)
    coverage: float = 0.5
    min_indicators: int = 2
    weak_score: int = 1
    recent: int = 5
    alpha: float = 0.1
    direction: tuple[DirectionRule, ...] = ()
    warning_window: int = 5
    warning_cutoff: float = 0.5
    warning_method: WarningMethod = field(default_factory=WarningMethod)
    min_stars: int = 2
    share_improving: float = 0.9
    indicator_targets: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Results:
    indicators: pl.DataFrame  # one row per authority and indicator, in its current period
    areas: pl.DataFrame  # one row per authority and service area
    ratings: pl.DataFrame  # one row per assessed authority
    warnings: pl.DataFrame  # the early-warning list, riskiest first
    targets: pl.DataFrame  # one row per partnership target

    def digest(self) -> str:
        """SHA-256 of every result, written out in a fixed order: equal digests mean
        byte-identical results. The targets' straight-line forecasts are not among them: they
        are fitted over the method's earlier runs when a run is stored, not from its inputs."""
        sha = hashlib.sha256()
        for name in ("indicators", "areas", "ratings", "warnings", "targets"):
            sha.update(name.encode())
            sha.update(getattr(self, name).write_csv().encode())
        return sha.hexdigest()


def weights_frame(rules: Rules, indicators: pl.DataFrame) -> pl.DataFrame:
    """Indicator, area and weight: an area without named weights counts every indicator of
    its service area that has a polarity, each with weight 1."""
    rows: list[tuple[str, str, float]] = []
    polarised = indicators.filter(pl.col("polarity") != 0)
    for area, named in sorted(rules.areas.items()):
        if named:
            rows += [(code, area, float(w)) for code, w in sorted(named.items())]
            continue
        codes = polarised.filter(pl.col("service_area") == area)["indicator"].sort()
        rows += [(code, area, 1.0) for code in codes]
    schema = {"indicator": pl.String, "area": pl.String, "weight": pl.Float64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def current_periods(obs: pl.DataFrame) -> pl.DataFrame:
    """Each indicator's current period: its latest period that at least half as many
    authorities report as its best-reported period, so that a first early return or two
    does not become the period everyone is judged on."""
    counts = (
        obs.filter(pl.col("value").is_not_null())
        .group_by("indicator", "period")
        .agg(pl.len().alias("reporting"), pl.col("t").max())
    )
    enough = counts.filter(pl.col("reporting") * 2 >= pl.col("reporting").max().over("indicator"))
    return (
        enough.sort("indicator", "t")
        .group_by("indicator", maintain_order=True)
        .agg(pl.col("period").last(), pl.col("t").last())
        .sort("indicator")
    )


def _persistently_bottom(ranked: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    """Bottom quartile in the current period and in the period before it."""
    upto = ranked.join(current.select("indicator", current_t="t"), on="indicator").filter(
        pl.col("t") <= pl.col("current_t"), pl.col("quartile").is_not_null()
    )
    last_two = upto.sort("t").group_by("authority", "indicator").tail(2)
    return last_two.group_by("authority", "indicator").agg(
        persistent_bottom=(pl.col("quartile") == 1).all() & (pl.len() == 2)
    )


def indicator_results(
    obs: pl.DataFrame,
    indicators: pl.DataFrame,
    weights: pl.DataFrame,
    rules: Rules,
    peers: pl.DataFrame | None = None,
) -> pl.DataFrame:
    scored = obs.join(weights.select("indicator").unique(), on="indicator")
    if peers is None:
        ranked = positions(scored, indicators)
    else:  # each authority among its own nearest neighbours
        ranked = ranked_among_peers(scored, indicators, weights, peers)
    current = current_periods(scored)
    now = ranked.join(current.select("indicator", "period"), on=["indicator", "period"])
    trend = trends(scored, indicators, recent=rules.recent, alpha=rules.alpha)
    moved = position_change(ranked.filter(pl.col("percentile").is_not_null()), rules.recent)
    targets = pl.DataFrame(
        sorted(rules.indicator_targets.items()),
        schema={"indicator": pl.String, "target": pl.Float64},
        orient="row",
    )
    now = target_gaps(now, indicators, targets)
    result = (
        now.select(
            "authority",
            "indicator",
            "period",
            "value",
            "target",
            "gap",
            "n",
            "rank",
            "percentile",
            "quartile",
            "robust_z",
        )
        .join(
            trend.select(
                "authority",
                "indicator",
                trend_n="n",
                slope="slope",
                p_value="p_value",
                trend="direction",
                evidence="evidence",
            ),
            on=["authority", "indicator"],
            how="left",
        )
        .join(
            moved.select("authority", "indicator", position_change="change"),
            on=["authority", "indicator"],
            how="left",
        )
        .join(_persistently_bottom(ranked, current), on=["authority", "indicator"], how="left")
    )
    up = (pl.col("trend") == IMPROVING) | (pl.col("position_change") >= QUARTILE_MOVE)
    down = (pl.col("trend") == WORSENING) | (pl.col("position_change") <= -QUARTILE_MOVE)
    judged = pl.col("trend_n").fill_null(0) >= 3
    return result.with_columns(
        improving=judged & up.fill_null(False) & ~down.fill_null(False),
        worsening=judged & down.fill_null(False) & ~up.fill_null(False),
        judged=judged,
        persistent_bottom=pl.col("persistent_bottom").fill_null(False),
    ).sort("authority", "indicator")


def ranked_among_peers(
    scored: pl.DataFrame, indicators: pl.DataFrame, weights: pl.DataFrame, peers: pl.DataFrame
) -> pl.DataFrame:
    """Positions among each authority's peers; where `peers` has an `area` column, a service
    area's indicators are ranked among the peers chosen for that area (children's services
    among neighbours alike in their children, say), and the rest among the area-less peers."""
    if "area" not in peers.columns:
        return positions_among_peers(scored, indicators, peers)
    area_of = weights.group_by("indicator").agg(pl.col("area").min())
    parts = []
    for area in sorted(set(area_of["area"].to_list())):
        own = peers.filter(pl.col("area") == area)
        chosen = own if own.height else peers.filter(pl.col("area") == "")
        codes = area_of.filter(pl.col("area") == area).select("indicator")
        parts.append(positions_among_peers(scored.join(codes, on="indicator"), indicators, chosen))
    return pl.concat(parts)


def band(mean_quartile: pl.Expr, bands: tuple[float, float, float]) -> pl.Expr:
    return (
        pl.when(mean_quartile >= bands[0])
        .then(4)
        .when(mean_quartile >= bands[1])
        .then(3)
        .when(mean_quartile >= bands[2])
        .then(2)
        .otherwise(1)
        .cast(pl.Int8)
    )


def area_scores(
    results: pl.DataFrame, weights: pl.DataFrame, assessed: Sequence[str], rules: Rules
) -> pl.DataFrame:
    """Score 1-4 per authority and area, or null (insufficient data) below the coverage."""
    reported = results.filter(pl.col("n").fill_null(0) >= 2).select("indicator").unique()
    possible = (
        weights.join(reported, on="indicator").group_by("area").agg(possible=pl.col("weight").sum())
    )
    grid = pl.DataFrame({"authority": sorted(assessed)}).join(
        pl.DataFrame({"area": sorted(rules.areas)}), how="cross"
    )
    per = (
        results.filter(pl.col("quartile").is_not_null())
        .join(weights, on="indicator")
        .group_by("authority", "area")
        .agg(
            indicators=pl.len(),
            weight=pl.col("weight").sum(),
            mean_quartile=(pl.col("quartile") * pl.col("weight")).sum() / pl.col("weight").sum(),
            bottom=pl.col("persistent_bottom").sum(),
        )
    )
    frame = grid.join(per, on=["authority", "area"], how="left").join(
        possible, on="area", how="left"
    )
    coverage = (pl.col("weight") / pl.col("possible")).fill_null(0.0)
    enough = (coverage >= rules.coverage) & (
        pl.col("indicators").fill_null(0) >= rules.min_indicators
    )
    score = pl.when(enough).then(band(pl.col("mean_quartile"), rules.score_bands))
    frame = frame.with_columns(
        indicators=pl.col("indicators").fill_null(0),
        coverage=coverage,
        score=score,
        bottom=pl.col("bottom").fill_null(0),
    )
    low = pl.col("score").is_not_null() & (pl.col("score") <= rules.weak_score)
    stuck = (pl.col("bottom") * 2 >= pl.col("indicators")) & (pl.col("indicators") > 0)
    reason = (
        pl.when(low)
        .then(pl.lit("low score"))
        .when(stuck)
        .then(pl.lit("bottom quartile two periods running"))
    )
    return frame.with_columns(weak=low | stuck, weak_reason=reason).sort("authority", "area")


def direction_of_travel(
    results: pl.DataFrame, assessed: Sequence[str], rules: Rules
) -> pl.DataFrame:
    judged = (
        results.filter(pl.col("judged"))
        .group_by("authority")
        .agg(
            judged=pl.len(),
            improving=pl.col("improving").sum(),
            worsening=pl.col("worsening").sum(),
        )
    )
    frame = (
        pl.DataFrame({"authority": sorted(assessed)})
        .join(judged, on="authority", how="left")
        .with_columns(pl.col("judged", "improving", "worsening").fill_null(0))
        .with_columns(
            improving_share=pl.when(pl.col("judged") > 0).then(
                pl.col("improving") / pl.col("judged")
            ),
            worsening_share=pl.when(pl.col("judged") > 0).then(
                pl.col("worsening") / pl.col("judged")
            ),
        )
    )
    label = pl.lit(None, dtype=pl.String)
    for rule in reversed(rules.direction):
        meets = (pl.col("improving_share") >= rule.min_improving) & (
            pl.col("worsening_share") <= rule.max_worsening
        )
        label = pl.when(meets).then(pl.lit(rule.label)).otherwise(label)
    return frame.with_columns(direction=label).sort("authority")


def _star_json(result: StarResult) -> dict[str, str]:
    """The rule that fired, and the rating's why as a run stores it, each part as JSON."""
    return {
        "rule_id": result.rule.id if result.rule else "",
        "rule_text": result.rule.text if result.rule else "",
        "inferred": json.dumps(bool(result.rule and result.rule.inferred)),
        **{key: json.dumps(value, sort_keys=True) for key, value in stored_rating(result).items()},
    }


def star_ratings(
    areas: pl.DataFrame,
    assessed: Sequence[str],
    judgements: Mapping[str, Mapping[str, int | None]],
    rules: Rules,
) -> pl.DataFrame:
    rows = []
    by_authority = areas.partition_by("authority", as_dict=True)
    for code in sorted(assessed):
        frame = by_authority.get((code,), areas.clear())
        scores = {
            a: (int(s) if s is not None else None) for a, s in frame.select("area", "score").rows()
        }
        result = rate(rules.stars, judgements.get(code, {}), scores)
        weak = frame.filter(pl.col("weak"))["area"].to_list()
        rows.append(
            {
                "authority": code,
                "stars": result.stars,
                "weak_areas": json.dumps(weak),
                **_star_json(result),
            }
        )
    return pl.DataFrame(rows, schema_overrides={"stars": pl.Int8}).sort("authority")


def early_warnings(
    obs: pl.DataFrame,
    indicators: pl.DataFrame,
    weights: pl.DataFrame,
    assessed: Sequence[str],
    rules: Rules,
) -> pl.DataFrame:
    scored = obs.join(weights.select("indicator").unique(), on="indicator")
    targets = pl.DataFrame(
        sorted(rules.indicator_targets.items()),
        schema={"indicator": pl.String, "target": pl.Float64},
        orient="row",
    )
    found = early_warning(
        scored,
        indicators,
        rules.warning_method,
        window=rules.warning_window,
        targets=targets if len(targets) else None,
    )
    return (
        found.filter(
            pl.col("authority").is_in(list(assessed)), pl.col("risk") >= rules.warning_cutoff
        )
        .select(
            "authority",
            "indicator",
            "last_value",
            "forecast",
            "lower",
            "upper",
            "method",
            "bottom_quartile",
            "p_bottom_quartile",
            "p_miss_target",
            "risk",
        )
        .sort(["risk", "authority", "indicator"], descending=[True, False, False])
    )


def indicator_targets(results: pl.DataFrame, rules: Rules) -> list[dict[str, object]]:
    """Each indicator target the office sets: the share of the assessed authorities with a
    current value that meet it, and those that do not."""
    rows: list[dict[str, object]] = []
    for code, target in sorted(rules.indicator_targets.items()):
        valued = results.filter(pl.col("indicator") == code, pl.col("gap").is_not_null())
        short = valued.filter(pl.col("gap") < 0)["authority"].sort().to_list()
        rows.append(
            {
                "target": f"{code} at {target:g} or better",
                "value": (valued.height - len(short)) / valued.height if valued.height else None,
                "goal": 1.0,
                "counted": valued.height,
                "holding_back": json.dumps(short),
            }
        )
    return rows


def partnership_targets(
    ratings: pl.DataFrame, rules: Rules, results: pl.DataFrame | None = None
) -> pl.DataFrame:
    rated = ratings.filter(pl.col("stars").is_not_null())
    short = rated.filter(pl.col("stars") < rules.min_stars)["authority"].to_list()
    directed = ratings.filter(pl.col("direction").is_not_null())
    improving_labels = {r.label for r in rules.direction[:-1]}
    behind = directed.filter(~pl.col("direction").is_in(list(improving_labels)))["authority"]
    stars_value = (len(rated) - len(short)) / len(rated) if len(rated) else None
    improving_value = (len(directed) - len(behind)) / len(directed) if len(directed) else None
    rows: list[dict[str, object]] = [
        {
            "target": f"every member at least {rules.min_stars} stars",
            "value": stars_value,
            "goal": 1.0,
            "counted": len(rated),
            "holding_back": json.dumps(sorted(short)),
        },
        {
            "target": f"at least {rules.share_improving:.0%} of members improving",
            "value": improving_value,
            "goal": rules.share_improving,
            "counted": len(directed),
            "holding_back": json.dumps(sorted(behind.to_list())),
        },
    ]
    if results is not None:
        rows += indicator_targets(results, rules)
    frame = pl.DataFrame(rows, schema_overrides={"value": pl.Float64})
    return frame.with_columns(met=pl.col("value") >= pl.col("goal"))


def assess(
    obs: pl.DataFrame,
    indicators: pl.DataFrame,
    group: Sequence[str],
    assessed: Sequence[str],
    rules: Rules,
    judgements: Mapping[str, Mapping[str, int | None]] | None = None,
    peers: pl.DataFrame | None = None,
) -> Results:
    """`obs` holds every period up to the assessment's; `group` the comparator authorities
    (positions are among them) or, with `peers` (`focus`, `peer`), each assessed authority
    is placed among its own peers instead; `assessed` the authorities rated."""
    if peers is not None:
        group = sorted({*assessed, *peers["peer"].to_list()})
    among = obs.filter(pl.col("authority").is_in(list(group)))
    weights = weights_frame(rules, indicators)
    results = indicator_results(among, indicators, weights, rules, peers)
    assessed_results = results.filter(pl.col("authority").is_in(list(assessed)))
    areas = area_scores(assessed_results, weights, assessed, rules)
    ratings = star_ratings(areas, assessed, judgements or {}, rules).join(
        direction_of_travel(results, assessed, rules), on="authority", how="left"
    )
    return Results(
        indicators=assessed_results,
        areas=areas,
        ratings=ratings.sort("authority"),
        warnings=early_warnings(among, indicators, weights, assessed, rules),
        targets=partnership_targets(ratings, rules, assessed_results),
    )
