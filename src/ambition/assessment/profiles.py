"""The nearest-neighbour methodology (`data/methodologies/neighbours.toml`) and the profile
frame it is computed from: which variables, with what weights, from where, and which
authorities are compared with which (the tiers)."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.conf import settings

from ambition.registry.models import Authority, ProfileFigure

from .frames import observation_frame

SOURCES = ("profile", "indicator")
TRANSFORMS = ("", "log")


@dataclass(frozen=True)
class Variable:
    key: str
    label: str
    source: str
    weight: float
    transform: str = ""
    why: str = ""

    @property
    def origin(self) -> tuple[str, str]:
        """('profile', figure key) or ('indicator', indicator code)."""
        kind, _, name = self.source.partition(":")
        return kind, name


@dataclass(frozen=True)
class Tier:
    key: str
    name: str
    description: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class VariableSet:
    key: str
    name: str
    description: str
    variables: tuple[Variable, ...]
    service_areas: tuple[str, ...] = ()
    min_shared: float = 0.5
    tiers: tuple[str, ...] = ()

    def applies_to(self, tier: Tier) -> bool:
        """A set names the tiers it is for (children's services: upper tier); none, all."""
        return not self.tiers or tier.key in self.tiers

    @property
    def weights(self) -> dict[str, float]:
        return {v.key: v.weight for v in self.variables}


@dataclass(frozen=True)
class NeighbourMethod:
    """The methodology file, as read: a run of neighbours records its version and hash."""

    version: str
    sha256: str
    k: int
    default_set: str
    sets: dict[str, VariableSet]
    tiers: dict[str, Tier]

    def variable_set(self, key: str | None = None) -> VariableSet:
        """The named set (KeyError when there is none), or the default."""
        return self.sets[key or self.default_set]

    def set_for_area(self, service_area: str) -> VariableSet:
        """The set a service area names as its own, else the default."""
        for candidate in self.sets.values():
            if service_area in candidate.service_areas:
                return candidate
        return self.sets[self.default_set]

    def tier_of(self, kind: str) -> Tier | None:
        return next((t for t in self.tiers.values() if kind in t.kinds), None)


class MethodError(ValueError):
    """The methodology file names something that cannot be read."""


def method_path() -> Path:
    return Path(settings.DATA_DIR) / "methodologies" / "neighbours.toml"


def load_method(path: Path | None = None) -> NeighbourMethod:
    raw = (path or method_path()).read_bytes()
    spec = tomllib.loads(raw.decode("utf-8"))
    sets = {key: _variable_set(key, body) for key, body in spec["sets"].items()}
    tiers = {
        key: Tier(key, body["name"], body.get("description", ""), tuple(body["kinds"]))
        for key, body in spec["tiers"].items()
    }
    if spec["default_set"] not in sets:
        raise MethodError(f"default_set {spec['default_set']!r} is not a set")
    return NeighbourMethod(
        version=str(spec["version"]),
        sha256=hashlib.sha256(raw).hexdigest(),
        k=int(spec.get("k", 15)),
        default_set=spec["default_set"],
        sets=sets,
        tiers=tiers,
    )


def _variable_set(key: str, body: dict[str, object]) -> VariableSet:
    variables = tuple(_variable(v) for v in body["variables"])  # type: ignore[attr-defined]
    return VariableSet(
        key=key,
        name=str(body["name"]),
        description=str(body.get("description", "")),
        variables=variables,
        service_areas=tuple(body.get("service_areas", ())),  # type: ignore[arg-type]
        min_shared=float(body.get("min_shared", 0.5)),  # type: ignore[arg-type]
        tiers=tuple(body.get("tiers", ())),  # type: ignore[arg-type]
    )


def _variable(body: dict[str, object]) -> Variable:
    variable = Variable(
        key=str(body["key"]),
        label=str(body["label"]),
        source=str(body["source"]),
        weight=float(body.get("weight", 1.0)),  # type: ignore[arg-type]
        transform=str(body.get("transform", "")),
        why=str(body.get("why", "")),
    )
    if variable.origin[0] not in SOURCES or not variable.origin[1]:
        raise MethodError(f"{variable.key}: source must be one of {SOURCES} with a name")
    if variable.transform not in TRANSFORMS or variable.weight < 0:
        raise MethodError(f"{variable.key}: transform must be one of {TRANSFORMS}, weight >= 0")
    return variable


def profile_frame(variable_set: VariableSet) -> pl.DataFrame:
    """`authority, variable, value` for every authority holding any of the set's
    variables, transformed as the set says; missing figures are simply absent."""
    parts = [_profile_figures(variable_set.variables), _indicator_values(variable_set.variables)]
    frame = pl.concat(parts)
    transforms = {v.key: v.transform for v in variable_set.variables}
    logged = pl.col("variable").replace_strict(transforms, default="") == "log"
    return frame.with_columns(
        value=pl.when(logged & (pl.col("value") <= 0))
        .then(None)
        .when(logged)
        .then(pl.col("value").log())
        .otherwise(pl.col("value"))
    ).sort("authority", "variable")


PROFILE_SCHEMA = {"authority": pl.String, "variable": pl.String, "value": pl.Float64}


def _profile_figures(variables: Iterable[Variable]) -> pl.DataFrame:
    by_figure = {v.origin[1]: v.key for v in variables if v.origin[0] == "profile"}
    rows = ProfileFigure.objects.filter(key__in=by_figure, value__isnull=False).values_list(
        "authority__code", "key", "value"
    )
    return pl.DataFrame(
        [(code, by_figure[key], value) for code, key, value in rows],
        schema=PROFILE_SCHEMA,
        orient="row",
    )


def _indicator_values(variables: Iterable[Variable]) -> pl.DataFrame:
    by_code = {v.origin[1]: v.key for v in variables if v.origin[0] == "indicator"}
    if not by_code:
        return pl.DataFrame(schema=PROFILE_SCHEMA)
    latest = latest_values(observation_frame(indicators=by_code))
    return latest.select(
        "authority",
        variable=pl.col("indicator").replace_strict(by_code),
        value="value",
    )


def latest_values(observations: pl.DataFrame, coverage: float = 0.5) -> pl.DataFrame:
    """Each indicator's values in its latest period that at least `coverage` of the
    authorities it has ever covered report, so that one early return does not leave
    everyone else missing, and no authority is compared on an older year than another."""
    known = observations.filter(pl.col("value").is_not_null())
    reach = known.group_by("indicator").agg(everyone=pl.col("authority").n_unique())
    counts = known.group_by("indicator", "t").agg(n=pl.col("authority").n_unique())
    chosen = (
        counts.join(reach, on="indicator")
        .filter(pl.col("n") >= coverage * pl.col("everyone"))
        .group_by("indicator")
        .agg(pl.col("t").max())
    )
    return known.join(chosen, on=["indicator", "t"]).select(
        "authority", "indicator", "period", "value"
    )


def tier_codes(tier: Tier) -> list[str]:
    """Every current English council of the tier's kinds: the pool it is compared in."""
    qs = Authority.objects.current().of_kind(*tier.kinds).filter(code__startswith="E")
    return sorted(qs.values_list("code", flat=True))


def member_codes(tier: Tier) -> list[str]:
    """The partnership's members of the tier's kinds, today."""
    qs = Authority.objects.members().of_kind(*tier.kinds)
    return sorted(qs.values_list("code", flat=True))
