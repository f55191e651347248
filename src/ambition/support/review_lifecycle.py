"""Peer reviews: asking for one, its team, moving it one stage forward at a time (each
move logged, each stage's preconditions checked), the staff days its team gave, and what
support an authority received in a year (for the annual review pack)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ambition.indicators.models import ServiceArea
from ambition.indicators.periods import add_months, financial_year_dates
from ambition.registry.models import Authority

from .bookkeeping import Source, give_and_take
from .models import (
    STAGE_ORDER,
    LedgerEntry,
    LedgerKind,
    LedgerSource,
    PeerReview,
    ReviewStage,
    ReviewTeamMember,
    Secondment,
    StageChange,
    SupportKind,
    SupportRequest,
    TeamRole,
)
from .outcomes import before_and_after, summary

PROGRESS_REVIEW_MONTHS = 10


class StageError(ValueError):
    """A move the lifecycle does not allow, or whose preconditions are not met."""


def progress_review_due(on_site_start: datetime.date) -> datetime.date:
    return add_months(on_site_start, PROGRESS_REVIEW_MONTHS)


@transaction.atomic
def request_review(
    authority: Authority,
    service_area: ServiceArea,
    problem: str,
    staff_days: int,
    window: tuple[datetime.date, datetime.date],
    user: Any = None,
) -> PeerReview:
    """A support request of the peer-review kind, and the review that serves it."""
    made_by = user if getattr(user, "is_authenticated", False) else None
    request = SupportRequest.objects.create(
        authority=authority,
        service_area=service_area,
        kind=SupportKind.PEER_REVIEW,
        problem=problem,
        staff_days=staff_days,
        window_start=window[0],
        window_end=window[1],
        created_by=made_by,
    )
    return PeerReview.objects.create(request=request, created_by=made_by)


def add_team_member(
    review: PeerReview,
    name: str,
    authority: Authority,
    role: str,
    party: str = "",
    days: Decimal = Decimal(5),
) -> ReviewTeamMember:
    """A peer on the team: never from the reviewed authority; a member names their party."""
    if authority.pk == review.authority_id:
        raise StageError("A review team comes from other authorities, not the one reviewed")
    if role == TeamRole.MEMBER and not party.strip():
        raise StageError("A member (councillor) on the team names their political party")
    if review.stage_index >= STAGE_ORDER.index(ReviewStage.REPORTED):
        raise StageError("The team cannot change once the review has reported")
    return ReviewTeamMember.private_objects.create(
        review=review, name=name, authority=authority, role=role, party=party.strip(), days=days
    )


def team_problems(review: PeerReview) -> list[str]:
    """What the team lacks to go on site: several authorities, officers and members,
    members from more than one party. Empty when it is complete."""
    team = list(ReviewTeamMember.private_objects.filter(review=review).select_related("authority"))
    problems = []
    authorities = {m.authority_id for m in team}
    if len(authorities) < 2:
        problems.append(f"people from at least 2 authorities (it has {len(authorities)})")
    if not any(m.role == TeamRole.OFFICER for m in team):
        problems.append("at least one officer")
    members = [m for m in team if m.role == TeamRole.MEMBER]
    if not members:
        problems.append("at least one member (councillor)")
    parties = {m.party.strip().lower() for m in members}
    if len(parties) < 2:
        problems.append(f"members from more than one party (it has {len(parties)})")
    return problems


def _preconditions(review: PeerReview, to_stage: str) -> list[str]:
    if to_stage == ReviewStage.SCOPED and not review.scope.strip():
        return ["the scope is written"]
    if to_stage == ReviewStage.ON_SITE:
        missing = [] if review.on_site_start else ["the on-site dates are set"]
        return missing + [f"the team has {p}" for p in team_problems(review)]
    if to_stage == ReviewStage.REPORTED and not (review.report or review.report_text.strip()):
        return ["the report is attached"]
    has_plan = review.action_plan or review.action_plan_text.strip() or review.actions.exists()
    if to_stage == ReviewStage.ACTION_PLAN and not has_plan:
        return ["the action plan is attached or has actions"]
    return []


def next_stage(review: PeerReview) -> str | None:
    index = review.stage_index + 1
    return STAGE_ORDER[index] if index < len(STAGE_ORDER) else None


@transaction.atomic
def advance(
    given: PeerReview,
    to_stage: str,
    user: Any = None,
    note: str = "",
    when: datetime.datetime | None = None,
) -> StageChange:
    """Move the review one stage forward, logging who, when and why; refuse anything else.
    The caller's object is brought up to date too, so a later save keeps the new stage."""
    review = PeerReview.objects.select_for_update().select_related("request").get(pk=given.pk)
    if to_stage not in STAGE_ORDER:
        raise StageError(f"No such stage: {to_stage!r}")
    expected = next_stage(review)
    if to_stage != expected:
        label, now = ReviewStage(to_stage).label, ReviewStage(review.stage).label
        direction = "back" if STAGE_ORDER.index(to_stage) <= review.stage_index else "forward"
        hint = f"the next stage is {ReviewStage(expected).label}" if expected else "it is closed"
        raise StageError(
            f"A review moves one stage forward: it is {now}, so it cannot move "
            f"{direction} to {label}; {hint}."
        )
    if missing := _preconditions(review, to_stage):
        raise StageError(
            f"It cannot move to {ReviewStage(to_stage).label} until " + "; ".join(missing) + "."
        )
    change = StageChange.objects.create(
        review=review,
        from_stage=review.stage,
        to_stage=to_stage,
        by=user if getattr(user, "is_authenticated", False) else None,
        at=when or timezone.now(),
        note=note,
    )
    review.stage = to_stage
    if to_stage == ReviewStage.ON_SITE and review.progress_review_due is None:
        review.progress_review_due = progress_review_due(review.on_site_start)  # type: ignore[arg-type]
    review.save(update_fields=["stage", "progress_review_due"])
    given.stage, given.progress_review_due = review.stage, review.progress_review_due
    if to_stage == ReviewStage.REPORTED:
        record_team_days(review, user)
    _settle_request(review.request, to_stage)
    return change


def _settle_request(request: SupportRequest, stage: str) -> None:
    """A review with its team found takes its request out of the broker's open list; a
    closed review closes it."""
    settles = {
        ReviewStage.MATCHED: SupportRequest.Status.MATCHED,
        ReviewStage.CLOSED: SupportRequest.Status.CLOSED,
    }
    wanted = settles.get(ReviewStage(stage))
    if wanted is not None and request.status != wanted:
        request.status = wanted
        request.save(update_fields=["status"])


def record_team_days(review: PeerReview, user: Any = None) -> list[LedgerEntry]:
    """Each team member's days: their authority gave, the reviewed authority took. Once."""
    if LedgerEntry.objects.from_source(LedgerSource.REVIEW, review.pk).exists():
        return []
    day = review.on_site_end or review.on_site_start or timezone.localdate()
    what = f"Peer review of {review.request.service_area} in {review.authority}"
    written: list[LedgerEntry] = []
    team = ReviewTeamMember.private_objects.filter(review=review).select_related("authority")
    for member in team:
        role = TeamRole(member.role).label.lower()
        written += give_and_take(
            member.authority,
            review.authority,
            LedgerKind.STAFF_DAYS,
            member.days,
            day,
            f"{what}: a {role}'s days on the team",
            Source(LedgerSource.REVIEW, review.pk),
            user,
        )
    return written


@dataclass(frozen=True)
class ReceivedSupport:
    """One piece of support an authority received."""

    kind: str
    label: str
    supporters: tuple[str, ...]
    days: Decimal
    stage: str
    started: datetime.date | None
    outcome: str
    url: str


def _review_support(review: PeerReview) -> ReceivedSupport:
    team = ReviewTeamMember.private_objects.filter(review=review)
    names = sorted(set(team.values_list("authority__name", flat=True)))
    days = team.aggregate(total=Sum("days"))["total"] or Decimal(0)
    rows = before_and_after(
        review.authority, review.request.service_area_id, review.on_site_start, review.on_site_end
    )
    return ReceivedSupport(
        kind=SupportKind.PEER_REVIEW,
        label=f"Peer review of {review.request.service_area.name.lower()}",
        supporters=tuple(names),
        days=Decimal(days),
        stage=ReviewStage(review.stage).label,
        started=review.on_site_start,
        outcome=summary(rows) if review.on_site_start else "Not yet on site",
        url=review.get_absolute_url(),
    )


def _secondment_support(s: Secondment) -> ReceivedSupport:
    return ReceivedSupport(
        kind=SupportKind.SECONDMENT,
        label=f"Secondment: {s.role}",
        supporters=(s.from_authority.name,),
        days=Decimal(s.days),
        stage="Delivered" if s.delivered_on else "Agreed",
        started=s.start,
        outcome=f"{s.days} staff days delivered" if s.delivered_on else "Not yet delivered",
        url=s.get_absolute_url(),
    )


def received_by(authority: Authority, year: int) -> list[ReceivedSupport]:
    """The peer reviews of the authority open at any time in the year (from the start of
    the request's window until closed), and the secondments it hosted that overlapped the
    year, earliest first."""
    first, last = financial_year_dates(year)
    closed_before = StageChange.objects.filter(to_stage=ReviewStage.CLOSED, at__date__lt=first)
    reviews = (
        PeerReview.objects.filter(request__authority=authority, request__window_start__lte=last)
        .exclude(pk__in=closed_before.values("review_id"))
        .select_related("request__authority", "request__service_area")
    )
    secondments = Secondment.objects.filter(
        to_authority=authority, start__lte=last, end__gte=first
    ).select_related("from_authority")
    found = [_review_support(r) for r in reviews] + [_secondment_support(s) for s in secondments]
    return sorted(found, key=lambda s: (s.started or last, s.label))
