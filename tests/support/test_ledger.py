"""The ledger: every contribution written as both sides, totals per authority, kind and
financial year with the partnership's averages, entries never changed (a correction is a
reversing entry that says why)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from ambition.indicators.periods import financial_year, year_label
from ambition.registry.models import Authority
from ambition.support import bookkeeping
from ambition.support.bookkeeping import LedgerKind, Source, give_and_take
from ambition.support.models import AppendOnly, LedgerEntry

pytestmark = pytest.mark.django_db
LAMBETH, SOUTHWARK, CAMDEN = "E09000022", "E09000028", "E09000007"
DAY = datetime.date(2025, 6, 1)


def authority(code: str) -> Authority:
    return Authority.objects.get(code=code)


def manual() -> Source:
    return Source("manual")


@given(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_a_financial_year_runs_from_april_to_march(day: datetime.date) -> None:
    year = financial_year(day)
    assert datetime.date(year, 4, 1) <= day <= datetime.date(year + 1, 3, 31)


def test_year_labels() -> None:
    assert year_label(2025) == "2025-26"
    assert year_label(1999) == "1999-00"
    assert financial_year(datetime.date(2026, 3, 31)) == 2025
    assert financial_year(datetime.date(2026, 4, 1)) == 2026


def test_a_contribution_is_written_as_both_sides() -> None:
    gave, took = give_and_take(
        authority(SOUTHWARK),
        authority(LAMBETH),
        LedgerKind.STAFF_DAYS,
        Decimal(8),
        DAY,
        "Mentoring",
        manual(),
    )
    assert (gave.authority.code, gave.counterparty.code, gave.direction) == (
        SOUTHWARK,
        LAMBETH,
        "gave",
    )
    assert (took.authority.code, took.counterparty.code, took.direction) == (
        LAMBETH,
        SOUTHWARK,
        "took",
    )
    assert gave.year == took.year == 2025


def test_positions_balances_and_averages() -> None:
    give_and_take(
        authority(SOUTHWARK), authority(LAMBETH), "staff-days", Decimal(8), DAY, "x", manual()
    )
    give_and_take(
        authority(CAMDEN), authority(LAMBETH), "staff-days", Decimal(2), DAY, "x", manual()
    )
    give_and_take(
        authority(LAMBETH), authority(CAMDEN), "case-study", Decimal(1), DAY, "x", manual()
    )
    # Another year does not count.
    give_and_take(
        authority(LAMBETH),
        authority(CAMDEN),
        "staff-days",
        Decimal(50),
        datetime.date(2026, 4, 1),
        "x",
        manual(),
    )
    every = bookkeeping.positions(2025)
    by_code = {p.authority.code: p for p in every}
    assert len(every) == len(bookkeeping.members()) == 35
    assert [p.authority.name for p in every] == sorted(p.authority.name for p in every)
    lambeth = bookkeeping.position_of(authority(LAMBETH), 2025)
    assert lambeth.took["staff-days"] == Decimal(10)
    assert lambeth.gave["case-study"] == Decimal(1)
    assert lambeth.balance("staff-days") == Decimal(-10)
    assert set(lambeth.gave) == set(lambeth.took) == set(LedgerKind.values)
    assert lambeth.gave["grant"] == Decimal(0)
    assert by_code[LAMBETH] == lambeth
    # Days given equal days taken across the partnership: each entry has its other side.
    assert sum(p.balance("staff-days") for p in every) == 0
    gave, took = bookkeeping.averages(2025)["staff-days"]
    assert gave == took == Decimal("0.29")  # 10 days over 35 members, to 2 places


def test_entries_are_never_changed_or_deleted() -> None:
    gave, _ = give_and_take(
        authority(SOUTHWARK), authority(LAMBETH), "staff-days", Decimal(3), DAY, "x", manual()
    )
    gave.amount = Decimal(30)
    with pytest.raises(AppendOnly):
        gave.save()
    with pytest.raises(AppendOnly):
        gave.delete()
    with pytest.raises(AppendOnly):
        LedgerEntry.objects.filter(pk=gave.pk).update(amount=Decimal(30))
    with pytest.raises(AppendOnly):
        LedgerEntry.objects.filter(pk=gave.pk).delete()
    assert LedgerEntry.objects.get(pk=gave.pk).amount == Decimal(3)


def test_a_correction_is_a_reversing_entry_with_a_reason() -> None:
    gave, _ = give_and_take(
        authority(SOUTHWARK), authority(LAMBETH), "staff-days", Decimal(3), DAY, "x", manual()
    )
    with pytest.raises(ValueError, match="says why"):
        bookkeeping.reverse(gave, " ", None)
    reversal = bookkeeping.reverse(gave, "Entered against the wrong authority", None)
    assert reversal.amount == Decimal(-3) and reversal.reverses == gave
    assert bookkeeping.position_of(authority(SOUTHWARK), 2025).gave["staff-days"] == 0
    with pytest.raises(IntegrityError), transaction.atomic():
        bookkeeping.reverse(gave, "again", None)  # one reversal per entry


def test_the_database_refuses_a_negative_entry_that_reverses_nothing() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            authority=authority(LAMBETH),
            kind="staff-days",
            direction="gave",
            amount=Decimal(-1),
            date=DAY,
            description="x",
            source="manual",
        )


def test_entries_of_are_newest_first() -> None:
    for day in (DAY, DAY + datetime.timedelta(days=30), DAY - datetime.timedelta(days=30)):
        give_and_take(
            authority(SOUTHWARK), authority(LAMBETH), "staff-days", Decimal(1), day, "x", manual()
        )
    dates = [e.date for e in bookkeeping.entries_of(authority(LAMBETH), 2025)]
    assert dates == sorted(dates, reverse=True) and len(dates) == 3


def test_the_office_records_case_studies_and_ip() -> None:
    one = bookkeeping.record_shared(
        authority(CAMDEN), "case-study", 2, DAY, "Reablement case study", None
    )
    assert [(e.direction, e.amount, e.counterparty) for e in one] == [("gave", Decimal(2), None)]
    both = bookkeeping.record_shared(
        authority(CAMDEN),
        "ip",
        1,
        DAY,
        "Housing triage tool",
        None,
        counterparty=authority(LAMBETH),
    )
    assert {e.direction for e in both} == {"gave", "took"}
    with pytest.raises(ValueError):
        bookkeeping.record_shared(authority(CAMDEN), "staff-days", 1, DAY, "x", None)


def test_the_page_and_the_api_refuse_the_same_years(client: object, analyst: object) -> None:
    """One rule for which years the ledger has: from 2000 to next year, on both."""
    client.force_login(analyst)  # type: ignore[attr-defined]
    beyond = financial_year(datetime.date.today()) + 2
    for year, page, api in ((1999, 404, 422), (beyond, 404, 422), (beyond - 1, 200, 200)):
        assert client.get(f"/support/ledger/?year={year}").status_code == page  # type: ignore[attr-defined]
        assert client.get(f"/api/v1/support/ledger?year={year}").status_code == api  # type: ignore[attr-defined]
