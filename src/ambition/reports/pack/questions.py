"""Section (e): the questions the board member should ask, each generated from the pack's
own figures with the reason shown, so the member can see why it is asked and check it."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from ambition.support.models import ReviewStage
from ambition.support.review_lifecycle import progress_review_due

from .exchange import LedgerLine
from .meetings import OpenAction
from .performance import Performance

NOT_IMPROVING = "not improving adequately"
WARNINGS_ASKED = 3  # the riskiest early warnings get a question each; the rest are counted
# The stages as ReceivedSupport words them: a review at either has had its progress review.
REVIEW_FINISHED = frozenset(
    dict(ReviewStage.choices)[stage] for stage in (ReviewStage.PROGRESS_REVIEW, ReviewStage.CLOSED)
)


@dataclass(frozen=True)
class Question:
    text: str
    reason: str
    section: str  # the anchor of the pack's section that holds the evidence


class Received(Protocol):
    """What the questions need of a piece of support received (support's ReceivedSupport)."""

    @property
    def kind(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def stage(self) -> str: ...
    @property
    def started(self) -> datetime.date | None: ...


def rating_questions(name: str, p: Performance) -> list[Question]:
    run = f"assessment run {p.run.id} ({p.run.method})"
    if p.stars is None:
        missing = "; ".join(p.missing) or "inputs missing"
        return [
            Question(
                f"What would {name} need to provide to be rated?",
                f"Not rated in {run}: {missing}.",
                "performance",
            )
        ]
    if p.below_target:
        return [
            Question(
                f"What is {name}'s plan to reach the partnership's target of at least "
                f"{p.run.min_stars} stars, and by when?",
                f"{p.stars_text.capitalize()} in {run}, below the target of {p.run.min_stars}.",
                "performance",
            )
        ]
    return []


def direction_questions(name: str, p: Performance) -> list[Question]:
    if p.direction != NOT_IMPROVING:
        return []
    improving = round((p.improving_share or 0) * 100)
    worsening = round((p.worsening_share or 0) * 100)
    return [
        Question(
            f"Why are so few of {name}'s indicators improving, and which will turn first?",
            f"Direction of travel in assessment run {p.run.id}: {NOT_IMPROVING} "
            f"({improving}% of {p.judged} indicators improving, {worsening}% worsening).",
            "performance",
        )
    ]


def weak_area_questions(
    name: str, p: Performance, requested_areas: Collection[str]
) -> list[Question]:
    return [
        Question(
            f"{area.name} is a weak service area: would peer support help, and will {name} "
            "ask for it?",
            f"Weak in assessment run {p.run.id}"
            + (f" ({area.weak_reason})" if area.weak_reason else "")
            + f", and {name} has no open support request in {area.name}.",
            "performance",
        )
        for area in p.weak_areas
        if area.code not in requested_areas
    ]


def warning_questions(p: Performance) -> list[Question]:
    asked = [
        Question(
            f"What is being done about {w.name}?",
            f"Early warning {w.position} in assessment run {p.run.id}: a "
            f"{round((w.p_bottom_quartile or 0) * 100)}% chance of the bottom quartile next "
            "period on its trend.",
            "warnings",
        )
        for w in p.warnings[:WARNINGS_ASKED]
    ]
    more = len(p.warnings) - WARNINGS_ASKED
    if more > 0:
        asked.append(
            Question(
                "Which of the other early warnings does the council expect to turn round?",
                f"{more} more early warning{'s' if more > 1 else ''} in assessment run {p.run.id}.",
                "warnings",
            )
        )
    return asked


def ledger_questions(name: str, lines: Sequence[LedgerLine], year_label: str) -> list[Question]:
    return [
        Question(
            f"{name} took much more {line.label.lower()} than it gave in {year_label}: how "
            "could it give more back, for example staff for other members' peer reviews?",
            f"Balance {line.balance:,.1f} {line.unit} against the members' average of "
            f"{line.mean_balance:,.1f}: more than one standard deviation "
            f"({line.spread:,.1f}) below it.",
            "give-take",
        )
        for line in lines
        if line.far_below
    ]


def review_questions(received: Sequence[Received], today: datetime.date) -> list[Question]:
    return [
        Question(
            f"Has the progress review of the {r.label[:1].lower() + r.label[1:]} taken place?",
            f"On site from {r.started.isoformat()}; its progress review was due by "
            f"{progress_review_due(r.started).isoformat()}, and it is still at "
            f"\u201c{r.stage}\u201d.",
            "support",
        )
        for r in received
        if r.kind == "peer-review"
        and r.started is not None
        and r.stage not in REVIEW_FINISHED
        and progress_review_due(r.started) < today
    ]


def action_questions(actions: Sequence[OpenAction], today: datetime.date) -> list[Question]:
    return [
        Question(
            f"Has {a.owner} done what was agreed: {a.text}?",
            f"Agreed at the meeting of {a.meeting_date.isoformat()}, due "
            f"{a.due.isoformat()}, and not marked done.",
            "meetings",
        )
        for a in actions
        if a.due is not None and a.due < today
    ]


def questions_for(
    name: str,
    performance: Performance | None,
    requested_areas: Collection[str],
    lines: Sequence[LedgerLine],
    year_label: str,
    received: Sequence[Received],
    actions: Sequence[OpenAction],
    today: datetime.date,
) -> tuple[Question, ...]:
    """Every question, in the order of the pack's sections."""
    asked: list[Question] = []
    if performance is not None:
        asked += rating_questions(name, performance)
        asked += direction_questions(name, performance)
        asked += weak_area_questions(name, performance, requested_areas)
        asked += warning_questions(performance)
    asked += ledger_questions(name, lines, year_label)
    asked += review_questions(received, today)
    asked += action_questions(actions, today)
    return tuple(asked)
