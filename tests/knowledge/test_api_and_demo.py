"""The knowledge hub's API answers as its pages do, and the demo loads once, marked
illustrative on every page that shows it."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command

from ambition.knowledge import sharing
from ambition.knowledge.models import CaseStudy, Network
from ambition.support.models import LedgerEntry, LedgerSource

from ..registry.factories import LAMBETH
from .conftest import client_for
from .factories import CaseStudyFactory, NetworkEventFactory

pytestmark = pytest.mark.django_db


def test_the_api_lists_what_the_person_may_read(lambeth_officer: Any) -> None:
    sharing.record_publication(CaseStudyFactory(title="Out"), None, datetime.date(2025, 4, 1))
    CaseStudyFactory(title="Draft")
    public = client_for(None).get("/api/v1/knowledge/case-studies").json()
    assert [r["title"] for r in public["results"]] == ["Out"] and public["count"] == 1
    assert public["results"][0]["lead"] == LAMBETH and public["results"][0]["cost"] == "1000.00"
    mine = client_for(lambeth_officer).get("/api/v1/knowledge/case-studies?level=1").json()
    assert mine["count"] == 0
    mine = client_for(lambeth_officer).get("/api/v1/knowledge/case-studies").json()
    assert {r["title"] for r in mine["results"]} == {"Out", "Draft"}


def test_the_networks_api_and_pages() -> None:
    event = NetworkEventFactory(title="Spring meeting", place="City Hall")
    listed = client_for(None).get("/api/v1/knowledge/networks").json()
    assert [(n["slug"], n["events"]) for n in listed] == [(event.network.slug, 1)]
    page = client_for(None).get(event.network.get_absolute_url())
    assert page.status_code == 200 and "Spring meeting" in page.content.decode()
    csv = client_for(None).get(event.network.get_absolute_url() + "?format=csv")
    assert "Spring meeting" in csv.content.decode()


def test_the_demo_loads_once_and_says_it_is_illustrative() -> None:
    call_command("load_knowledge_demo", stdout=io.StringIO())
    call_command("load_knowledge_demo", stdout=io.StringIO())
    studies = CaseStudy.private_objects.filter(illustrative=True)
    assert studies.count() == 4 and CaseStudy.public_objects.count() == 3
    assert LedgerEntry.objects.filter(source=LedgerSource.CASE_STUDY).count() == 3
    network = Network.objects.get(illustrative=True)
    client = client_for(None)
    pages = [
        "/knowledge/case-studies/",
        "/knowledge/networks/",
        network.get_absolute_url(),
        *(s.get_absolute_url() for s in CaseStudy.public_objects.all()),
        "/search/?q=recycling",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "data-illustrative" in response.content.decode(), path
