"""Local area agreements, the pure part: reward rules read from data, the reward a target
is expected to earn (Decimal, to the penny), and each target's progress (achieved, on
track, at risk, missed) from the stored observations and the assessment's forecasting.
No database and no request: the models and pages build the frames and call these."""

from .progress import (
    ACHIEVED,
    AT_RISK,
    MISSED,
    NOT_ENOUGH_DATA,
    ON_TRACK,
    PROGRESS_COLUMNS,
    ProgressSettings,
    progress,
)
from .reward import PENNY, better_direction, expected_reward, share_achieved
from .rules import (
    ALL_OR_NOTHING,
    PRO_RATA,
    RULES_FILE,
    RewardRule,
    RewardRuleError,
    load_rules,
    parse_rule,
)

__all__ = [
    "ACHIEVED",
    "ALL_OR_NOTHING",
    "AT_RISK",
    "MISSED",
    "NOT_ENOUGH_DATA",
    "ON_TRACK",
    "PENNY",
    "PROGRESS_COLUMNS",
    "PRO_RATA",
    "RULES_FILE",
    "ProgressSettings",
    "RewardRule",
    "RewardRuleError",
    "better_direction",
    "expected_reward",
    "load_rules",
    "parse_rule",
    "progress",
    "share_achieved",
]
