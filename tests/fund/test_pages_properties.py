"""The overview's cells, for any groups the database counts: the chart's table adds up to
the groups' awards and amounts (groups of one area and status merge into one cell), and an
award's one-line status is never lost between the stored code and the page."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ambition.fund.views.impact_words import NO_TARGET, NOT_YET, STATUS_WORDS
from ambition.fund.views.overview import by_area

AREAS = st.sampled_from(["Housing", "Corporate (improvement)", "Adult social care"])
STATUSES = st.sampled_from([NO_TARGET, NOT_YET, *STATUS_WORDS.values()])
MONEY = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "area": AREAS,
            "impact": STATUSES,
            "awards": st.integers(min_value=1, max_value=10_000),
            "amount": MONEY,
        }
    ),
    max_size=30,
)


@given(ROWS)
def test_the_charts_table_adds_up_to_the_awards(rows: list[dict[str, object]]) -> None:
    cells = by_area(rows)
    amounts = (r["amount"] or Decimal(0) for r in rows)
    assert sum((c["amount"] for c in cells), Decimal(0)) == sum(amounts, Decimal(0))
    assert sum(c["awards"] for c in cells) == sum(r["awards"] for r in rows)  # type: ignore[misc]
    assert len({(c["area"], c["status"]) for c in cells}) == len(cells)
