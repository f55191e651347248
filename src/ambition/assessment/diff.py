"""What changed between two assessment runs, and why.

A run's results follow from its inputs: the method file (its hash), the data (fingerprint and
as-of date), the judgements used and the code. `compare` lists the inputs that differ, then
each changed result with its likely causes, tracing down the chain a rating is made by:
stars from service-area scores and judgements, scores from indicator quartiles, quartiles from
the council's own values and its comparators' values. Equal `results_sha256` means identical
results, whatever else differs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ambition.indicators.models import ServiceArea
from ambition.registry.models import Authority

from .method_changes import MethodChange, method_changes
from .models import AssessmentRun, RunArea, RunIndicator, RunRating

T = TypeVar("T")
SHOWN = 3  # indicators named in a cause before "and N more"


@dataclass(frozen=True)
class InputChange:
    input: str
    before: str
    after: str

    @property
    def is_hash(self) -> bool:
        return "SHA-256" in self.input or "fingerprint" in self.input


@dataclass(frozen=True)
class JudgementChange:
    authority: str
    name: str
    key: str
    before: int | None
    after: int | None
    entered_by: str
    reason: str

    @property
    def label(self) -> str:
        return judgement_label(self.key)


@dataclass(frozen=True)
class DataChange:
    """An indicator whose stored values differ: for how many assessed councils, of which how
    many moved to a new period."""

    indicator: str
    name: str
    changed: int
    new_period: int


@dataclass(frozen=True)
class Change:
    authority: str
    name: str
    what: str
    before: str
    after: str
    causes: tuple[str, ...]


@dataclass
class RunDiff:
    before: AssessmentRun
    after: AssessmentRun
    inputs: list[InputChange] = field(default_factory=list)
    method: list[MethodChange] = field(default_factory=list)  # what a new version changes
    judgements: list[JudgementChange] = field(default_factory=list)
    data: list[DataChange] = field(default_factory=list)
    ratings: list[Change] = field(default_factory=list)
    areas: list[Change] = field(default_factory=list)
    quartiles: list[Change] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return bool(self.before.results_sha256 == self.after.results_sha256)

    @property
    def same_inputs(self) -> bool:
        return not self.inputs

    @property
    def rating_counts(self) -> dict[str, int]:
        """How many councils' stars, directions and weak areas changed."""
        counts: dict[str, int] = {}
        for change in self.ratings:
            counts[change.what] = counts.get(change.what, 0) + 1
        return counts

    @property
    def changes(self) -> int:
        return len(self.ratings) + len(self.areas) + len(self.quartiles)


def judgement_label(key: str) -> str:
    return key.replace("_", " ").replace("-", " ").capitalize()


def stars_text(stars: int | None) -> str:
    if stars is None:
        return "not rated"
    return f"{stars} star" if stars == 1 else f"{stars} stars"


def star_glyphs(stars: int | None) -> str:
    """Filled and empty stars out of four, for the eye; the text says the number."""
    return "" if stars is None else "\u2605" * stars + "\u2606" * (4 - stars)


def listed(names: list[str], shown: int = SHOWN) -> str:
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"


# Inputs --------------------------------------------------------------------------------------


def input_changes(a: AssessmentRun, b: AssessmentRun) -> list[InputChange]:
    """Each recorded input that differs between the runs."""
    pairs = [
        ("method", f"{a.method} {a.method_version}", f"{b.method} {b.method_version}"),
        ("method file (SHA-256)", a.method_sha256, b.method_sha256),
        ("comparator group", a.group, b.group),
        ("whom it rates", a.scope, b.scope),
        ("as of", a.as_of.isoformat(), b.as_of.isoformat()),
        ("data (fingerprint)", a.data_fingerprint, b.data_fingerprint),
        ("observations read", f"{a.observations:,}", f"{b.observations:,}"),
        ("judgements used", _judgements_digest(a), _judgements_digest(b)),
        ("code version", a.code_version, b.code_version),
    ]
    return [InputChange(name, x, y) for name, x, y in pairs if x != y]


def _judgements_digest(run: AssessmentRun) -> str:
    count = len(run.judgements_used)
    return f"{count} judgement{'s' if count != 1 else ''}: " + "; ".join(
        f"{j['authority']} {j['key']} {j['score']}" for j in run.judgements_used
    )


def _judgements_by_key(run: AssessmentRun) -> dict[tuple[str, str], dict[str, Any]]:
    return {(j["authority"], j["key"]): j for j in run.judgements_used}


def judgement_changes(
    a: AssessmentRun, b: AssessmentRun, names: Mapping[str, str]
) -> list[JudgementChange]:
    """Judgements entered, withdrawn or re-entered between the runs (a new entry with the
    same score still counts: its reason may differ)."""
    old, new = _judgements_by_key(a), _judgements_by_key(b)
    found = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before is not None and after is not None and before == after:
            continue
        latest = after or before or {}
        found.append(
            JudgementChange(
                authority=key[0],
                name=names.get(key[0], key[0]),
                key=key[1],
                before=before["score"] if before else None,
                after=after["score"] if after else None,
                entered_by=str(latest.get("entered_by") or "not recorded"),
                reason=str(latest.get("reason") or "") if after else "withdrawn",
            )
        )
    return found


# Results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    indicator: str
    name: str
    area: str
    period: str
    value: float | None
    quartile: int | None
    improving: bool
    worsening: bool


def positions_of(run: AssessmentRun) -> dict[tuple[str, str], Position]:
    rows = RunIndicator.objects.filter(run=run).values_list(
        "authority__code",
        "indicator__code",
        "indicator__name",
        "indicator__service_area__code",
        "period",
        "value",
        "quartile",
        "improving",
        "worsening",
    )
    return {(r[0], r[1]): Position(*r[1:]) for r in rows}


def areas_of(run: AssessmentRun) -> dict[tuple[str, str], RunArea]:
    rows = RunArea.objects.filter(run=run).select_related("authority", "area")
    return {(r.authority.code, r.area.code): r for r in rows}


def ratings_of(run: AssessmentRun) -> dict[str, RunRating]:
    return {
        r.authority.code: r for r in RunRating.objects.filter(run=run).select_related("authority")
    }


def data_changes(
    old: Mapping[tuple[str, str], Position], new: Mapping[tuple[str, str], Position]
) -> list[DataChange]:
    changed: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    names = {}
    for key in sorted(set(old) & set(new)):
        x, y = old[key], new[key]
        if (x.period, x.value) != (y.period, y.value):
            changed[key[1]].append((key[0], x.period != y.period))
            names[key[1]] = y.name
    return [
        DataChange(code, names[code], len(moved), sum(new for _, new in moved))
        for code, moved in sorted(changed.items())
    ]


class Causes:
    """What each result could have changed because of, found once for the pair of runs."""

    def __init__(self, diff: RunDiff) -> None:
        a, b = diff.before, diff.after
        self.method = a.method_sha256 != b.method_sha256 or a.group != b.group
        self.code = a.code_version != b.code_version
        self.method_text = f"method changed ({a.method} {a.method_version} to {b.method_version})"
        self.code_text = f"code changed ({a.code_version} to {b.code_version})"
        self.data_changed = {d.indicator: d.changed for d in diff.data}
        self.judgements: dict[str, list[JudgementChange]] = defaultdict(list)
        for j in diff.judgements:
            self.judgements[j.authority].append(j)
        # Comparators that are not rated have no stored values: the fingerprint still tells.
        self.fingerprint = a.data_fingerprint != b.data_fingerprint
        self.data_text = (
            f"data changed: as of {a.as_of.isoformat()} to {b.as_of.isoformat()}"
            if a.as_of != b.as_of
            else "data changed: published values revised or added (fingerprint)"
        )

    def general(self) -> list[str]:
        found = [self.method_text] if self.method else []
        return [*found, self.code_text] if self.code else found

    def upstream(self) -> list[str]:
        """The inputs a rating or score rests on that changed, beyond its own parts."""
        return [*([self.data_text] if self.fingerprint else []), *self.general()]

    def judged(self, code: str) -> list[str]:
        return [
            f"judgement changed: {j.label} {j.before or 'none'} to {j.after or 'none'} "
            f"(entered by {j.entered_by}: {j.reason})"
            for j in self.judgements.get(code, [])
        ]

    def quartile(self, x: Position, y: Position) -> list[str]:
        if x.period != y.period:
            found = [f"new period ({x.period} to {y.period})"]
        elif x.value != y.value:
            found = [f"its value changed ({_value(x.value)} to {_value(y.value)})"]
        elif y.indicator in self.data_changed:
            others = self.data_changed[y.indicator]
            found = [f"its value is the same; {others} other councils' values changed"]
        elif self.fingerprint:
            found = ["its value is the same; the comparators' data changed (fingerprint)"]
        else:
            found = []
        return [*found, *self.general()]


def _value(value: float | None) -> str:
    return "none" if value is None else f"{value:g}"


def quartile_changes(
    old: Mapping[tuple[str, str], Position],
    new: Mapping[tuple[str, str], Position],
    names: Mapping[str, str],
    causes: Causes,
) -> list[Change]:
    found = []
    for key in sorted(set(old) | set(new)):
        x, y = old.get(key), new.get(key)
        if x is not None and y is not None and x.quartile == y.quartile:
            continue
        shown = y or x
        assert shown is not None
        why = (
            causes.quartile(x, y) if x and y else ["indicator added" if y else "indicator dropped"]
        )
        found.append(
            Change(
                key[0],
                names.get(key[0], key[0]),
                f"quartile: {shown.name}",
                _quartile(x),
                _quartile(y),
                tuple(why),
            )
        )
    return found


def _quartile(p: Position | None) -> str:
    if p is None:
        return "not assessed"
    return "no position" if p.quartile is None else f"quartile {p.quartile} ({p.period})"


def _score(area: RunArea | None) -> str:
    if area is None:
        return "not assessed"
    score = "insufficient data" if area.score is None else str(area.score)
    weak = f", weak: {area.weak_reason}" if area.weak else ""
    return f"{score} ({area.indicators} indicators{weak})"


def area_changes(
    old: Mapping[tuple[str, str], RunArea],
    new: Mapping[tuple[str, str], RunArea],
    moved: Mapping[tuple[str, str], list[str]],
    names: Mapping[str, str],
    causes: Causes,
) -> list[Change]:
    found = []
    for key in sorted(set(old) | set(new)):
        x, y = old.get(key), new.get(key)
        if x is not None and y is not None and (x.score, x.weak) == (y.score, y.weak):
            continue
        shown = y or x
        assert shown is not None
        behind = moved.get(key, [])
        why = [f"quartiles moved: {listed(behind)}"] if behind else []
        if x and y and x.indicators != y.indicators:
            why.append(f"indicators with a position {x.indicators} to {y.indicators}")
        found.append(
            Change(
                key[0],
                names.get(key[0], key[0]),
                f"score: {shown.area.name}",
                _score(x),
                _score(y),
                tuple(why + causes.upstream()),
            )
        )
    return found


def quartile_moves(
    old: Mapping[tuple[str, str], Position], new: Mapping[tuple[str, str], Position]
) -> dict[tuple[str, str], list[str]]:
    """Each council's quartile moves by the service area of the indicator."""
    moved: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key in sorted(set(old) & set(new)):
        x, y = old[key], new[key]
        if x.quartile != y.quartile:
            moved[(key[0], y.area)].append(f"{y.name} {x.quartile or '-'} to {y.quartile or '-'}")
    return moved


def rating_changes(
    old: Mapping[str, RunRating],
    new: Mapping[str, RunRating],
    areas: Iterable[Change],
    area_names: Mapping[str, str],
    causes: Causes,
) -> list[Change]:
    by_authority: dict[str, list[Change]] = defaultdict(list)
    for change in areas:
        by_authority[change.authority].append(change)
    found = []
    for code in sorted(set(old) | set(new)):
        x, y = old.get(code), new.get(code)
        if x is None or y is None:
            found.append(_assessed_once(code, x, y))
            continue
        found += _rating_change(code, x, y, by_authority.get(code, []), area_names, causes)
    return found


def _assessed_once(code: str, x: RunRating | None, y: RunRating | None) -> Change:
    shown = y or x
    assert shown is not None
    later = y is not None
    return Change(
        code,
        shown.authority.name,
        "assessed",
        "no" if later else "yes",
        "yes" if later else "no",
        ("rated in the later run only" if later else "rated in the earlier run only",),
    )


def _rating_change(
    code: str,
    x: RunRating,
    y: RunRating,
    areas: list[Change],
    area_names: Mapping[str, str],
    causes: Causes,
) -> list[Change]:
    name = y.authority.name
    scores = [f"{c.what.removeprefix('score: ')} {c.before} to {c.after}" for c in areas]
    score_causes = [f"service area scores changed: {listed(scores)}"] if scores else []
    found = []
    if (x.stars, x.rule_id) != (y.stars, y.rule_id):
        missing = [f"not rated: {m['input']} {m['reason']}" for m in y.missing]
        why = [*causes.judged(code), *missing, *score_causes, *causes.upstream()]
        found.append(Change(code, name, "stars", _stars(x), _stars(y), tuple(why)))
    if x.direction != y.direction:
        found.append(
            Change(
                code,
                name,
                "direction of travel",
                _direction(x),
                _direction(y),
                (*_why_dir(x, y), *causes.upstream()),
            )
        )
    if sorted(x.weak_areas) != sorted(y.weak_areas):
        weak = [", ".join(area_names.get(a, a) for a in r.weak_areas) or "none" for r in (x, y)]
        why = [*score_causes, *causes.upstream()]
        found.append(Change(code, name, "weak service areas", weak[0], weak[1], tuple(why)))
    return found


def _stars(r: RunRating) -> str:
    rule = f" ({r.rule_id})" if r.rule_id else ""
    return stars_text(r.stars) + rule


def _direction(r: RunRating) -> str:
    if not r.direction:
        return "not judged"
    return f"{r.direction} ({_share(r.improving_share)} improving)"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _why_dir(x: RunRating, y: RunRating) -> tuple[str, ...]:
    return (
        f"share of indicators improving {_share(x.improving_share)} to "
        f"{_share(y.improving_share)}, worsening {_share(x.worsening_share)} to "
        f"{_share(y.worsening_share)}, of {x.judged} to {y.judged} judged",
    )


def compare(before: AssessmentRun, after: AssessmentRun) -> RunDiff:
    """Every input and result that differs between two runs, with its likely causes. Scores
    and quartiles are compared for the councils both runs rated; a council rated by one run
    only is listed once, as such."""
    names = dict(Authority.objects.values_list("code", "name"))
    diff = RunDiff(before, after, input_changes(before, after))
    if before.method_sha256 != after.method_sha256:
        diff.method = method_changes(before.method_text, after.method_text)
    diff.judgements = judgement_changes(before, after, names)
    old_ratings, new_ratings = ratings_of(before), ratings_of(after)
    both = set(old_ratings) & set(new_ratings)
    old, new = _rated(positions_of(before), both), _rated(positions_of(after), both)
    diff.data = data_changes(old, new)
    causes = Causes(diff)
    diff.quartiles = quartile_changes(old, new, names, causes)
    old_areas, new_areas = _rated(areas_of(before), both), _rated(areas_of(after), both)
    moved = quartile_moves(old, new)
    diff.areas = area_changes(old_areas, new_areas, moved, names, causes)
    area_names = dict(ServiceArea.objects.values_list("code", "name"))
    diff.ratings = rating_changes(old_ratings, new_ratings, diff.areas, area_names, causes)
    return diff


def _rated(rows: dict[tuple[str, str], T], codes: set[str]) -> dict[tuple[str, str], T]:
    return {key: row for key, row in rows.items() if key[0] in codes}
