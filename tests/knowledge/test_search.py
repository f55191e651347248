"""Search over case studies, networks and documents, on whichever database the tests run
(SQLite's FTS5 table, or PostgreSQL's full-text search): every word must match, a title
outranks a body, drafts stay hidden from those who may not read them, and SQLite's table
follows saves and deletes. Run on both: DATABASE_URL=postgres://... for PostgreSQL."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection

from ambition.knowledge import search, sharing

from .conftest import client_for
from .factories import CaseStudyFactory, NetworkFactory, NetworkOutputFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 4, 1)


def published(**fields: Any) -> Any:
    return sharing.record_publication(CaseStudyFactory(**fields), None, DAY)


def titles(query: str, viewer: Any = None) -> list[str]:
    return [h.title for h in search.find(query, viewer)]


def test_a_match_in_the_title_outranks_one_in_the_body() -> None:
    published(title="Composting in parks", what_they_did="Nothing about bins")
    published(title="Street cleaning", what_they_did="Compost bins on every street corner")
    assert titles("compost") == ["Composting in parks", "Street cleaning"]  # stemmed too


def test_every_word_must_match() -> None:
    published(title="Reablement after hospital", summary="Older people at home")
    published(title="Hospital discharge lounges", summary="Waiting rooms")
    assert titles("hospital home") == ["Reablement after hospital"]
    assert len(titles("hospital")) == 2
    assert titles("") == [] and titles("  ;-) ") == []


def test_networks_and_documents_are_found_with_their_kind() -> None:
    network = NetworkFactory(name="Fostering leads", purpose="Recruiting foster carers")
    NetworkOutputFactory(network=network, title="Foster carer toolkit", description="Forms")
    hits = {h.title: h for h in search.find("foster", None)}
    assert hits["Fostering leads"].kind_label == "Network"
    assert hits["Foster carer toolkit"].kind_label == "Document"
    assert hits["Foster carer toolkit"].url.startswith(network.get_absolute_url())


def test_drafts_are_found_only_by_those_who_may_read_them(
    lambeth_officer: Any, southwark_officer: Any, office: Any
) -> None:
    CaseStudyFactory(title="Quiet draft about allotments")
    assert titles("allotments") == []
    assert titles("allotments", southwark_officer) == []
    assert titles("allotments", lambeth_officer) == ["Quiet draft about allotments"]
    assert titles("allotments", office) == ["Quiet draft about allotments"]


def test_the_index_follows_edits_and_deletes() -> None:
    study = published(title="Night buses")
    assert titles("night") == ["Night buses"]
    study.title = "Late trains"
    study.save()
    assert titles("night") == [] and titles("trains") == ["Late trains"]
    network = NetworkFactory(name="Trains network")
    assert "Trains network" in titles("trains")
    network.delete()
    assert titles("trains") == ["Late trains"]


def test_the_search_picks_the_databases_own_full_text_search() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'knowledge_search'")
            assert "fts5" in cursor.fetchone()[0].lower()
        else:
            assert connection.vendor == "postgresql"
            assert "knowledge_search" not in connection.introspection.table_names(cursor)
    published(title="Ranked on either database")
    assert titles("ranked database") == ["Ranked on either database"]


def test_the_site_search_box_shows_knowledge_results_without_indicators_importing_them() -> None:
    published(title="Food waste from flats")
    page = client_for(None).get("/search/?q=food+waste")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Case studies, networks and documents" in text and "Food waste from flats" in text
    assert 'data-hit="case-study"' in text
