"""The reward a local area agreement target is expected to earn, in Decimal to the penny:
the share of its stretch achieved, measured in the better direction, paid as its rule says."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .rules import ALL_OR_NOTHING, RewardRule

PENNY = Decimal("0.01")
Number = Decimal | int | float


def exact(value: Number, field: str) -> Decimal:
    """A value as a Decimal. A float is read by its shortest decimal form (0.1 is 0.1, not
    the binary fraction nearest it), which is how a person wrote it."""
    if isinstance(value, bool):
        raise ValueError(f"{field} must be a number, not {value!r}")
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"{field} must be a finite number, not {value!r}")
    return number


def better_direction(baseline: Decimal, target: Decimal, polarity: int | None) -> int:
    """+1 when higher is better, -1 when lower is: the indicator's polarity, else the way
    the target points from the baseline. A target no better than its baseline is refused."""
    sign = polarity or (1 if target > baseline else -1)
    if sign not in (1, -1):
        raise ValueError(f"polarity must be +1, -1 or None, not {polarity!r}")
    if (target - baseline) * sign <= 0:
        raise ValueError("target must be better than baseline in the indicator's direction")
    return sign


def share_achieved(
    baseline: Number, target: Number, latest: Number, polarity: int | None
) -> Decimal:
    """(latest - baseline) / (target - baseline), both in the better direction: 1 at the
    target, above 1 beyond it, negative when the value has moved the wrong way."""
    start, goal, now = (
        exact(v, f) for v, f in ((baseline, "baseline"), (target, "target"), (latest, "latest"))
    )
    sign = better_direction(start, goal, polarity)
    return (now - start) * sign / ((goal - start) * sign)


def expected_reward(
    rule: RewardRule,
    baseline: Number,
    target: Number,
    latest: Number,
    polarity: int | None,
    reward_max: Decimal,
) -> Decimal:
    """The reward `rule` pays for the latest value, at most `reward_max` (pounds and pence),
    rounded half up to the penny. Nothing below the rule's threshold."""
    most = exact(reward_max, "reward_max")
    if most < 0 or most != most.quantize(PENNY):
        raise ValueError("reward_max must be a sum of money: pounds and pence, not negative")
    share = min(share_achieved(baseline, target, latest, polarity), rule.cap)
    if share < rule.threshold:
        return Decimal("0.00")
    paid = Decimal(1) if rule.pays == ALL_OR_NOTHING else share
    return (most * paid).quantize(PENNY, rounding=ROUND_HALF_UP)
