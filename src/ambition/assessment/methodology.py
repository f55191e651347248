"""A methodology is data: a versioned TOML file in `data/methodologies/` that says which
indicators count in which service area and with what weight, the comparator group, how
positions become scores, the coverage a score needs, the star table, the direction-of-travel
thresholds and the partnership's targets. A run records the file's SHA-256 and its text."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse

from ambition.indicators.polarity import Statement

from .engine.stars import StarTable, load_table

if TYPE_CHECKING:
    from .engine.forecast import WarningMethod
    from .engine.run import DirectionRule, Rules

# The engine (Polars, NumPy, SciPy) is imported where a method is first read or run, not
# here: apps import this module when they start (models, polarity statements), and every
# command would otherwise pay, at start-up, for maths it may never do.

GROUPS = ("members", "england", "nearest-neighbours")
# The methodology the pages show, and that every judgement outside an assessment run (a
# grant's impact, a local area agreement's progress) reads its polarity and forecast from.
DEFAULT_METHOD = "ambition-default"
STARS_MARK = "\n# ---- "  # joins a method file and its star table in the text a run keeps


class MethodologyError(ValueError):
    """A methodology file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class AreaSpec:
    code: str
    weights: dict[str, float]  # indicator code -> weight; empty: every polarised indicator, 1
    level: str = ""


@dataclass(frozen=True)
class Methodology:
    name: str
    version: str
    title: str
    summary: str
    path: Path
    text: str  # this file's
    full_text: str  # this file's and its star table's: what a run keeps
    file_sha256: str  # this file's alone
    sha256: str  # of full_text: a change to either file is a new method
    group: str
    score_bands: tuple[float, float, float]
    coverage: float
    min_indicators: int
    weak_score: int
    recent: int
    alpha: float
    direction: tuple[DirectionRule, ...]
    improving_labels: frozenset[str]
    warning_window: int
    warning_cutoff: float
    warning_method: WarningMethod
    min_stars: int
    share_improving: float
    areas: tuple[AreaSpec, ...]
    stars: StarTable
    indicator_targets: dict[str, float] = field(default_factory=dict)
    polarity: tuple[Statement, ...] = ()
    k: int = 15
    variable_set: str = ""

    @property
    def judgement_keys(self) -> tuple[str, ...]:
        return tuple(self.stars.judgements)

    @property
    def stated_polarity(self) -> dict[str, str]:
        """Indicator code -> "higher" or "lower", for each polarity this method states."""
        return {s.indicator: s.better for s in self.polarity if not s.contested}

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"

    def rules(self) -> Rules:
        from .engine.run import Rules

        return Rules(
            areas={a.code: dict(a.weights) for a in self.areas},
            stars=self.stars,
            score_bands=self.score_bands,
            coverage=self.coverage,
            min_indicators=self.min_indicators,
            weak_score=self.weak_score,
            recent=self.recent,
            alpha=self.alpha,
            direction=self.direction,
            warning_window=self.warning_window,
            warning_cutoff=self.warning_cutoff,
            warning_method=self.warning_method,
            min_stars=self.min_stars,
            share_improving=self.share_improving,
            indicator_targets=dict(self.indicator_targets),
        )


def methodology_dir() -> Path:
    return Path(settings.DATA_DIR) / "methodologies"


def available() -> list[str]:
    """Every methodology shipped: the files that are not star tables or neighbour sets."""
    return sorted(
        p.stem
        for p in methodology_dir().glob("*.toml")
        if not p.stem.endswith("-stars") and p.stem != "neighbours"
    )


def _need(raw: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in raw:
        raise MethodologyError(f"{where}: `{key}` is missing")
    value = raw[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise MethodologyError(f"{where}: `{key}` should be {kind.__name__}, not {value!r}")
    return value


def _areas(raw: list[dict[str, Any]], where: str) -> tuple[AreaSpec, ...]:
    areas = []
    for i, body in enumerate(raw, start=1):
        here = f"{where} [[areas]] #{i}"
        weights = body.get("weights", {})
        if not isinstance(weights, dict) or not all(
            isinstance(w, int | float) and w > 0 for w in weights.values()
        ):
            raise MethodologyError(f"{here}: `weights` maps indicator codes to positive numbers")
        areas.append(
            AreaSpec(
                code=_need(body, "code", str, here),
                weights={k: float(v) for k, v in weights.items()},
                level=str(body.get("level", "")),
            )
        )
    return tuple(areas)


POLARITY_KEYS = {"indicator", "better", "reason", "citation", "url"}


def _polarity(raw: dict[str, Any], where: str) -> tuple[Statement, ...]:
    """The method's [[polarity]] statements (a direction, a reason and a citation each) and
    its [[contested]] ones (a reason each); one statement per indicator."""
    found: list[Statement] = []
    for kind in ("polarity", "contested"):
        for i, body in enumerate(raw.get(kind, []), start=1):
            here = f"{where} [[{kind}]] #{i}"
            if unknown := set(body) - POLARITY_KEYS:
                raise MethodologyError(f"{here}: unknown keys {', '.join(sorted(unknown))}")
            statement = Statement(
                indicator=_need(body, "indicator", str, here),
                better=_need(body, "better", str, here) if kind == "polarity" else "",
                reason=_need(body, "reason", str, here).strip(),
                citation=_need(body, "citation", str, here) if kind == "polarity" else "",
                url=str(body.get("url", "")),
            )
            if kind == "polarity" and statement.better not in ("higher", "lower"):
                raise MethodologyError(f'{here}: `better` is "higher" or "lower"')
            if kind == "contested" and "better" in body:
                raise MethodologyError(f"{here}: a contested indicator states no `better`")
            found.append(statement)
    seen: set[str] = set()
    for statement in found:
        if statement.indicator in seen:
            raise MethodologyError(f"{where}: {statement.indicator} has two polarity statements")
        seen.add(statement.indicator)
    return tuple(sorted(found, key=lambda s: s.indicator))


def _direction(raw: dict[str, Any], where: str) -> tuple[DirectionRule, ...]:
    from .engine.run import DirectionRule

    rules = []
    for i, body in enumerate(raw.get("rules", []), start=1):
        here = f"{where} [[direction.rules]] #{i}"
        rules.append(
            DirectionRule(
                label=_need(body, "label", str, here),
                min_improving=_need(body, "min_improving", float, here),
                max_worsening=_need(body, "max_worsening", float, here),
            )
        )
    if not rules:
        raise MethodologyError(f"{where}: [direction] needs at least one rule")
    return tuple(rules)


def polarity_statements(code: str) -> list[Statement]:
    """What each shipped method states about the indicator's polarity (for the indicator
    page, through `ambition.indicators.polarity`); a method file that cannot be read says
    nothing here: its own page reports the error."""
    found = []
    for name in available():
        try:
            method = load(name)
        except MethodologyError:
            continue
        link = reverse("assessment-method", args=[name]) + "#polarity"
        found += [
            replace(s, by=method.label, link=link) for s in method.polarity if s.indicator == code
        ]
    return found


def _warning_method(raw: dict[str, Any], where: str) -> WarningMethod:
    """`method` (default "trend", today's forecast) and, for the damped trend, `phi`."""
    from .engine.forecast import TREND, WarningMethod
    from .engine.forecast.methods import DEFAULT_PHI

    try:
        return WarningMethod(str(raw.get("method", TREND)), float(raw.get("phi", DEFAULT_PHI)))
    except ValueError as error:
        raise MethodologyError(f"{where}: {error}") from error


def kept_parts(method_text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The method file and its star table's [stars], parsed, from the text a run keeps (the
    two files joined at STARS_MARK): read a run's own method from here, not from the file
    shipped today."""
    method, _, rest = method_text.partition(STARS_MARK)
    stars = rest.partition("\n")[2] if rest else ""
    return tomllib.loads(method), tomllib.loads(stars).get("stars", {})


@lru_cache(maxsize=32)
def stated_in(method_text: str) -> dict[str, str]:
    """The polarity a method states (code -> "higher" or "lower"), read from the method text
    a run keeps: what that run used, whatever the file says today."""
    method, _ = kept_parts(method_text)
    return {s.indicator: s.better for s in _polarity(method, "run") if not s.contested}


def used_polarity(method_text: str, code: str, source: str) -> str:
    """The polarity a run used for an indicator: its source's, else its method's statement."""
    from .frames import polarity_of

    return polarity_of(code, source, stated_in(method_text))


def default_method() -> Methodology:
    """The default methodology (DEFAULT_METHOD), as its files are now."""
    return load(DEFAULT_METHOD)


def load(name: str) -> Methodology:
    """The methodology called `name`, as its files are now. Reading and checking the files is
    most of the work of a what-if rating, asked many times a second, so a parsed method is
    kept until any file of the methodologies changes (its name, size or modification time)."""
    folder = methodology_dir()
    path = folder / f"{name}.toml"
    if name not in available() or not path.is_file():
        known = ", ".join(available())
        raise MethodologyError(f"no methodology called {name!r}; there are: {known}")
    stamps = tuple((f.name, *_stamp(f)) for f in sorted(folder.glob("*.toml")))
    return _parsed(str(path), stamps)


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


@lru_cache(maxsize=32)
def _parsed(path: str, stamps: tuple[tuple[str, int, int], ...]) -> Methodology:
    return parse(Path(path))


def parse(path: Path) -> Methodology:
    data = path.read_bytes()
    where = path.name
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise MethodologyError(f"{where}: not valid TOML: {error}") from error
    scores = _need(raw, "scores", dict, where)
    direction = _need(raw, "direction", dict, where)
    targets = raw.get("targets", {})
    comparators = raw.get("comparators", {})
    group = _need(comparators, "group", str, f"{where} [comparators]")
    if group not in GROUPS:
        raise MethodologyError(f"{where} [comparators]: group must be one of {', '.join(GROUPS)}")
    bands = tuple(float(b) for b in _need(scores, "bands", list, f"{where} [scores]"))
    if len(bands) != 3 or not bands[0] > bands[1] > bands[2]:
        raise MethodologyError(f"{where} [scores]: `bands` is three falling thresholds")
    stars_file = path.parent / _need(raw, "stars", str, where)
    if not stars_file.is_file():
        raise MethodologyError(f"{where}: its star table {stars_file.name} is not there")
    # The star table is part of the method: its bytes are in the hash and the text a run keeps.
    stars_text = stars_file.read_bytes().decode("utf-8")
    full = f"{data.decode('utf-8')}{STARS_MARK}{stars_file.name} ----\n{stars_text}"
    areas = _areas(_need(raw, "areas", list, where), where)
    rules = _direction(direction, where)
    return Methodology(
        name=_need(raw, "name", str, where),
        version=_need(raw, "version", str, where),
        title=_need(raw, "title", str, where),
        summary=_need(raw, "summary", str, where),
        path=path,
        text=data.decode("utf-8"),
        full_text=full,
        file_sha256=hashlib.sha256(data).hexdigest(),
        sha256=hashlib.sha256(full.encode("utf-8")).hexdigest(),
        group=group,
        score_bands=(bands[0], bands[1], bands[2]),
        coverage=_need(scores, "coverage", float, f"{where} [scores]"),
        min_indicators=_need(scores, "min_indicators", int, f"{where} [scores]"),
        weak_score=_need(scores, "weak_score", int, f"{where} [scores]"),
        recent=_need(direction, "recent_periods", int, f"{where} [direction]"),
        alpha=_need(direction, "alpha", float, f"{where} [direction]"),
        direction=rules,
        improving_labels=frozenset(r.label for r in rules[:-1]),
        warning_window=int(raw.get("warning", {}).get("window", 5)),
        warning_cutoff=float(raw.get("warning", {}).get("cutoff", 0.5)),
        warning_method=_warning_method(raw.get("warning", {}), f"{where} [warning]"),
        min_stars=int(targets.get("min_stars", 2)),
        share_improving=float(targets.get("share_improving", 0.9)),
        areas=areas,
        stars=load_table(stars_file, {a.code for a in areas}),
        k=int(comparators.get("k", 15)),
        variable_set=str(comparators.get("variable_set", "")),
        indicator_targets={str(k): float(v) for k, v in targets.get("indicators", {}).items()},
        polarity=_polarity(raw, where),
    )
