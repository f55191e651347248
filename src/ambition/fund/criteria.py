"""The published appraisal criteria (data/fund/appraisal-criteria.toml) and the weighted
total a set of scores gives: pure, so a page can show the sum the office will see."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings  # type: ignore[import-untyped]

CRITERIA_FILE = Path("fund") / "appraisal-criteria.toml"
HUNDREDTH = Decimal("0.01")


class InvalidScores(ValueError):
    """Scores that do not answer the published criteria."""


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    question: str
    weight: Decimal


@dataclass(frozen=True)
class Criteria:
    version: str
    scale: int
    items: tuple[Criterion, ...]

    def total(self, scores: Mapping[str, int]) -> Decimal:
        """Out of 100: each score's share of the scale times its criterion's weight, as a
        share of all the weights."""
        self.check(scores)
        weights = sum((c.weight for c in self.items), Decimal(0))
        points = sum((c.weight * scores[c.code] / self.scale for c in self.items), Decimal(0))
        return (points * 100 / weights).quantize(HUNDREDTH)

    def check(self, scores: Mapping[str, int]) -> None:
        codes = {c.code for c in self.items}
        if missing := sorted(codes - set(scores)):
            raise InvalidScores(f"No score for {', '.join(missing)}")
        if unknown := sorted(set(scores) - codes):
            raise InvalidScores(f"{', '.join(unknown)}: not a published criterion")
        for code, score in scores.items():
            if isinstance(score, bool) or not isinstance(score, int):
                raise InvalidScores(f"The score for {code} must be a whole number")
            if not 0 <= score <= self.scale:
                raise InvalidScores(f"The score for {code} is {score}: 0 to {self.scale}")


def load(path: Path | None = None) -> Criteria:
    spec = tomllib.loads((path or Path(settings.DATA_DIR) / CRITERIA_FILE).read_text("utf-8"))
    items = tuple(
        Criterion(c["code"], c["title"], c["question"], Decimal(str(c["weight"])))
        for c in spec["criteria"]
    )
    if not items or any(c.weight <= 0 for c in items) or int(spec["scale"]) < 1:
        raise ValueError("The criteria need at least one criterion, positive weights, a scale")
    return Criteria(str(spec["version"]), int(spec["scale"]), items)
