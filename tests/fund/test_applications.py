"""An application's life: drafted, confirmed by each partner of a joint bid, submitted,
appraised, decided with reasons; every move logged with who and when; approval makes the
award only while the budget has room."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ambition.fund import applications, awards, budgeting
from ambition.fund.applications import ApplicationError
from ambition.fund.models import Application, Award, Decision
from tests.accounts.factories import UserFactory
from tests.registry.factories import CAMDEN, LAMBETH, SOUTHWARK

from .factories import ClaimFactory
from .grants import SCORES, appraised, draft, improvement_budget

db = pytest.mark.django_db


def states(application: Application) -> list[tuple[str, str]]:
    return list(application.changes.values_list("from_state", "to_state"))


@db
def test_the_whole_way_to_an_award_is_logged_with_who_and_when() -> None:
    office = UserFactory(roles=("analyst",))
    board = UserFactory(roles=("board",))
    made = draft(improvement_budget())
    applications.submit(made, None, "Ready")
    appraisal = applications.appraise(made, office, SCORES, "Strong need")
    decision = applications.decide(made, board, "approved")
    made.refresh_from_db()
    assert made.state == "approved" and made.submitted_at is not None
    assert states(made) == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "appraised"),
        ("appraised", "approved"),
    ]
    assert list(made.changes.values_list("by__username", flat=True))[2:] == [
        office.username,
        board.username,
    ]
    assert appraisal.total == Decimal(
        71
    )  # 24 + 15 + 20 + 6 + 6 and appraisal.criteria_version == "2006-1"
    assert (decision.by, decision.outcome) == (board, "approved")
    award = Award.objects.get(application=made)
    assert award.amount == award.awarded == Decimal(300)


@db
def test_a_joint_bid_waits_for_every_partner_council_to_confirm() -> None:
    made = draft(improvement_budget(), partners=(SOUTHWARK, CAMDEN))
    with pytest.raises(ApplicationError, match="has not confirmed the joint bid"):
        applications.submit(made, None)
    officer = UserFactory(roles=(f"officer:{SOUTHWARK}",))
    southwark = made.partners.get(authority__code=SOUTHWARK)
    partner = applications.confirm_partner(made, southwark.authority, officer)
    assert partner.confirmed_by == officer and partner.confirmed_at is not None
    with pytest.raises(ApplicationError, match="Camden has not confirmed"):
        applications.submit(made, None)
    applications.confirm_partner(made, made.partners.get(authority__code=CAMDEN).authority, None)
    assert applications.submit(made, None).state == "submitted"


@db
def test_only_a_partner_confirms_and_only_a_draft_changes() -> None:
    made = draft(improvement_budget(), partners=(SOUTHWARK,))
    with pytest.raises(ApplicationError, match="not a partner"):
        applications.confirm_partner(made, made.lead, None)
    applications.confirm_partner(made, made.partners.get().authority, None)
    applications.submit(made, None)
    with pytest.raises(ApplicationError, match="Only a draft"):
        applications.add_milestone(made, "Later", made.created_at.date(), Decimal(1))
    with pytest.raises(ApplicationError, match="submitted: it cannot be submitted"):
        applications.submit(made, None)


@db
def test_submission_needs_a_target_and_milestones_adding_up_to_the_amount() -> None:
    made = applications.create(
        draft(improvement_budget()).lead, improvement_budget(), "Bare", "x", None, Decimal(100)
    )
    with pytest.raises(ApplicationError) as refused:
        applications.submit(made, None)
    assert "No target" in str(refused.value)
    assert "add up to £0.00, not the £100.00 requested" in str(refused.value)
    assert made.changes.count() == 1  # nothing half-written


@db
@pytest.mark.parametrize(
    ("outcome", "reasons", "conditions", "message"),
    [
        ("refused", "", "", "gives its reasons"),
        ("conditions", "", "Quarterly reports", "gives its reasons"),
        ("conditions", "Risky", "", "states the conditions"),
        ("deferred", "x", "", "not a decision"),
    ],
)
def test_a_decision_gives_its_reasons(
    outcome: str, reasons: str, conditions: str, message: str
) -> None:
    made = appraised(improvement_budget())
    with pytest.raises(ApplicationError, match=message):
        applications.decide(made, None, outcome, reasons, conditions)
    made.refresh_from_db()
    assert made.state == "appraised" and not Decision.objects.filter(application=made).exists()


@db
def test_refused_and_conditional_outcomes() -> None:
    budget = improvement_budget()
    refused, conditional = appraised(budget), appraised(budget)
    applications.decide(refused, None, "refused", "Need not shown")
    applications.decide(conditional, None, "conditions", "Weak plan", "Monthly reports")
    refused.refresh_from_db()
    conditional.refresh_from_db()
    assert (refused.state, conditional.state) == ("refused", "conditions")
    assert not Award.objects.filter(application=refused).exists()
    assert Award.objects.get(application=conditional).conditions == "Monthly reports"
    assert budgeting.committed(budget.pk) == Decimal(300)


@db
def test_the_state_machine_refuses_steps_out_of_order() -> None:
    made = draft(improvement_budget())
    with pytest.raises(ApplicationError, match="draft: it cannot be appraised"):
        applications.appraise(made, None, SCORES)
    with pytest.raises(ApplicationError, match="draft: it cannot be decided"):
        applications.decide(made, None, "approved")
    applications.withdraw(made, None, "Changed our plans")
    with pytest.raises(ApplicationError, match="withdrawn: it cannot be submitted"):
        applications.submit(made, None)
    assert states(made)[-1] == ("draft", "withdrawn")


@db
def test_approval_never_takes_the_budget_past_its_amount() -> None:
    budget = improvement_budget("1000")
    ClaimFactory(
        budget=budget, amount=Decimal(300), state="approved", decided_at="2025-05-01T00:00Z"
    )
    applications.decide(appraised(budget, "500"), None, "approved")
    late = appraised(budget, "200.01")
    with pytest.raises(awards.OverBudget, match=r"£200\.01 is more than the £200\.00 left"):
        applications.decide(late, None, "approved")
    late.refresh_from_db()
    assert late.state == "appraised" and not Decision.objects.filter(application=late).exists()
    applications.decide(late, None, "approved", amount=Decimal(200))
    assert budgeting.remaining(budget) == Decimal(0)


@db
def test_the_board_awards_no_more_than_was_asked() -> None:
    made = appraised(improvement_budget())
    with pytest.raises(ApplicationError, match=r"no more than the £300\.00 requested"):
        applications.decide(made, None, "approved", amount=Decimal("300.01"))


@db
def test_an_application_belongs_to_its_lead_council_for_permissions() -> None:
    made = draft(improvement_budget(), partners=(SOUTHWARK,))
    own, other = (
        UserFactory(roles=(f"officer:{LAMBETH}",)),
        UserFactory(roles=(f"officer:{CAMDEN}",)),
    )
    assert own.has_perm("fund.change_application", made)
    assert not other.has_perm("fund.change_application", made)
    assert list(Application.objects.involving(made.partners.get().authority_id)) == [made]
