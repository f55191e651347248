"""Making grants for the tests through the engine itself: a budget, a draft application with
a target and milestones, and the steps that take it to an award."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ambition.fund import applications, awards
from ambition.fund.models import Application, Award, Budget, Milestone, Programme, Source
from ambition.indicators.models import Indicator, ServiceArea

from ..registry.factories import LAMBETH, SOUTHWARK, AuthorityFactory
from .factories import BudgetFactory

SCORES = {"need": 4, "outcomes": 3, "deliverability": 5, "sharing": 2, "value": 3}


def improvement_budget(
    amount: str = "1000", name: str = "Improvement test", year: int = 2025
) -> Budget:
    return BudgetFactory(
        name=name,
        year=year,
        amount=Decimal(amount),
        programme=Programme.IMPROVEMENT,
        source=Source.GOVERNMENT,
    )


def draft(
    budget: Budget,
    amount: str = "300",
    tranches: int = 1,
    lead: str = LAMBETH,
    partners: tuple[str, ...] = (),
) -> Application:
    """A draft with one target and `tranches` equal milestones adding up to the amount."""
    indicator = Indicator.objects.order_by("code").first()
    made = applications.create(
        AuthorityFactory(code=lead),
        budget,
        "Test bid",
        "To improve",
        ServiceArea.objects.order_by("code").first(),
        Decimal(amount),
        partners=[AuthorityFactory(code=code) for code in partners],
    )
    applications.add_target(made, indicator, Decimal(5), by_date=datetime.date(2027, 3, 31))
    each = Decimal(amount) / tranches
    for n in range(tranches):
        applications.add_milestone(made, f"Step {n + 1}", datetime.date(2026, 6, 1 + n), each)
    return made


def appraised(budget: Budget, amount: str = "300", tranches: int = 1) -> Application:
    made = draft(budget, amount, tranches)
    applications.submit(made, None)
    applications.appraise(made, None, SCORES)
    return made


def awarded(budget: Budget, amount: str = "300", tranches: int = 1, grant: str = "") -> Award:
    made = appraised(budget, amount, tranches)
    applications.decide(made, None, "approved", amount=Decimal(grant) if grant else None)
    return Award.objects.get(application=made)


def evidenced(milestone: Milestone, user: Any = None) -> Milestone:
    awards.accept_evidence(awards.submit_evidence(milestone, "Done", user), user)
    return milestone


def samples() -> dict[str, int]:
    """The permission matrix's fund samples: a Lambeth draft joint bid with Southwark, and
    an award to Lambeth with one milestone whose evidence is submitted."""
    budget = improvement_budget(amount="10000")
    bid = draft(budget, partners=(SOUTHWARK,))
    award = awarded(budget)
    milestone = award.application.milestones.get()
    awards.submit_evidence(milestone, "Done", None)
    return {
        "application": bid.pk,
        "partner": bid.partners.get().pk,
        "award": award.pk,
        "milestone": milestone.pk,
    }
