"""The annual report of one financial year, made from the stored data alone: the
partnership's targets in the year's assessment run and how they moved, the peer support
delivered, the grants decided with their impact, the savings against the 3% target, the
residents' views and the case studies. Every section names the page and run its figures
come from; a section with nothing stored for the year says so (an empty tuple, a None)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.urls import reverse  # type: ignore[import-untyped]

from ambition.assessment.methodology import DEFAULT_METHOD
from ambition.assessment.models import AssessmentRun
from ambition.efficiency.progress import partnership_progress
from ambition.fund.models import Award, ImpactRun
from ambition.fund.views.impact_words import NOT_YET, status_words
from ambition.indicators.comparison import LONDON_CODE
from ambition.indicators.models import Observation
from ambition.indicators.periods import financial_year_dates, year_label
from ambition.knowledge.models import CaseStudy
from ambition.support.bookkeeping import positions
from ambition.support.models import LedgerKind, Match, PeerReview, Secondment, SupportRequest

from .runs import figures_of

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Source:
    """Where a figure comes from: a page (and, for computed results, a run)."""

    label: str
    url: str


@dataclass(frozen=True)
class PeerSupport:
    requests_made: int
    requests_met: int
    days_given: Decimal
    reviews: int
    secondments: int
    secondment_days: Decimal

    @property
    def any(self) -> bool:
        return bool(
            self.requests_made or self.requests_met or self.days_given or self.reviews
        ) or bool(self.secondments)


@dataclass(frozen=True)
class Grant:
    id: int
    title: str
    lead: str
    decided_on: datetime.date
    amount: Decimal | None  # None where no source gives it
    impact: str
    illustrative: bool
    url: str


@dataclass(frozen=True)
class Savings:
    target: Decimal
    accepted: Decimal
    members_with_target: int
    illustrative: bool

    @property
    def share_of_target(self) -> Decimal | None:
        return None if not self.target else (self.accepted / self.target * 100).quantize(ZERO)


@dataclass(frozen=True)
class LondonView:
    name: str
    period: str
    value: float
    lower: float | None
    upper: float | None
    url: str


@dataclass(frozen=True)
class AnnualReport:
    year: int
    label: str
    first: datetime.date
    last: datetime.date
    run: AssessmentRun | None
    targets: tuple[dict[str, Any], ...]
    support: PeerSupport
    grants: tuple[Grant, ...]
    impact_run: ImpactRun | None
    savings: Savings | None
    views: tuple[LondonView, ...]
    case_studies: tuple[CaseStudy, ...]
    sources: dict[str, Source]

    @property
    def grants_total(self) -> Decimal:
        return sum((g.amount for g in self.grants if g.amount is not None), ZERO)

    @property
    def empty(self) -> bool:
        """Nothing at all is stored for the year."""
        return not (
            self.run
            or self.support.any
            or self.grants
            or self.savings
            or self.views
            or self.case_studies
        )


def year_run(year: int) -> AssessmentRun | None:
    """The year's assessment: the run the dashboard would show among those on data as of a
    day in the year."""
    first, last = financial_year_dates(year)
    found: AssessmentRun | None = AssessmentRun.objects.filter(as_of__range=(first, last)).shown(
        DEFAULT_METHOD
    )
    return found


def peer_support(year: int) -> PeerSupport:
    first, last = financial_year_dates(year)
    met = Match.objects.accepted().filter(decided_at__date__range=(first, last))
    lent = Secondment.objects.filter(start__range=(first, last)).aggregate(
        n=Count("id"), days=Sum("days")
    )
    given = sum((p.gave[LedgerKind.STAFF_DAYS] for p in positions(year)), ZERO)
    return PeerSupport(
        requests_made=SupportRequest.objects.filter(created_at__date__range=(first, last)).count(),
        requests_met=met.values("request_id").distinct().count(),
        days_given=given,
        reviews=PeerReview.objects.filter(on_site_start__range=(first, last)).count(),
        secondments=lent["n"],
        secondment_days=Decimal(lent["days"] or ZERO),
    )


def grants_decided(year: int, run: ImpactRun | None) -> tuple[Grant, ...]:
    first, last = financial_year_dates(year)
    awards = (
        Award.objects.filter(decided_on__range=(first, last))
        .select_related("application__lead")
        .order_by("decided_on", "id")
    )
    found = (
        dict(run.found.filter(award__in=awards).values_list("award_id", "status")) if run else {}
    )
    return tuple(
        Grant(
            id=a.pk,
            title=a.application.title,
            lead=a.application.lead.name,
            decided_on=a.decided_on,
            amount=a.amount if a.amount_published else None,
            impact=status_words(found[a.pk]) if a.pk in found else NOT_YET,
            illustrative=a.application.illustrative,
            url=reverse("fund-award", args=[a.pk]),
        )
        for a in awards
    )


def savings_in(year: int) -> Savings | None:
    """The members' savings the office accepted against their 3% targets; None when no
    member has a target or an accepted saving for the year. Claims not yet accepted are
    not published here."""
    progress = partnership_progress(year)
    with_target = [m for m in progress.members if m.target is not None]
    if not with_target and not progress.accepted:
        return None
    return Savings(progress.target, progress.accepted, len(with_target), progress.illustrative)


def london_views(year: int) -> tuple[LondonView, ...]:
    """London's residents' views for the periods ending in the year, published only."""
    first, last = financial_year_dates(year)
    rows = (
        Observation.public_objects.latest_revision()
        .filter(
            authority__code=LONDON_CODE,
            indicator__residents_view=True,
            period__end__range=(first, last),
            value__isnull=False,
        )
        .select_related("indicator", "period")
        .order_by("indicator__name", "-period__end")
    )
    seen: dict[str, LondonView] = {}
    for o in rows:
        seen.setdefault(
            o.indicator.code,
            LondonView(
                o.indicator.name,
                o.period.label,
                float(o.value),
                o.lower,
                o.upper,
                o.indicator.get_absolute_url(),
            ),
        )
    return tuple(seen.values())


def sources(year: int, run: AssessmentRun | None, impact: ImpactRun | None) -> dict[str, Source]:
    found = {
        "support": Source("the give-and-take ledger", reverse("support-ledger") + f"?year={year}"),
        "grants": Source("the fund's awards", reverse("fund")),
        "savings": Source(
            "the efficiency programme", reverse("efficiency-overview") + f"?year={year}"
        ),
        "views": Source("the indicator pages", reverse("indicator-list")),
        "case_studies": Source("the knowledge hub", reverse("knowledge-case-studies")),
    }
    if run is not None:
        found["targets"] = Source(f"assessment run {run.pk}", run.get_absolute_url())
    if impact is not None:
        found["impact"] = Source(f"impact run {impact.pk}", reverse("fund"))
    return found


def case_studies_of(year: int) -> tuple[CaseStudy, ...]:
    """The knowledge hub's case studies published in the year (published ones only)."""
    first, last = financial_year_dates(year)
    found = CaseStudy.public_objects.filter(published_on__range=(first, last))
    return tuple(found.select_related("lead").order_by("published_on", "title"))


def build_annual(year: int) -> AnnualReport:
    first, last = financial_year_dates(year)
    run = year_run(year)
    impact = ImpactRun.objects.latest_run()  # the newest reading of every award's impact
    return AnnualReport(
        year=year,
        label=year_label(year),
        first=first,
        last=last,
        run=run,
        targets=tuple(figures_of(run).targets) if run else (),
        support=peer_support(year),
        grants=grants_decided(year, impact),
        impact_run=impact,
        savings=savings_in(year),
        views=london_views(year),
        case_studies=case_studies_of(year),
        sources=sources(year, run, impact),
    )
