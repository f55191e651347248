"""The spend check as a pure function, on hand-made figures: a procurement saving the fall in
its category's spend bears out, one it does not, one the spend data cannot check; a one-off
saving weighed in its own year, an ongoing one annualised and weighed in the latest year."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ambition.efficiency import checks

# Spend on ICT in whole years: down £150 from 2013-14 to 2014-15, back up in 2015-16.
ICT = checks.CategorySpend(
    "ict",
    "ICT",
    {2013: Decimal("1000.00"), 2014: Decimal("850.00"), 2015: Decimal("990.00")},
)
SPEND = {"ict": ICT}


def claim(**changes: object) -> checks.Claim:
    values: dict[str, object] = {
        "workstream": "procurement",
        "amount": Decimal("150.00"),
        "recurrence": "one-off",
        "started": datetime.date(2014, 4, 1),
        "description": "Software licences bought together",
        "category": "ict",
    }
    return checks.Claim(**{**values, **changes})  # type: ignore[arg-type]


def found(*claims: checks.Claim, year: int = 2014) -> list[checks.Finding]:
    return checks.spend_borne_out(claims, year, SPEND)


def test_a_fall_at_least_the_claim_bears_it_out() -> None:
    assert found(claim()) == []
    compared = checks.compare_spend(claim(), 2014, ICT)
    assert (compared.kind, compared.before_year, compared.after_year) == ("borne-out", 2013, 2014)
    words = checks.explain(checks.Finding(compared.kind, 0, compared.detail()))
    assert "fell by £150.00" in words and "at least" in words


def test_a_fall_short_of_the_claim_is_flagged_with_its_figures() -> None:
    (flag,) = found(claim(amount=Decimal("150.01")))
    assert flag.kind == "spend-not-borne-out" and flag.line == 0
    assert flag.detail == {
        "category": "ict",
        "name": "ICT",
        "before_year": "2013",
        "after_year": "2014",
        "before": "1000.00",
        "after": "850.00",
        "fall": "150.00",
        "claimed": "150.01",
        "expected": "150.01",
    }
    words = checks.explain(flag)
    for figure in ("£1,000.00", "2013-14", "£850.00", "2014-15", "fell by £150.00", "£150.01"):
        assert figure in words, figure


def test_a_rise_in_spend_is_said_as_a_rise() -> None:
    (flag,) = found(claim(started=datetime.date(2015, 4, 1)), year=2015)
    assert flag.detail["fall"] == "-140.00"
    assert "rose by £140.00" in checks.explain(flag)


def test_no_whole_year_before_the_saving_is_unchecked_not_passed() -> None:
    (flag,) = found(claim(started=datetime.date(2013, 6, 1)), year=2013)
    assert flag.kind == "no-spend-data"
    assert flag.detail["before_year"] == "2012" and "before" not in flag.detail
    assert "2012-13, the year before the saving started" in checks.explain(flag)


def test_no_whole_year_since_the_saving_is_unchecked() -> None:
    one_off = claim(started=datetime.date(2016, 5, 1))
    (flag,) = found(one_off, year=2016)
    assert flag.kind == "no-spend-data" and flag.detail["after_year"] == "2016"
    assert "2016-17, the year of the saving" in checks.explain(flag)
    ongoing = claim(started=datetime.date(2016, 5, 1), recurrence="ongoing")
    (flag,) = found(ongoing, year=2016)
    assert flag.kind == "no-spend-data" and "after_year" not in flag.detail
    assert "since the saving started" in checks.explain(flag)


def test_a_one_off_saving_is_weighed_in_its_own_year_only() -> None:
    # The spend came back in 2015-16; a one-off saving of 2014-15 is not blamed for it.
    assert found(claim(recurrence="one-off")) == []


def test_an_ongoing_saving_is_weighed_in_the_latest_year_since() -> None:
    (flag,) = found(claim(recurrence="ongoing"))
    assert flag.detail["after_year"] == "2015" and flag.detail["fall"] == "10.00"
    assert flag.detail["expected"] == "150.00"


def test_an_ongoing_saving_of_part_of_a_year_is_annualised() -> None:
    # Started on 1 October 2014: £50 claimed for 182 of the year's 365 days is £100.27 a
    # year, and the fall from 2013-14 to 2015-16 (£10) falls short of it.
    half = claim(recurrence="ongoing", started=datetime.date(2014, 10, 1), amount=Decimal("50"))
    assert checks.expected_fall(half, 2014, 2014) == Decimal("50")
    assert checks.expected_fall(half, 2014, 2015) == Decimal("100.27")
    (flag,) = found(half)
    assert (flag.detail["after_year"], flag.detail["expected"]) == ("2015", "100.27")
    # In a year with more spend data the whole-year claim is borne out by a whole fall.
    fell = checks.CategorySpend("ict", "ICT", {2013: Decimal("1000"), 2015: Decimal("899.73")})
    assert checks.spend_borne_out([half], 2014, {"ict": fell}) == []


def test_an_ongoing_saving_that_ends_is_weighed_while_it_ran() -> None:
    # It ended on 30 September 2015: 2015-16 is the latest year it ran in, for 183 of its
    # 366 days (February 2016 had 29): half of the £365 a year claimed.
    ends = claim(recurrence="ongoing", ends=datetime.date(2015, 9, 30), amount=Decimal("365"))
    compared = checks.compare_spend(ends, 2014, ICT)
    assert (compared.after_year, compared.expected) == (2015, Decimal("182.50"))
    gone = claim(recurrence="ongoing", ends=datetime.date(2015, 3, 31))
    assert checks.compare_spend(gone, 2014, ICT).after_year == 2014


def test_only_procurement_lines_with_a_category_are_weighed() -> None:
    others = [
        claim(category=""),
        claim(workstream="back-office", category=""),
        claim(amount=Decimal("999")),
    ]
    assert [f.line for f in checks.spend_borne_out(others, 2014, SPEND)] == [2]


def test_the_return_check_runs_the_spend_check_only_when_given_the_spend() -> None:
    over = [claim(amount=Decimal("999"))]
    kinds = [f.kind for f in checks.check(over, Decimal("1e9"), [], Decimal("0.1"))]
    assert kinds == []
    spent = checks.check(over, Decimal("1e9"), [], Decimal("0.1"), year=2014, spend=SPEND)
    assert [f.kind for f in spent] == ["spend-not-borne-out"]
