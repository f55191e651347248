"""The published comparator groups (DfE statistical neighbours, Oflog nearest neighbours):
loading, idempotence, all-or-nothing; and the commands that load and compare them."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambition.assessment.engine.neighbours import overlap
from ambition.assessment.groups import (
    DFE_FILE,
    DFE_KEY,
    OFLOG_FILE,
    OFLOG_KEY,
    computed,
    load_published,
    published_frame,
)
from ambition.assessment.models import Comparator, ComparatorSet
from ambition.assessment.profiles import load_method
from ambition.registry.loading import load_comparator_profiles
from ambition.registry.models import Authority

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "data"
LAMBETH = "E09000022"
# Writes to the comparator tables (a delete through the ORM is also audited).
WRITES = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM) "assessment_comparator', re.IGNORECASE)


def fresh_load(data: Path = DATA) -> dict[str, int]:
    ComparatorSet.objects.all().delete()
    return load_published(data)


ANY_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def writes(queries: CaptureQueriesContext, pattern: re.Pattern[str] = WRITES) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if pattern.match(q["sql"])]


def test_both_lists_load_with_their_counts_and_file_hashes() -> None:
    # DfE: 158 lists (4 for councils since reorganised), of which Cumberland's and
    # Westmorland and Furness's are empty: 156 lists of ten.
    # Oflog: every pair of a list, each code once and the authority itself left out, but
    # for the two combined-authority areas the register does not hold (E47000005, E47000014).
    groups = json.loads((DATA / "registry" / OFLOG_FILE).read_text())
    known = set(Authority.objects.values_list("code", flat=True))
    pairs = {(f, p) for f, peers in groups.items() for p in peers if p != f}
    assert {f for f, _ in pairs} - known == {"E47000005", "E47000014"}
    assert fresh_load() == {
        DFE_KEY: 1560,
        OFLOG_KEY: len(pairs & {(f, p) for f in known for p in known}),
    }
    for key, name in ((DFE_KEY, DFE_FILE), (OFLOG_KEY, OFLOG_FILE)):
        stored = ComparatorSet.objects.get(key=key)
        assert stored.sha256 == hashlib.sha256((DATA / "registry" / name).read_bytes()).hexdigest()
        assert stored.source_file == name
    left_out = "Left out, as the register does not hold them: E47000005, E47000014."
    assert ComparatorSet.objects.get(key=OFLOG_KEY).notes.endswith(left_out)


def test_the_dfe_closeness_words_are_kept_as_published() -> None:
    fresh_load()
    dfe = published_frame(DFE_KEY)
    assert set(dfe["closeness"]) == {
        "Extremely Close",
        "Very Close",
        "Close",
        "Somewhat close",
        "Not Close",
    }
    lambeth = published_frame(DFE_KEY, focus=LAMBETH)
    assert lambeth.rows()[:2] == [
        (LAMBETH, "E09000012", 1, "Close"),  # Hackney
        (LAMBETH, "E09000023", 2, "Close"),  # Lewisham
    ]
    assert lambeth["rank"].to_list() == list(range(1, 11))
    # A list for a council since reorganised: Northamptonshire (DfE 928).
    assert published_frame(DFE_KEY, focus="E10000021").height == 10


def test_oflog_lists_rank_in_the_files_order_without_distances() -> None:
    fresh_load()
    groups = json.loads((DATA / "registry" / "oflog_nearest_neighbours.json").read_text())
    lambeth = published_frame(OFLOG_KEY, focus=LAMBETH)
    assert lambeth["peer"].to_list() == [p for p in groups[LAMBETH] if p != LAMBETH]
    assert lambeth["rank"].to_list() == list(range(1, 16))
    # Folkestone and Hythe's list names every code twice: each is kept once, ranked 1..15.
    folkestone = published_frame(OFLOG_KEY, focus="E07000112")
    assert folkestone["rank"].to_list() == list(range(1, 16))
    assert folkestone["peer"].is_unique().all()
    assert not Comparator.objects.filter(
        comparator_set__key=OFLOG_KEY, distance__isnull=False
    ).exists()
    assert "code order" in ComparatorSet.objects.get(key=OFLOG_KEY).notes


def test_a_second_load_writes_nothing() -> None:
    fresh_load()
    with CaptureQueriesContext(connection) as queries:
        counts = load_published(DATA)
    assert counts == {DFE_KEY: 1560, OFLOG_KEY: 5121}
    assert writes(queries, ANY_WRITE) == []  # not even an audit entry


def test_a_load_mends_what_differs_and_only_that() -> None:
    fresh_load()
    hackney = Comparator.objects.get(
        comparator_set__key=DFE_KEY, focus__code=LAMBETH, peer__code="E09000012"
    )
    hackney.closeness = "edited"
    hackney.save()
    Comparator.objects.filter(
        comparator_set__key=DFE_KEY, focus__code=LAMBETH, peer__code="E09000023"
    ).delete()
    stray = Comparator.objects.create(
        comparator_set=hackney.comparator_set, focus=hackney.focus, peer=hackney.focus, rank=11
    )
    with CaptureQueriesContext(connection) as queries:
        load_published(DATA)
    assert len(writes(queries)) == 3  # one delete, one update, one insert
    hackney.refresh_from_db()
    assert hackney.closeness == "Close"
    assert not Comparator.objects.filter(pk=stray.pk).exists()
    assert published_frame(DFE_KEY, focus=LAMBETH).height == 10


def test_a_broken_file_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "registry").mkdir()
    for name in ("dfe_statistical_neighbours_2021.csv", "oflog_nearest_neighbours.json"):
        shutil.copy(DATA / "registry" / name, tmp_path / "registry" / name)
    (tmp_path / "registry" / "oflog_nearest_neighbours.json").write_text("{not json")
    ComparatorSet.objects.all().delete()
    with pytest.raises(json.JSONDecodeError):
        load_published(tmp_path)
    assert not ComparatorSet.objects.exists()  # the DfE list, loaded first, was rolled back
    assert not Comparator.objects.exists()


def test_load_comparators_command() -> None:
    out = io.StringIO()
    call_command("load_comparators", stdout=out)
    text = out.getvalue()
    assert "dfe-statistical-neighbours-2021: 1,560 comparators" in text
    assert "oflog-nearest-neighbours: 5,121 comparators" in text


def test_compare_neighbours_prints_the_agreement_with_the_dfe() -> None:
    load_comparator_profiles(DATA)
    load_published(DATA)
    method = load_method()
    ours = computed(method, method.variable_set("childrens-services"), method.tiers["upper"])
    expected = overlap(ours, published_frame(DFE_KEY), k=10)
    out = io.StringIO()
    call_command("compare_neighbours", "--k", "10", stdout=out)
    text = out.getvalue()
    assert f"{expected:.1%} over 151 authorities" in text  # Cumbria's unitaries have no list
    assert 0.3 < expected < 0.8  # far above chance (10 of 152: 7%), far from identical
    assert "Where the Children's services set differs most from the DfE" in text
    with pytest.raises(Exception, match="--k must be 1 to 50"):
        call_command("compare_neighbours", "--k", "0", stdout=io.StringIO())
