"""The pack's money: the grants a member led and what was paid on them, and its efficiency
savings against its target, read from the fund and the efficiency programme (never kept
here)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum  # type: ignore[import-untyped]

from ambition.efficiency.progress import Summary, authority_summary
from ambition.fund.models import Award, Payment
from ambition.indicators.periods import financial_year, financial_year_dates
from ambition.registry.models import Authority

ZERO = Decimal(0)


@dataclass(frozen=True)
class GrantReceived:
    title: str
    decided_on: str
    programme: str
    amount: Decimal | None  # None where no source gives it
    paid_in_year: Decimal
    paid_by_year_end: Decimal
    illustrative: bool


def grants_received(authority: Authority, year: int) -> tuple[GrantReceived, ...]:
    """Awards the member led that were decided in the year or paid in it."""
    first, last = financial_year_dates(year)
    in_year = Q(payments__paid_on__range=(first, last))
    paid_in_year = Payment.objects.filter(paid_on__range=(first, last)).values("award_id")
    awards = (
        Award.objects.filter(application__lead=authority, decided_on__lte=last)
        .filter(Q(decided_on__gte=first) | Q(pk__in=paid_in_year))
        .select_related("application", "budget")
        .annotate(
            paid_in_year=Sum("payments__amount", filter=in_year),
            paid_by_year_end=Sum("payments__amount", filter=Q(payments__paid_on__lte=last)),
        )
        .order_by("decided_on", "id")
    )
    return tuple(_received(award) for award in awards)


def grant_years(authority: Authority) -> set[int]:
    """The financial years in which an award the member led was decided or paid: the years
    `grants_received` has something to say about."""
    led = Award.objects.filter(application__lead=authority)
    days = set(led.values_list("decided_on", flat=True))
    days |= set(Payment.objects.filter(award__in=led).values_list("paid_on", flat=True))
    return {financial_year(day) for day in days if day is not None}


def _received(award: Award) -> GrantReceived:
    return GrantReceived(
        title=award.application.title,
        decided_on=award.decided_on.isoformat(),
        programme=award.budget.get_programme_display(),
        amount=award.amount if award.amount_published else None,
        paid_in_year=Decimal(award.paid_in_year or ZERO),
        paid_by_year_end=Decimal(award.paid_by_year_end or ZERO),
        illustrative=award.application.illustrative,
    )


def savings_of(authority: Authority, year: int) -> Summary:
    return authority_summary(authority, year)
