"""Who may do what: the one place this app answers permission questions. Pages, forms,
downloads and the API all ask through Django's `user.has_perm(perm, obj)`, which the
`PolicyBackend` answers from these rules and the person's role grants."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .models import SCOPED_ROLES, Role

CATALOGUE = ("indicator", "servicearea")
RULES: dict[str, frozenset[Role]] = {
    "indicators.add_observation": frozenset({Role.ANALYST, Role.OFFICER}),
    "indicators.view_restricted_observation": frozenset({Role.ANALYST, Role.OFFICER}),
    "indicators.view_importbatch": frozenset({Role.ANALYST, Role.OFFICER, Role.ADMINISTRATOR}),
    "indicators.view_importjob": frozenset({Role.ANALYST, Role.OFFICER, Role.ADMINISTRATOR}),
    "accounts.view_auditentry": frozenset({Role.ANALYST, Role.ADMINISTRATOR}),
    "assessment.add_assessmentrun": frozenset({Role.ANALYST}),
    "assessment.add_judgement": frozenset({Role.ANALYST}),
    # Peer support: a council officer asks and offers for their own authority only; the
    # office for all. Offered people are personal data: see support.OfferPerson.
    **{
        f"support.{verb}_{model}": frozenset({Role.ANALYST, Role.OFFICER})
        for model in ("supportrequest", "supportoffer", "offerperson")
        for verb in ("add", "change")
    },
    "support.delete_offerperson": frozenset({Role.ANALYST, Role.OFFICER}),
    "support.view_offerperson": frozenset({Role.ANALYST, Role.OFFICER}),
    "support.add_brokerrun": frozenset({Role.ANALYST}),
    # The partnership's own business: its members' officers and board and the office read
    # every request, offer and proposal (people's names apart); residents do not.
    **{
        f"support.view_{model}": frozenset(
            {Role.ANALYST, Role.OFFICER, Role.BOARD, Role.ADMINISTRATOR}
        )
        for model in ("supportrequest", "supportoffer", "brokerrun", "match")
    },
    # Deciding a proposal: the office, or an officer of the requesting authority (asked
    # with the match's request as the object).
    "support.change_match": frozenset({Role.ANALYST, Role.OFFICER}),
    # Review packs and meetings: board members, the office and administrators read every
    # member's; a council officer their own authority's (asked with it as the object), and
    # not the whole partnership's. Board members and the office record meetings.
    "reports.view_reviewpack": frozenset(
        {Role.BOARD, Role.ANALYST, Role.ADMINISTRATOR, Role.OFFICER}
    ),
    "reports.view_partnershippack": frozenset({Role.BOARD, Role.ANALYST, Role.ADMINISTRATOR}),
    "reports.view_meeting": frozenset({Role.BOARD, Role.ANALYST, Role.ADMINISTRATOR, Role.OFFICER}),
    "reports.add_meeting": frozenset({Role.BOARD, Role.ANALYST, Role.ADMINISTRATOR}),
    "reports.change_meeting": frozenset({Role.BOARD, Role.ANALYST, Role.ADMINISTRATOR}),
    # Peer reviews, secondments and back-fill: an officer acts for their own authority
    # (asks for a review of it, supplies its people to a team, claims its back-fill); the
    # office does everything and alone moves stages and decides claims; the board reads.
    # Team members' and secondees' names: see support.ReviewTeamMember and Secondee.
    "support.add_peerreview": frozenset({Role.ANALYST, Role.OFFICER}),
    "support.change_peerreview": frozenset({Role.ANALYST}),
    "support.view_peerreview_documents": frozenset({Role.ANALYST, Role.OFFICER, Role.BOARD}),
    "support.add_reviewteammember": frozenset({Role.ANALYST, Role.OFFICER}),
    "support.add_actionplanitem": frozenset({Role.ANALYST, Role.OFFICER}),
    "support.add_secondment": frozenset({Role.ANALYST, Role.OFFICER}),
    "support.change_secondment": frozenset({Role.ANALYST, Role.OFFICER}),
    # The fund (every budget, claim, application and award): budgets and claims are read by
    # the partnership; an officer claims and applies for their own authority (or leads a
    # joint bid that each partner's officer confirms); the office appraises, pays, varies and
    # reconciles; the board decides. Awards are public, as the 360Giving data is.
    "fund.view_budget": frozenset({Role.ANALYST, Role.OFFICER, Role.BOARD}),
    "fund.add_budget": frozenset({Role.ANALYST}),
    "fund.add_claim": frozenset({Role.ANALYST, Role.OFFICER}),
    "fund.view_claim": frozenset({Role.ANALYST, Role.OFFICER, Role.BOARD}),
    "fund.change_claim": frozenset({Role.ANALYST}),
    "fund.view_application": frozenset(
        {Role.ANALYST, Role.OFFICER, Role.BOARD, Role.ADMINISTRATOR}
    ),
    "fund.add_application": frozenset({Role.ANALYST, Role.OFFICER}),
    "fund.change_application": frozenset({Role.ANALYST, Role.OFFICER}),
    "fund.add_appraisal": frozenset({Role.ANALYST}),
    "fund.add_decision": frozenset({Role.BOARD}),
    "fund.add_evidence": frozenset({Role.ANALYST, Role.OFFICER}),
    "fund.add_payment": frozenset({Role.ANALYST}),
    "fund.change_award": frozenset({Role.ANALYST}),
    # The efficiency programme: an officer returns savings for their own authority; the
    # office imports budgets, sets targets and clears flags; the partnership reads.
    "efficiency.view_savingsreturn": frozenset(
        {Role.ANALYST, Role.OFFICER, Role.BOARD, Role.ADMINISTRATOR}
    ),
    "efficiency.add_savingsreturn": frozenset({Role.ANALYST, Role.OFFICER}),
    "efficiency.change_savingsreturn": frozenset({Role.ANALYST}),
    "efficiency.add_netbudget": frozenset({Role.ANALYST}),
    "efficiency.view_laa": frozenset({Role.ANALYST, Role.OFFICER, Role.BOARD, Role.ADMINISTRATOR}),
    "efficiency.add_laa": frozenset({Role.ANALYST, Role.OFFICER}),
    "support.add_ledgerentry": frozenset({Role.ANALYST}),
    # Spend files: the office imports any authority's, an officer their own authority's (asked
    # with it as the object); the rows they refuse, and the mappings confirmed, likewise.
    "spend.add_spendfile": frozenset({Role.ANALYST, Role.OFFICER}),
    "spend.view_spendfile": frozenset({Role.ANALYST, Role.OFFICER, Role.ADMINISTRATOR}),
    "spend.add_spendmapping": frozenset({Role.ANALYST, Role.OFFICER}),
    # Suppliers as resolved across authorities: the office decides (confirm, split, merge);
    # the partnership's officers and board read. Never residents: a supplier can be a person.
    "spend.view_suppliercluster": frozenset(
        {Role.ANALYST, Role.OFFICER, Role.BOARD, Role.ADMINISTRATOR}
    ),
    "spend.add_supplierdecision": frozenset({Role.ANALYST, Role.ADMINISTRATOR}),
    # Procurement categories and opportunities: the office labels categories and sets the
    # assumed saving rates; officers and the board read the opportunities (suppliers named,
    # so never residents).
    "spend.add_categorylabel": frozenset({Role.ANALYST}),
    "spend.view_opportunity": frozenset(
        {Role.ANALYST, Role.OFFICER, Role.BOARD, Role.ADMINISTRATOR}
    ),
    "spend.add_savingrate": frozenset({Role.ANALYST}),
    # The knowledge hub: an officer writes case studies for their own council (asked with
    # its lead authority as the object) and reads its drafts; the office writes any, and
    # alone publishes and sets the strength of evidence, never the author.
    "knowledge.add_casestudy": frozenset({Role.ANALYST, Role.OFFICER}),
    "knowledge.change_casestudy": frozenset({Role.ANALYST, Role.OFFICER}),
    "knowledge.view_draft_casestudy": frozenset({Role.ANALYST, Role.OFFICER, Role.ADMINISTRATOR}),
    "knowledge.set_evidence_level": frozenset({Role.ANALYST}),
    "knowledge.publish_casestudy": frozenset({Role.ANALYST}),
    **{
        f"indicators.{verb}_{model}": frozenset({Role.ANALYST})
        for model in CATALOGUE
        for verb in ("add", "change", "delete", "view")
    },
    **{
        f"{app}.{verb}_{model}": frozenset({Role.ADMINISTRATOR})
        for app, model in (("auth", "user"), ("accounts", "rolegrant"))
        for verb in ("add", "change", "delete", "view")
    },
}
STAFF_ROLES = frozenset({Role.ANALYST, Role.ADMINISTRATOR})


@dataclass(frozen=True, slots=True)
class Grant:
    role: Role
    authority_id: int | None


def allows(grants: Iterable[Grant], perm: str, authority_id: int | None = None) -> bool:
    """Whether any of the grants permits `perm`, on `authority_id` where it is given: a
    scoped role acts only for its own authority."""
    allowed = RULES.get(perm, frozenset())
    for grant in grants:
        if grant.role not in allowed:
            continue
        acts_elsewhere = authority_id is not None and grant.authority_id != authority_id
        if grant.role in SCOPED_ROLES and acts_elsewhere:
            continue
        return True
    return False


def writable_authorities(grants: Iterable[Grant], perm: str) -> frozenset[int] | None:
    """The authorities `perm` may be used on: None for every authority, else the set."""
    allowed = RULES.get(perm, frozenset())
    scoped: set[int] = set()
    for grant in grants:
        if grant.role in allowed and grant.role not in SCOPED_ROLES:
            return None
        if grant.role in allowed and grant.authority_id is not None:
            scoped.add(grant.authority_id)
    return frozenset(scoped)
