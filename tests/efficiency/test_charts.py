"""The efficiency charts are valid Vega-Lite, carry their description, and cope with
nothing to show."""

from __future__ import annotations

from decimal import Decimal

import altair as alt
import jsonschema
import vl_convert

from ambition.efficiency import charts
from ambition.efficiency.progress import Summary, YearWorkstream

SCHEMA = alt.vegalite.schema.core.load_schema()


def summary(name: str, accepted: str, target: str | None) -> Summary:
    return Summary(
        code="E09000022",
        name=name,
        year=2008,
        budget=None,
        illustrative=True,
        target=None if target is None else Decimal(target),
        claimed=Decimal(accepted),
        accepted=Decimal(accepted),
        flagged=Decimal(0),
        by_workstream=(),
    )


def test_members_against_target_is_valid_and_says_how_many_met_it() -> None:
    spec = charts.against_target(
        [summary("Lambeth", "9000000", "8000000"), summary("Southwark", "10", None)], 2008
    )
    jsonschema.validate(spec, SCHEMA)
    assert "1 met their target" in spec["description"]
    assert vl_convert.vegalite_to_svg(spec).startswith("<svg")


def test_no_savings_and_no_targets_is_the_no_data_chart() -> None:
    spec = charts.against_target([summary("Lambeth", "0", None)], 2008)
    jsonschema.validate(spec, SCHEMA)
    assert "No data" in str(spec)


def test_workstreams_by_year_is_valid() -> None:
    rows = [
        YearWorkstream(2008, "procurement", "Procurement", Decimal(5), Decimal("2500000")),
        YearWorkstream(2009, "back-office", "Back office", Decimal(5), Decimal("1000000")),
    ]
    spec = charts.by_workstream(rows)
    jsonschema.validate(spec, SCHEMA)
    assert spec["usermeta"]["title"] == "Accepted savings by workstream"
