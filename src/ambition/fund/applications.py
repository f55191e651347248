"""An application's life: drafted by the lead council (with its partners, targets and
milestones), confirmed by each partner council, submitted, appraised by the office against
the published criteria, decided by the board; withdrawn at any point before the decision.

    draft -> submitted -> appraised -> approved | conditions | refused
    draft, submitted, appraised -> withdrawn

Every move is logged (StateChange: from, to, who, when, note). Approval makes the award
under the budget's row lock (ambition.fund.awards.grant). Who may act is the caller's
question (`user.has_perm`); these record who did and when."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from . import awards, budgeting, criteria
from .claims import acting
from .models import (
    Application,
    ApplicationState,
    ApplicationTarget,
    Appraisal,
    Budget,
    Decision,
    Milestone,
    Outcome,
    Partner,
    StateChange,
)

State = ApplicationState
OPEN = (State.DRAFT, State.SUBMITTED, State.APPRAISED)
DECIDED_STATES = {
    Outcome.APPROVED: State.APPROVED,
    Outcome.CONDITIONS: State.CONDITIONS,
    Outcome.REFUSED: State.REFUSED,
}


class ApplicationError(ValueError):
    """A step the application's state or contents do not allow."""


@transaction.atomic
def create(
    lead: Any,
    budget: Budget,
    title: str,
    purpose: str,
    service_area: Any,
    amount: Decimal,
    user: Any = None,
    partners: Iterable[Any] = (),
    illustrative: bool = False,
) -> Application:
    """A draft, led by `lead`; `partners` are the other councils of a joint bid."""
    made = Application.objects.create(
        lead=lead,
        budget=budget,
        title=title,
        purpose=purpose,
        service_area=service_area,
        amount=amount,
        created_by=acting(user),
        illustrative=illustrative,
    )
    for authority in partners:
        if authority.pk != lead.pk:
            Partner.objects.get_or_create(application=made, authority=authority)
    _log(made, "", State.DRAFT, user, "")
    return made


def add_target(
    application: Application,
    indicator: Any,
    change: Decimal,
    by_period: Any = None,
    by_date: datetime.date | None = None,
) -> ApplicationTarget:
    _require_draft(application)
    if by_period is None and by_date is None:
        raise ApplicationError("A target says by when: a period or a date")
    return ApplicationTarget.objects.create(
        application=application,
        indicator=indicator,
        change=change,
        by_period=by_period,
        by_date=by_date,
    )


def add_milestone(
    application: Application, title: str, due: datetime.date, amount: Decimal
) -> Milestone:
    _require_draft(application)
    return Milestone.objects.create(application=application, title=title, due=due, amount=amount)


def _require_draft(application: Application) -> None:
    if Application.objects.get(pk=application.pk).state != State.DRAFT:
        raise ApplicationError("Only a draft can change: this application is submitted")


@transaction.atomic
def confirm_partner(application: Application, authority: Any, user: Any) -> Partner:
    """The partner council's officer confirms it takes part in the joint bid."""
    current = _locked(application, (State.DRAFT,), "confirmed")
    partner = Partner.objects.filter(application=current, authority=authority).first()
    if partner is None:
        raise ApplicationError(f"{authority} is not a partner in this bid")
    partner.confirmed_by, partner.confirmed_at = acting(user), timezone.now()
    partner.save(update_fields=["confirmed_by", "confirmed_at"])
    return partner


@transaction.atomic
def submit(application: Application, user: Any, note: str = "") -> Application:
    """Draft -> submitted, once every partner has confirmed, there is a target, and the
    milestones' tranches add up to the amount requested."""
    current = _locked(application, (State.DRAFT,), "submitted")
    if problems := submission_problems(current):
        raise ApplicationError("; ".join(problems))
    current.submitted_at = timezone.now()
    return _move(current, State.SUBMITTED, user, note, extra=["submitted_at"])


def submission_problems(application: Application) -> list[str]:
    """What stands between a draft and its submission, for a page to list."""
    problems = [
        f"{p.authority} has not confirmed the joint bid"
        for p in application.partners.select_related("authority")
        if not p.confirmed
    ]
    if not application.targets.exists():
        problems.append("No target: name an indicator the grant should move")
    tranches = application.milestones.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if tranches != application.amount:
        problems.append(
            f"The milestones add up to {awards.pounds(tranches)}, not the "
            f"{awards.pounds(application.amount)} requested"
        )
    return problems


@transaction.atomic
def appraise(
    application: Application, user: Any, scores: Mapping[str, int], comments: str = ""
) -> Appraisal:
    """The office's scores against the published criteria; a later appraisal replaces an
    earlier one as the current view, and both are kept."""
    current = _locked(application, (State.SUBMITTED, State.APPRAISED), "appraised")
    published = criteria.load()
    appraisal = Appraisal.objects.create(
        application=current,
        criteria_version=published.version,
        scores=dict(scores),
        total=published.total(scores),
        comments=comments,
        by=acting(user),
        at=timezone.now(),
    )
    _move(current, State.APPRAISED, user, f"Scored {appraisal.total} out of 100")
    return appraisal


@transaction.atomic
def decide(
    application: Application,
    user: Any,
    outcome: str,
    reasons: str = "",
    conditions: str = "",
    amount: Decimal | None = None,
    day: datetime.date | None = None,
) -> Decision:
    """The board's decision on an appraised application. Approval (with or without
    conditions) makes its award, of `amount` (the amount requested unless told, never
    more), if the budget has room for it; refusal and conditions say why."""
    _require_reasons(outcome, reasons, conditions)
    budget = budgeting.locked(application.budget_id)  # the budget first, then the application
    current = _locked(application, (State.APPRAISED,), "decided")
    day = day or timezone.localdate()
    decision = Decision.objects.create(
        application=current,
        outcome=outcome,
        conditions=conditions,
        reasons=reasons,
        by=acting(user),
        at=timezone.now(),
        decided_on=day,
    )
    if outcome != Outcome.REFUSED:
        awards.grant(current, budget, _granted(current, amount), day, conditions)
    _move(current, DECIDED_STATES[Outcome(outcome)], user, reasons or conditions)
    return decision


def _require_reasons(outcome: str, reasons: str, conditions: str) -> None:
    if outcome not in Outcome.values:
        raise ApplicationError(f"{outcome!r} is not a decision: one of {', '.join(Outcome)}")
    if outcome != Outcome.APPROVED and not reasons.strip():
        raise ApplicationError("A refusal, or an approval with conditions, gives its reasons")
    if outcome == Outcome.CONDITIONS and not conditions.strip():
        raise ApplicationError("An approval with conditions states the conditions")


def _granted(application: Application, amount: Decimal | None) -> Decimal:
    granted = application.amount if amount is None else amount
    if not 0 < granted <= application.amount:
        raise ApplicationError(
            f"The award of {awards.pounds(granted)} must be more than nothing and no more "
            f"than the {awards.pounds(application.amount)} requested"
        )
    return granted


@transaction.atomic
def withdraw(application: Application, user: Any, note: str = "") -> Application:
    return _move(_locked(application, OPEN, "withdrawn"), State.WITHDRAWN, user, note)


def _locked(application: Application, states: Iterable[str], verb: str) -> Application:
    current = Application.objects.select_for_update().get(pk=application.pk)
    if current.state not in tuple(states):
        label = current.get_state_display().lower()
        raise ApplicationError(f"The application is {label}: it cannot be {verb}")
    return current


def _move(
    application: Application, state: str, user: Any, note: str, extra: Iterable[str] = ()
) -> Application:
    before = application.state
    application.state = state
    application.save(update_fields=["state", *extra])
    _log(application, before, state, user, note)
    return application


def _log(application: Application, before: str, after: str, user: Any, note: str) -> None:
    StateChange.objects.create(
        application=application,
        from_state=before,
        to_state=after,
        by=acting(user),
        at=timezone.now(),
        note=note,
    )
