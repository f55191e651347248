"""Models of the efficiency app, one module per family."""

from .agreements import (
    ADD_LAA,
    VIEW_LAA,
    AgreementPartner,
    AgreementQuerySet,
    AgreementTarget,
    LocalAreaAgreement,
    PartnerKind,
)
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
    category_choices,
)

__all__ = [
    "ADD_LAA",
    "VIEW_LAA",
    "VIEW_RETURNS",
    "AgreementPartner",
    "AgreementQuerySet",
    "AgreementTarget",
    "Flag",
    "FlagKind",
    "FlagState",
    "LocalAreaAgreement",
    "NetBudget",
    "NetBudgetQuerySet",
    "PartnerKind",
    "Recurrence",
    "ReturnState",
    "SavingsLine",
    "SavingsReturn",
    "SavingsReturnQuerySet",
    "Workstream",
    "category_choices",
]
