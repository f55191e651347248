"""Awards and the money that follows them: granting (under the budget's lock, by
ambition.fund.applications.decide), variations, the council's milestone evidence, tranches
paid, and money returned. Each limit is checked under a row lock in the same transaction as
the write: the budget's row for anything that adds to its commitments, the award's row for
payments and returns; where both are needed the budget is locked first.

Who may do what is the caller's question (`user.has_perm`); these record who did it, when."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import budgeting
from .claims import acting
from .models import (
    Application,
    Award,
    Budget,
    EvidenceState,
    Milestone,
    MilestoneEvidence,
    Payment,
    Return,
    ReturnKind,
    Variation,
)
from .signals import grant_paid, grant_returned


class GrantError(ValueError):
    """A step the award, its milestone or its evidence does not allow."""


class OverBudget(GrantError):
    pass


class OverAward(GrantError):
    pass


def pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def locked_award(award_id: int) -> Award:
    """The award's row, locked until the transaction ends (as budgeting.locked is for a
    budget): two payments cannot both see the same room."""
    return Award.objects.select_for_update().get(pk=award_id)


def paid(award_id: int) -> Decimal:
    return budgeting.total(Payment.objects.filter(award_id=award_id))


def returned(award_id: int) -> Decimal:
    return budgeting.total(Return.objects.filter(award_id=award_id))


def check_room(budget: Budget, more: Decimal) -> None:
    """Raise unless the budget can promise `more`; the caller holds budgeting.locked."""
    room = budgeting.remaining(budget)
    if more > room:
        raise OverBudget(
            f"{pounds(more)} is more than the {pounds(room)} left on {budget.name} "
            f"({pounds(Decimal(budget.amount))}, of which {pounds(budget.amount - room)} is "
            "committed)"
        )


def grant(
    application: Application, budget: Budget, amount: Decimal, day: datetime.date, conditions: str
) -> Award:
    """The award that an approval makes. Call inside the decision's transaction, holding
    budgeting.locked(budget.pk)."""
    check_room(budget, amount)
    return Award.objects.create(
        application=application,
        budget=budget,
        awarded=amount,
        amount=amount,
        decided_on=day,
        conditions=conditions,
        description=application.purpose,
    )


@transaction.atomic
def vary(award: Award, amount: Decimal, reason: str, user: Any) -> Variation:
    """Change what the award promises: up only as far as the budget's room, down never
    below what has been paid."""
    if not reason.strip():
        raise GrantError("A variation says why")
    budget = budgeting.locked(award.budget_id)  # the budget first, then the award
    current = _payable(locked_award(award.pk))
    change = amount - current.amount
    if change == 0:
        raise GrantError(f"The award is already {pounds(amount)}")
    if amount < (out := paid(current.pk)):
        raise OverAward(f"{pounds(amount)} is less than the {pounds(out)} already paid")
    if change > 0:
        check_room(budget, change)
    current.amount = amount
    current.save(update_fields=["amount", "updated_at"])
    return Variation.objects.create(
        award=current, change=change, reason=reason, by=acting(user), at=timezone.now()
    )


def _payable(award: Award) -> Award:
    if not award.amount_published:
        raise GrantError("The award's amount is not known: it cannot be varied or paid")
    return award


def submit_evidence(
    milestone: Milestone, summary: str, user: Any, link: str = ""
) -> MilestoneEvidence:
    """The council's evidence that a milestone of its award is met."""
    if not summary.strip():
        raise GrantError("Evidence says what was done")
    _award_of(milestone)
    if Payment.objects.filter(milestone=milestone).exists():
        raise GrantError("The milestone is already paid")
    return MilestoneEvidence.objects.create(
        milestone=milestone,
        summary=summary,
        link=link,
        submitted_by=acting(user),
        submitted_at=timezone.now(),
    )


@transaction.atomic
def accept_evidence(evidence: MilestoneEvidence, user: Any, note: str = "") -> MilestoneEvidence:
    return _review(evidence, EvidenceState.ACCEPTED, user, note)


@transaction.atomic
def reject_evidence(evidence: MilestoneEvidence, user: Any, note: str) -> MilestoneEvidence:
    if not note.strip():
        raise GrantError("A rejection says why")
    return _review(evidence, EvidenceState.REJECTED, user, note)


def _review(evidence: MilestoneEvidence, state: str, user: Any, note: str) -> MilestoneEvidence:
    current = MilestoneEvidence.objects.select_for_update().get(pk=evidence.pk)
    if current.state != EvidenceState.SUBMITTED:
        raise GrantError(f"The evidence is already {current.get_state_display().lower()}")
    current.state, current.note = state, note
    current.reviewed_by, current.reviewed_at = acting(user), timezone.now()
    current.save(update_fields=["state", "note", "reviewed_by", "reviewed_at"])
    return current


@transaction.atomic
def pay(
    milestone: Milestone,
    user: Any,
    day: datetime.date | None = None,
    amount: Decimal | None = None,
    illustrative: bool = False,
) -> Payment:
    """Pay the milestone's tranche (its amount unless told) once its evidence is accepted,
    never past the award's amount; then send fund.signals.grant_paid in this transaction."""
    award = _payable(locked_award(_award_of(milestone).pk))
    if not milestone.evidence.filter(state=EvidenceState.ACCEPTED).exists():
        raise GrantError(f"No accepted evidence for the milestone {milestone.title!r}")
    if Payment.objects.filter(milestone=milestone).exists():
        raise GrantError(f"The milestone {milestone.title!r} is already paid")
    tranche = Decimal(milestone.amount if amount is None else amount)
    room = award.amount - paid(award.pk)
    if tranche > room:
        raise OverAward(
            f"The payment of {pounds(tranche)} is more than the {pounds(room)} left to pay "
            f"on the award of {pounds(award.amount)}"
        )
    payment = Payment.objects.create(
        award=award,
        milestone=milestone,
        amount=tranche,
        paid_on=day or timezone.localdate(),
        illustrative=illustrative,
        by=acting(user),
        at=timezone.now(),
    )
    _count(award, paid_to_date=tranche)
    grant_paid.send(sender=Payment, payment=payment)
    return payment


def _count(award: Award, **more: Decimal) -> None:
    """Add to the award's running totals. `award` is the row read under its lock (see
    locked_award), so no other payment or return has moved them since; the sums are made
    here, in Decimal, and stored exact (SQLite would add them as floats)."""
    for name, amount in more.items():
        setattr(award, name, Decimal(getattr(award, name)) + amount)
    award.save(update_fields=[*more, "updated_at"])


def _award_of(milestone: Milestone) -> Award:
    award = Award.objects.filter(application_id=milestone.application_id).first()
    if award is None:
        raise GrantError("The milestone belongs to an application with no award")
    return award


@transaction.atomic
def give_back(
    award: Award,
    kind: str,
    amount: Decimal,
    reason: str,
    user: Any,
    day: datetime.date | None = None,
) -> Return:
    """Money paid that comes back (underspend returned, or clawed back): never more than
    was paid net of earlier returns. It releases as much of the budget; then sends
    fund.signals.grant_returned in this transaction."""
    if not reason.strip():
        raise GrantError("A return says why")
    if kind not in ReturnKind.values:
        raise GrantError(f"{kind!r} is not a return: one of {', '.join(ReturnKind.values)}")
    current = locked_award(award.pk)
    net = paid(current.pk) - returned(current.pk)
    if amount > net:
        raise OverAward(
            f"A return of {pounds(amount)} is more than the {pounds(net)} paid net of returns"
        )
    made = Return.objects.create(
        award=current,
        kind=kind,
        amount=amount,
        reason=reason,
        returned_on=day or timezone.localdate(),
        by=acting(user),
        at=timezone.now(),
    )
    _count(current, returned_to_date=amount)
    grant_returned.send(sender=Return, returned=made)
    return made
