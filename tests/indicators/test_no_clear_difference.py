"""No ranking inside intervals: where a page compares authorities on an indicator with
intervals, a difference whose intervals overlap says "no clear difference" and is not
coloured better or worse; a rank is the range of places the intervals allow. Every page asks
the one rule (`indicators.intervals`)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from ambition.assessment.making import make_run
from ambition.assessment.methodology import used_polarity
from ambition.assessment.models import RunIndicator
from ambition.indicators.intervals import Estimate, clearly_in_bottom_quarter, difference
from ambition.indicators.ranges import rank_spans
from tests.pages import body_rows, page

pytestmark = pytest.mark.django_db
CAMDEN, LAMBETH = "E09000007", "E09000022"
COLOURS = {"better": "govuk-tag--green", "worse": "govuk-tag--red"}


@pytest.mark.parametrize(
    "code", ["residents-trust-council", "ons-employment-rate", "ons-wellbeing-anxiety"]
)
def test_the_indicator_page_compares_by_the_one_rule(client: Client, code: str) -> None:
    rows = client.get(
        f"/indicators/{code}/", {"focus": CAMDEN, "compare": "london", "format": "json"}
    ).json()["rows"]
    mine = next(r for r in rows if r["code"] == CAMDEN)
    for r in rows:
        if r is mine:
            assert r["compared"] == ""
            continue
        expected = difference(
            Estimate(r["value"], r["lower"], r["upper"]),
            Estimate(mine["value"], mine["lower"], mine["upper"]),
            "higher" if code.startswith("residents-") else "",
        )
        assert r["compared"] == str(expected)
    doc = page(client, f"/indicators/{code}/", focus=CAMDEN, compare="london")
    for row in body_rows(doc.find("table", data_table="ranking")):
        cell = row.find_all("td")[-1]
        said = cell.attrs.get("data-compared", "")
        tags = " ".join(n.attrs.get("class", "") for n in cell.find_all("strong"))
        for word, colour in COLOURS.items():
            assert (colour in tags) == (said == word), (said, tags)


def test_ranks_with_overlapping_intervals_are_ranges(client: Client) -> None:
    rows = client.get(
        "/indicators/residents-trust-council/", {"compare": "london", "format": "json"}
    ).json()["rows"]
    valued = [r for r in rows if r["value"] is not None]
    assert len(valued) == 4  # the demo's illustrative surveys
    for r in valued:
        others = [o for o in valued if o is not r]
        clearly_better = [
            o
            for o in others
            if difference(
                Estimate(o["value"], o["lower"], o["upper"]),
                Estimate(r["value"], r["lower"], r["upper"]),
                "higher",
            )
            == "better"
        ]
        assert r["rank"] == 1 + len(clearly_better)
        assert (r["rank_to"] or r["rank"]) >= r["rank"]


def test_the_scorecard_colours_the_bottom_quartile_only_where_the_intervals_allow(
    client: Client,
) -> None:
    run = make_run("ambition-default", datetime.date.today())
    doc = page(client, f"/assessment/authorities/{LAMBETH}/", run=str(run.pk))
    stored = RunIndicator.objects.filter(run=run, authority__code=LAMBETH).select_related(
        "indicator"
    )
    ranged = 0
    for r in stored:
        if r.rank is None:
            continue
        ids = RunIndicator.objects.filter(run=run, indicator=r.indicator).values_list(
            "authority_id", flat=True
        )
        polarity = used_polarity(run.method_text, r.indicator.code, r.indicator.polarity)
        spans = rank_spans(r.indicator_id, r.period, ids, polarity)
        row = doc.find("tr", data_indicator=r.indicator.code)
        red = [n for n in row.find_all("strong") if "bottom quartile" in n.text]
        if r.authority_id in spans:
            span, n = spans[r.authority_id], len(spans)
            ranged += span[0] != span[1]
            assert bool(red) == (r.persistent_bottom and clearly_in_bottom_quarter(span, n))
        else:
            assert bool(red) == r.persistent_bottom
    assert ranged > 0  # the ONS survey estimates have intervals wide enough to overlap
