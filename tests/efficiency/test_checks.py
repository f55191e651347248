"""Validation, not trust: the checks as pure functions, and the flags a submitted return
gets, decided by the office with a reason."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ambition.accounts.models import AuditEntry
from ambition.efficiency import checks, submission
from ambition.efficiency.models import Flag, ReturnState
from ambition.registry.models import Authority

from ..accounts.factories import UserFactory
from ..registry.factories import LAMBETH, SOUTHWARK
from .factories import NetBudgetFactory, line

START = datetime.date(2008, 6, 1)


def claim(**changes: object) -> checks.Claim:
    values: dict[str, object] = {
        "workstream": "procurement",
        "amount": Decimal("100.00"),
        "recurrence": "ongoing",
        "started": START,
        "description": "Agency staff framework",
    }
    return checks.Claim(**{**values, **changes})  # type: ignore[arg-type]


def test_a_return_over_the_share_of_the_budget_is_too_large_and_at_it_is_not() -> None:
    at = [claim(amount=Decimal("60.00")), claim(amount=Decimal("40.00"))]
    assert checks.too_large(at, Decimal("1000.00"), Decimal("0.10")) == []
    over = [*at, claim(amount=Decimal("0.01"))]
    (found,) = checks.too_large(over, Decimal("1000.00"), Decimal("0.10"))
    assert found.kind == "too-large" and found.detail["claimed"] == "100.01"
    assert "£100.01" in checks.explain(found) and "10%" in checks.explain(found)


def test_with_no_budget_the_size_is_flagged_unchecked() -> None:
    (found,) = checks.too_large([claim()], None, Decimal("0.10"))
    assert found.kind == "no-budget"


def test_the_same_saving_is_found_across_returns_and_within_one() -> None:
    earlier = [checks.Earlier(7, 2007, claim(description="Agency  staff framework!"))]
    assert [f.line for f in checks.duplicates([claim()], earlier)] == [0]
    same_sum = claim(description="Something else", amount=Decimal("100.00"))
    assert [f.line for f in checks.duplicates([claim(), same_sum], [])] == [1]
    other_stream = claim(workstream="back-office")
    assert checks.duplicates([claim(), other_stream], []) == []


@given(st.text(alphabet="abc -.,!", min_size=1, max_size=30))
def test_case_punctuation_and_spacing_never_hide_a_duplicate(text: str) -> None:
    shouted = claim(description=f"  {text.upper()}!!", amount=Decimal("1"))
    assert checks.same_saving(claim(description=text, amount=Decimal("2")), shouted) == (
        checks.normalised(text) == checks.normalised(shouted.description)
    )


def test_an_ongoing_saving_ending_within_two_years_is_one_off() -> None:
    short = claim(ends=datetime.date(2010, 5, 31))
    long = claim(ends=datetime.date(2010, 6, 1))
    assert [f.line for f in checks.one_offs([short, long])] == [0]


def test_one_off_words_flag_an_ongoing_saving_but_not_a_one_off_one() -> None:
    words = claim(description="One-off rebate from the energy supplier")
    marked = claim(description="One-off rebate", recurrence="one-off")
    (found,) = checks.one_offs([words, marked])
    assert found.detail["words"] == "one-off, rebate"
    assert checks.one_offs([claim(description="Prefund the scheme")]) == []


@pytest.mark.usefixtures("clean_slate")
def test_a_clean_return_is_submitted_without_flags() -> None:
    NetBudgetFactory()
    made = submission.submit(Authority.objects.get(code=LAMBETH), 2008, [line()])
    assert made.state == ReturnState.SUBMITTED and not made.flags.exists()


@pytest.mark.usefixtures("clean_slate")
def test_a_saving_claimed_again_next_year_is_flagged_but_not_another_councils() -> None:
    NetBudgetFactory()
    NetBudgetFactory(year=2009)
    lambeth = Authority.objects.get(code=LAMBETH)
    submission.submit(lambeth, 2008, [line()])
    submission.submit(Authority.objects.get(code=SOUTHWARK), 2009, [line()])
    again = submission.submit(lambeth, 2009, [line(description="JOINT agency-staff framework.")])
    (flag,) = again.flags.all()
    assert (flag.kind, again.state) == ("duplicate", ReturnState.FLAGGED)
    assert "2008" in flag.reason


@pytest.mark.usefixtures("clean_slate")
def test_a_withdrawn_return_is_not_a_duplicate() -> None:
    NetBudgetFactory()
    lambeth = Authority.objects.get(code=LAMBETH)
    submission.withdraw(submission.submit(lambeth, 2008, [line()]))
    assert not submission.submit(lambeth, 2008, [line()]).flags.exists()


@pytest.mark.usefixtures("clean_slate")
def test_the_office_decides_each_flag_with_a_reason_and_it_is_audited() -> None:
    NetBudgetFactory(amount=Decimal("10000000.00"))
    office = UserFactory(roles=["analyst"])
    made = submission.submit(
        Authority.objects.get(code=LAMBETH),
        2008,
        [line(amount=Decimal("1000000.01"), description="One-off windfall")],
    )
    too_large, one_off = made.flags.order_by("kind").reverse()
    assert {too_large.kind, one_off.kind} == {"too-large", "one-off"}
    with pytest.raises(submission.DecisionError):
        submission.decide(too_large, office, accept=True, reason="  ")
    submission.decide(too_large, office, accept=True, reason="Budget excludes schools")
    made.refresh_from_db()
    assert made.state == ReturnState.FLAGGED
    submission.decide(one_off, office, accept=False, reason="The windfall does not recur")
    made.refresh_from_db()
    assert made.state == ReturnState.ACCEPTED
    with pytest.raises(submission.DecisionError):
        submission.decide(one_off, office, accept=True, reason="Changed my mind")
    logged = AuditEntry.objects.filter(object_id=str(one_off.pk), model="efficiency.flag")
    assert logged.exists()
    assert Flag.objects.get(pk=one_off.pk).decision_reason == "The windfall does not recur"
