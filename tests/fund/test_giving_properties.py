"""Property tests: any set of valid grant records is a valid 360Giving package, and every
amount comes out of the JSON and the CSV as the Decimal that went in, to the penny."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ambition.fund.giving.export import checked_json
from ambition.fund.giving.flat import to_csv
from ambition.fund.giving.package import Publisher
from ambition.fund.giving.records import GrantRecord, Organisation, Place, Programme

PREFIX = "test-fund"
PUBLISHER = Publisher(name="A partnership", identifier="360G-test-fund-partnership")

words = st.text(min_size=1, max_size=40).filter(str.strip)
pounds = st.decimals(min_value=0, max_value=Decimal("1e12"), places=2)
days = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))
offsets = st.integers(min_value=-18 * 60, max_value=18 * 60).map(
    lambda minutes: datetime.timezone(datetime.timedelta(minutes=minutes))
)
moments = st.datetimes(
    min_value=datetime.datetime(1900, 1, 2), max_value=datetime.datetime(2100, 12, 30)
).flatmap(lambda moment: offsets.map(lambda zone: moment.replace(tzinfo=zone)))
organisations = st.builds(Organisation, words, words)
places = st.builds(
    Place,
    st.from_regex(r"[ENSW][0-9]{8}", fullmatch=True),
    words,
    st.sampled_from(["", "LONB", "MD", "UA"]),
)


@st.composite
def records(draw: st.DrawFn, reference: str) -> GrantRecord:
    start, end = sorted(draw(st.lists(days, min_size=2, max_size=2)))
    return GrantRecord(
        reference=reference,
        title=draw(words),
        description=draw(words),
        amount_awarded=draw(pounds),
        award_date=draw(days),
        recipient=draw(organisations),
        funder=draw(organisations),
        programme=draw(st.none() | st.builds(Programme, words, st.just("") | words)),
        beneficiary=draw(st.none() | places),
        planned_start=draw(st.none() | st.just(start)),
        planned_end=draw(st.none() | st.just(end)),
        amount_disbursed=draw(st.none() | pounds),
        date_modified=draw(st.none() | moments),
    )


references = st.lists(
    st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True), min_size=1, max_size=5, unique=True
)
grant_sets = references.flatmap(lambda refs: st.tuples(*(records(ref) for ref in refs)))


@given(grant_sets)
def test_any_valid_records_make_a_valid_package(grants: tuple[GrantRecord, ...]) -> None:
    text = checked_json(grants, PUBLISHER, PREFIX)  # raises if the schema finds a problem
    assert len(json.loads(text)["grants"]) == len(grants)


@given(grant_sets)
def test_amounts_survive_the_json_to_the_penny(grants: tuple[GrantRecord, ...]) -> None:
    document = json.loads(checked_json(grants, PUBLISHER, PREFIX), parse_float=Decimal)
    for record, written in zip(grants, document["grants"], strict=True):
        assert Decimal(written["amountAwarded"]) == record.amount_awarded
        disbursed = written.get("amountDisbursed")
        assert (None if disbursed is None else Decimal(disbursed)) == record.amount_disbursed


@given(grant_sets)
def test_amounts_survive_the_csv_to_the_penny(grants: tuple[GrantRecord, ...]) -> None:
    table = list(csv.DictReader(io.StringIO(to_csv(grants, PREFIX), newline="")))
    for record, row in zip(grants, table, strict=True):
        assert Decimal(row["Amount Awarded"]) == record.amount_awarded
        disbursed = row["Amount Disbursed"]
        assert (Decimal(disbursed) if disbursed else None) == record.amount_disbursed
