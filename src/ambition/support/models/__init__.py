"""Peer support's data: requests, offers, matches, reviews, secondments, back-fill money
and the give-and-take ledger. Import from the package, not from its modules."""

from .ledger import (
    AppendOnly,
    Direction,
    LedgerEntry,
    LedgerKind,
    LedgerQuerySet,
    LedgerSource,
    financial_year,
    year_label,
)
from .matches import DECISION_FIELDS, BrokerRun, Match, MatchQuerySet
from .money import COMMITTED, BackfillClaim, BudgetLine, ClaimState, Purpose
from .requests import (
    VIEW_PEOPLE,
    OfferPerson,
    OfferPersonQuerySet,
    Preference,
    SupportKind,
    SupportOffer,
    SupportRequest,
    people_scope,
)
from .reviews import (
    STAGE_ORDER,
    ActionPlanItem,
    PeerReview,
    ReviewStage,
    ReviewTeamMember,
    StageChange,
    TeamMemberQuerySet,
    TeamRole,
)
from .secondments import Secondee, SecondeeQuerySet, Secondment

__all__ = [
    "COMMITTED",
    "DECISION_FIELDS",
    "STAGE_ORDER",
    "VIEW_PEOPLE",
    "ActionPlanItem",
    "AppendOnly",
    "BackfillClaim",
    "BrokerRun",
    "BudgetLine",
    "ClaimState",
    "Direction",
    "LedgerEntry",
    "LedgerKind",
    "LedgerQuerySet",
    "LedgerSource",
    "Match",
    "MatchQuerySet",
    "OfferPerson",
    "OfferPersonQuerySet",
    "PeerReview",
    "Preference",
    "Purpose",
    "ReviewStage",
    "ReviewTeamMember",
    "Secondee",
    "SecondeeQuerySet",
    "Secondment",
    "StageChange",
    "SupportKind",
    "SupportOffer",
    "SupportRequest",
    "TeamMemberQuerySet",
    "TeamRole",
    "financial_year",
    "people_scope",
    "year_label",
]
