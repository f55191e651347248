"""Blank and total rows are not spend; redacted suppliers are marked, and companies whose
names merely sound private are not."""

from __future__ import annotations

import pytest

from ambition.spend.reading.values import is_blank, is_redacted, is_total


@pytest.mark.parametrize(
    "name",
    ["REDACTED", "Redacted - personal data", "personal data", "Individual", "INDIVIDUAL",
     "Private individual", "Name withheld", "PERSONAL DATA WITHHELD", "*****", "[Redacted]",
     "Redacted (GDPR)", "Payments to individuals"],
)  # fmt: skip
def test_redacted_suppliers(name: str) -> None:
    assert is_redacted(name)


@pytest.mark.parametrize(
    "name",
    ["Individual Care Services Ltd", "PRIVACY & DATA PROTECTION LTD", "Veolia ES (UK) Ltd",
     "Xerox", "Lambeth Living Ltd", "Confidential Shredding Co"],
)  # fmt: skip
def test_named_suppliers(name: str) -> None:
    assert not is_redacted(name)


@pytest.mark.parametrize(
    "cells",
    [["Total", "12"], [" Grand Total ", "40354087.84"], ["Sub-total", "1"], ["TOTALS", ""],
     ["Total for June", "5"], ["Total", "\u2020\u2020 ", "", "", "40292334.84"]],
)  # fmt: skip
def test_total_rows(cells: list[str]) -> None:
    assert is_total(cells, supplier=0 if len(cells) == 2 else 2)


@pytest.mark.parametrize("supplier", ["Total Hygiene Ltd", "SumTotal Systems UK Ltd"])
def test_suppliers_named_total_are_not_totals(supplier: str) -> None:
    assert not is_total([supplier, "564.00"], supplier=0)


def test_blank_rows() -> None:
    assert is_blank(["", "  ", ""])
    assert is_blank(["", "\u2020\u2020\u2020 ", ",", "-"])
    assert not is_blank(["", "0"])
