"""Peer support's data: requests, offers, matches, reviews, secondments, back-fill money
and the give-and-take ledger. Import from the package, not from its modules."""

# The financial year's rules live with the periods, the lowest floor that needs them.
from ambition.indicators.periods import financial_year, year_label

from .ledger import (
    AppendOnly,
    Direction,
    LedgerEntry,
    LedgerKind,
    LedgerQuerySet,
    LedgerSource,
)
from .matches import DECISION_FIELDS, BrokerRun, Match, MatchQuerySet
from .money import ClaimCause
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
    "DECISION_FIELDS",
    "STAGE_ORDER",
    "VIEW_PEOPLE",
    "ActionPlanItem",
    "AppendOnly",
    "BrokerRun",
    "ClaimCause",
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
