"""The fund's data: budgets, claims on them, and grants (applications, awards, payments).
Import from the package, not from its modules."""

from .applications import (
    Application,
    ApplicationQuerySet,
    ApplicationState,
    ApplicationTarget,
    Milestone,
    Partner,
    StateChange,
)
from .awards import Award, EvidenceState, MilestoneEvidence, Payment, Return, ReturnKind, Variation
from .budgets import Budget, BudgetQuerySet, Programme, Source
from .claims import COMMITTED, VIEW_CLAIMS, Claim, ClaimQuerySet, ClaimState, claims_scope
from .decisions import Appraisal, Decision, Outcome
from .impacts import AwardImpact, ImpactRun, ImpactRunQuerySet, TargetFinding

__all__ = [
    "COMMITTED",
    "VIEW_CLAIMS",
    "Application",
    "ApplicationQuerySet",
    "ApplicationState",
    "ApplicationTarget",
    "Appraisal",
    "Award",
    "AwardImpact",
    "Budget",
    "BudgetQuerySet",
    "Claim",
    "ClaimQuerySet",
    "ClaimState",
    "Decision",
    "EvidenceState",
    "ImpactRun",
    "ImpactRunQuerySet",
    "Milestone",
    "MilestoneEvidence",
    "Outcome",
    "Partner",
    "Payment",
    "Programme",
    "Return",
    "ReturnKind",
    "Source",
    "StateChange",
    "TargetFinding",
    "Variation",
    "claims_scope",
]
