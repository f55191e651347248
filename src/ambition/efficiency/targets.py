"""The programme's two shares, read from settings in one place: the savings target (3% of
the net revenue budget a year by default) and the largest share of the budget a single
return may claim before it is flagged (10% by default)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

PENNY = Decimal("0.01")
DEFAULT_TARGET_SHARE = Decimal("0.03")
DEFAULT_MAX_CLAIM_SHARE = Decimal("0.10")


def target_share() -> Decimal:
    return Decimal(str(getattr(settings, "EFFICIENCY_TARGET_SHARE", DEFAULT_TARGET_SHARE)))


def max_claim_share() -> Decimal:
    return Decimal(str(getattr(settings, "EFFICIENCY_MAX_CLAIM_SHARE", DEFAULT_MAX_CLAIM_SHARE)))


def to_penny(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def target_for(net_budget: Decimal | None, share: Decimal | None = None) -> Decimal | None:
    """The year's savings target: the share of that year's net budget, to the penny;
    None when the budget is not known."""
    if net_budget is None:
        return None
    return to_penny(net_budget * (target_share() if share is None else share))
