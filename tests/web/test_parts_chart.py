"""The stacked parts chart: valid Vega-Lite, one bar per label in the rows' order, parts in
a fixed order, and "No data" when nothing adds up."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ambition.web import charts

from .test_charts import table, valid

ROWS = [
    {"label": "Southwark → Lambeth (request 1)", "part": "Experience", "value": 2.7},
    {"label": "Southwark → Lambeth (request 1)", "part": "Neighbour", "value": 1.0},
    {"label": "Bromley → Brent (request 2)", "part": "Experience", "value": 1.5},
    {"label": "Bromley → Brent (request 2)", "part": "Neighbour", "value": 0.0},
]


def test_bars_keep_their_order_and_parts_stack_in_order() -> None:
    spec = valid(charts.stacked_parts(ROWS, title="Scores"))
    assert spec["encoding"]["y"]["sort"] == [r["label"] for r in ROWS[::2]]
    rows = table(spec, "part")
    assert [r["order"] for r in rows] == [0, 1, 0, 1]
    assert "The largest is Southwark → Lambeth (request 1), at 3.70." in spec["description"]


def test_nothing_to_add_up_is_no_data() -> None:
    empty = [{**r, "value": 0.0} for r in ROWS]
    assert charts.stacked_parts(empty) == charts.no_data("")
    assert charts.stacked_parts([]) == charts.no_data("")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c"]),
            st.sampled_from(["x", "y"]),
            st.one_of(st.none(), st.floats(-5, 50, allow_nan=False)),
        ),
        max_size=12,
    )
)
def test_any_rows_make_a_valid_chart_of_the_non_negative_values(rows: list[tuple]) -> None:
    spec = charts.stacked_parts([{"label": a, "part": p, "value": v} for a, p, v in rows])
    valid(spec)
    if any((v or 0) > 0 for _, _, v in rows):
        assert all(r["value"] >= 0 for r in table(spec, "part"))
