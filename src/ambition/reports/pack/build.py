"""The review pack for one member and year, and the partnership-wide pack: plain
dataclasses assembled from the latest assessment run, the ledger, the support received and
the meetings, which the page and the PDF render from one template."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from ambition.assessment.models import AssessmentRun
from ambition.efficiency.progress import Summary
from ambition.indicators.periods import financial_year, year_label
from ambition.registry.models import Authority
from ambition.support.bookkeeping import members_in
from ambition.support.models import SupportRequest
from ambition.support.review_lifecycle import ReceivedSupport

from .exchange import GiveTake, YearBasis, give_take_of, support_received, year_basis
from .meetings import MeetingSummary, OpenAction, meetings_of, open_actions_of
from .money import GrantReceived, grants_received, savings_of
from .performance import Performance, latest_run, performance_of
from .questions import Question, questions_for

LIVE_REQUEST = (SupportRequest.Status.OPEN, SupportRequest.Status.MATCHED)


@dataclass(frozen=True)
class Basis:
    """What every pack of a batch shares: the run, the year's ledger figures and the day."""

    run: AssessmentRun | None
    year: YearBasis
    today: datetime.date

    @property
    def year_label(self) -> str:
        return year_label(self.year.year)


@dataclass(frozen=True)
class ReviewPack:
    authority: Authority
    year: int
    year_label: str
    made: datetime.date
    performance: Performance | None
    give_take: GiveTake
    received: tuple[ReceivedSupport, ...]
    meetings: tuple[MeetingSummary, ...]
    open_actions: tuple[OpenAction, ...]
    questions: tuple[Question, ...] = field(default=())
    grants: tuple[GrantReceived, ...] = field(default=())
    savings: Summary | None = None


def default_year(today: datetime.date | None = None) -> int:
    """The financial year the board is reviewing: the current one."""
    return financial_year(today or datetime.date.today())


def basis_for(
    year: int, today: datetime.date | None = None, run: AssessmentRun | None = None
) -> Basis:
    return Basis(run or latest_run(), year_basis(year), today or datetime.date.today())


def requested_areas(authority: Authority) -> set[str]:
    """Service areas where the member has a support request not yet closed."""
    live = SupportRequest.objects.filter(authority=authority, status__in=LIVE_REQUEST)
    return set(live.values_list("service_area__code", flat=True))


def build_pack(authority: Authority, basis: Basis, chart: bool = True) -> ReviewPack:
    performance = performance_of(authority, basis.run)
    give_take = give_take_of(authority, basis.year, chart=chart)
    received = support_received(authority, basis.year.year)
    actions = open_actions_of(authority, basis.today)
    questions = questions_for(
        authority.name,
        performance,
        requested_areas(authority),
        give_take.lines,
        basis.year_label,
        received,
        actions,
        basis.today,
    )
    return ReviewPack(
        authority=authority,
        year=basis.year.year,
        year_label=basis.year_label,
        made=basis.today,
        performance=performance,
        give_take=give_take,
        received=received,
        meetings=meetings_of(authority),
        open_actions=actions,
        questions=questions,
        grants=grants_received(authority, basis.year.year),
        savings=savings_of(authority, basis.year.year),
    )


def is_member(authority: Authority, year: int | None = None) -> bool:
    """Whether the authority belongs to the partnership today or, with `year`, belonged
    on any day of that financial year (its pack for the year then has a place)."""
    return bool(members_in(year).filter(pk=authority.pk).exists())
