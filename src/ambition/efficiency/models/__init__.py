"""Models of the efficiency app, one module per family."""

from .budgets import NetBudget, NetBudgetQuerySet
from .returns import (
    VIEW_RETURNS,
    Flag,
    FlagKind,
    FlagState,
    Recurrence,
    ReturnState,
    SavingsLine,
    SavingsReturn,
    SavingsReturnQuerySet,
    Workstream,
)

__all__ = [
    "VIEW_RETURNS",
    "Flag",
    "FlagKind",
    "FlagState",
    "NetBudget",
    "NetBudgetQuerySet",
    "Recurrence",
    "ReturnState",
    "SavingsLine",
    "SavingsReturn",
    "SavingsReturnQuerySet",
    "Workstream",
]
