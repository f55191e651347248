"""The demo's fund: the real government improvement budget and the real awards of 2006, as
Capital Ambition announced them (23 November 2006) and its strategy gave them (GBP 6.6m
from the Office of the Deputy Prime Minister until 2008/09). The press release gives each
award's amount and purpose but no milestones, tranches or payments: those the demo adds
are marked illustrative. Waltham Forest's package of August 2006 was announced without an
amount: it is recorded with its amount not published (0, never exported, not counted).

Nor does the announcement name the indicators each grant should move. So that the award
pages show an impact, each award is given illustrative targets (the history of its
application says so): indicators the store holds from before 2006 to after the fund's last
year, 2008/09, chosen as the nearest to its purpose that the store has. It holds no
use-of-resources, value-for-money or satisfaction measure that old, so the corporate grants
are judged by a service the council itself runs (household waste recycling) or decides
(net additions to the housing stock, which its planning committee answers for).
`load()` is idempotent: it adds only what is missing, by budget name and lead council, and
by indicator for the targets."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ambition.indicators.models import Indicator, ServiceArea
from ambition.registry.models import Authority

from . import awards
from .models import (
    Application,
    ApplicationState,
    ApplicationTarget,
    Award,
    Budget,
    Decision,
    Milestone,
    MilestoneEvidence,
    Outcome,
    Programme,
    Source,
    StateChange,
)

BUDGET = "Capital Ambition improvement fund"
SOURCE = "Capital Ambition press release, 23 November 2006"
ANNOUNCED = datetime.date(2006, 11, 23)
# The end of 2008/09, the last year of the government's money: when the targets fall due.
BY = datetime.date(2009, 3, 31)
RECYCLING = "recycling-rate"
NEW_HOMES = "ons-net-additions-housing-stock"
CLAIMANTS = "ons-claimant-count-rate"
TARGETS_NOTE = (
    "Illustrative: the target indicators were added for the demo, so that its impact can be "
    "shown; the announcement names none."
)


@dataclass(frozen=True)
class Target:
    """An illustrative target: the indicator, by how much (in its unit, signed as it
    moves) and by when."""

    indicator: str
    change: Decimal
    by: datetime.date = BY


@dataclass(frozen=True)
class Historic:
    code: str
    title: str
    purpose: str
    amount: Decimal | None  # None: not published
    decided_on: datetime.date
    area: str | None = None
    targets: tuple[Target, ...] = ()


AWARDS = (
    Historic(
        "E09000002",
        "Sharing expertise across housing, cohesion, neighbourhoods, leisure and governance",
        "Links staff in housing, community cohesion, neighbourhood management, leisure and "
        "governance with colleagues from other boroughs to support improvement in those "
        "services.",
        Decimal(250000),
        ANNOUNCED,
        "housing",
        # Housing and neighbourhood management: more homes, fewer people out of work.
        (Target(NEW_HOMES, Decimal(1)), Target(CLAIMANTS, Decimal("-0.5"))),
    ),
    Historic(
        "E09000016",
        "Member and management development",
        "Enhances the member and management development schemes in the borough.",
        Decimal(200000),
        ANNOUNCED,
        # Members decide planning applications: homes built is what their decisions yield.
        targets=(Target(NEW_HOMES, Decimal(1)),),
    ),
    Historic(
        "E09000015",
        "Service reviews and programme management",
        "Service reviews and programme management for the council's programme of improvements.",
        Decimal(250000),
        ANNOUNCED,
        targets=(Target(RECYCLING, Decimal(5)),),  # a reviewed service's own outcome
    ),
    Historic(
        "E09000024",
        "Financial management and value for money reviews",
        "Improves financial management and value for money reviews, and funds diversity work. "
        "The amount is approximate: the announcement says only 'a similar amount' to the "
        "GBP 250,000 of Barking and Dagenham and Harrow.",
        Decimal(250000),
        ANNOUNCED,
        targets=(Target(RECYCLING, Decimal(4)),),  # waste: the largest contract reviewed
    ),
    Historic(
        "E09000031",
        "Peer support for the council's improvement programme",
        "Officers from six other boroughs, of differing political administrations, work with "
        "their peers to enhance the council's improvement programme. Awarded in August 2006 "
        "(day not published); the amount was not published.",
        None,
        datetime.date(2006, 8, 1),
        targets=(Target(RECYCLING, Decimal(4)),),
    ),
)


@transaction.atomic
def load() -> dict[str, int]:
    budget, made = Budget.objects.get_or_create(
        name=BUDGET,
        year=2006,
        defaults={
            "programme": Programme.IMPROVEMENT,
            "source": Source.GOVERNMENT,
            "amount": Decimal(6600000),
        },
    )
    counts = {"budgets": int(made), "awards": 0, "payments": 0, "targets": 0}
    authorities = Authority.objects.in_bulk([h.code for h in AWARDS], field_name="code")
    for historic in AWARDS:
        award = Award.objects.filter(budget=budget, application__lead__code=historic.code).first()
        if award is None:
            award = _award(budget, authorities[historic.code], historic)
            counts["awards"] += 1
            counts["payments"] += _first_tranche(award)
        counts["targets"] += _targets(award.application, historic.targets)
    return counts


def _award(budget: Budget, lead: Authority, historic: Historic) -> Award:
    amount = historic.amount or Decimal(0)
    application = Application.objects.create(
        lead=lead,
        budget=budget,
        title=historic.title,
        purpose=historic.purpose,
        service_area=ServiceArea.objects.filter(code=historic.area).first(),
        amount=amount,
        amount_published=historic.amount is not None,
        state=ApplicationState.APPROVED,
        submitted_at=timezone.now(),
    )
    StateChange.objects.create(
        application=application,
        to_state=ApplicationState.APPROVED,
        at=timezone.now(),
        note=f"Recorded from {SOURCE}; the application itself is not published",
    )
    Decision.objects.create(
        application=application,
        outcome=Outcome.APPROVED,
        at=timezone.now(),
        decided_on=historic.decided_on,
    )
    if historic.amount is not None:
        _milestones(application, amount)
    return Award.objects.create(
        application=application,
        budget=budget,
        awarded=amount,
        amount=amount,
        amount_published=historic.amount is not None,
        decided_on=historic.decided_on,
        description=historic.purpose,
    )


def _milestones(application: Application, amount: Decimal) -> None:
    """Illustrative: two tranches, half at the end of each financial year."""
    half = (amount / 2).quantize(Decimal("0.01"))
    for title, due, tranche in (
        ("Illustrative: programme started", datetime.date(2007, 3, 31), half),
        ("Illustrative: programme complete", datetime.date(2008, 3, 31), amount - half),
    ):
        Milestone.objects.create(
            application=application, title=title, due=due, amount=tranche, illustrative=True
        )


def _first_tranche(award: Award) -> int:
    """Illustrative: the first milestone evidenced, accepted and paid."""
    first = award.application.milestones.order_by("due").first()
    if first is None:
        return 0
    evidence = MilestoneEvidence.objects.create(
        milestone=first,
        summary="Illustrative: the programme's start, as the council reported it",
        submitted_at=timezone.now(),
    )
    awards.accept_evidence(evidence, None, "Illustrative")
    awards.pay(first, None, first.due, illustrative=True)
    return 1


def _targets(application: Application, targets: tuple[Target, ...]) -> int:
    """Illustrative: the targets the application lacks, of indicators the store holds (one
    loaded before the reference data is skipped), noted in its history."""
    have = set(application.targets.values_list("indicator__code", flat=True))
    stored = Indicator.objects.in_bulk([t.indicator for t in targets], field_name="code")
    missing = [t for t in targets if t.indicator not in have and t.indicator in stored]
    for target in missing:
        ApplicationTarget.objects.create(
            application=application,
            indicator=stored[target.indicator],
            change=target.change,
            by_date=target.by,
            illustrative=True,
        )
    if missing:
        StateChange.objects.create(
            application=application,
            to_state=application.state,
            at=timezone.now(),
            note=TARGETS_NOTE,
        )
    return len(missing)
