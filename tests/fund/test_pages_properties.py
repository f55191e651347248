"""The overview's sums, for any awards: the chart's table adds up to the awards' total, and
an award's one-line status is never lost between the engine's findings and the page."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ambition.fund.views.impact_words import NO_TARGET, STATUS_WORDS
from ambition.fund.views.overview import by_area, totals

AREAS = st.sampled_from(["Housing", "Corporate (improvement)", "Adult social care"])
STATUSES = st.sampled_from([NO_TARGET, *STATUS_WORDS.values()])
MONEY = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "area": AREAS,
            "impact": STATUSES,
            "amount": MONEY,
            "paid": st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
            "returned": st.just(Decimal("0.00")),
        }
    ),
    max_size=30,
)


@given(ROWS)
def test_the_charts_table_adds_up_to_the_awards(rows: list[dict[str, object]]) -> None:
    cells = by_area(rows)
    assert sum((c["amount"] for c in cells), Decimal(0)) == totals(rows)["amount"]
    assert sum(c["awards"] for c in cells) == len(rows)
    assert len({(c["area"], c["status"]) for c in cells}) == len(cells)
