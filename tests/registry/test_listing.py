"""The list of authorities and the API's list read one set of filters the same way
(`ambition.registry.listing.AuthorityFilter`): the same query string gives the same
authorities on both, each in its own order (the page by name, the API by code)."""

from __future__ import annotations

import pytest
from django.test import Client

from ambition.registry.models import Authority

pytestmark = pytest.mark.django_db

QUERIES = [
    {},
    {"kind": "LBO"},
    {"region": "London"},
    {"region": "london"},
    {"q": "ham"},
    {"q": "HAM", "kind": "LBO"},
    {"partnership": "capital-ambition"},
    {"partnership": "capital-ambition", "kind": "LBO"},
    {"current": "no"},
    {"current": "false", "q": "dale"},
    {"aggregates": "true"},
    {"aggregates": "yes", "region": "London"},
    {"kind": "NOPE"},
]


def on_the_page(client: Client, query: dict[str, str]) -> set[str]:
    response = client.get("/authorities/", {**query, "format": "json"})
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["rows"]}


def in_the_api(client: Client, query: dict[str, str]) -> set[str]:
    response = client.get("/api/v1/authorities", {**query, "limit": 1000})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return {a["code"] for a in body["results"]}


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
def test_the_page_and_the_api_list_the_same_authorities(
    client: Client, query: dict[str, str]
) -> None:
    assert on_the_page(client, query) == in_the_api(client, query)


def test_each_filter_is_read_alike_on_both(client: Client) -> None:
    """What the filters mean, checked once: current councils unless former ones are asked
    for, the region in any case, a partnership's members, and part of the name."""
    councils = Authority.objects.councils()
    assert on_the_page(client, {}) == set(councils.current().values_list("code", flat=True))
    everyone = on_the_page(client, {"current": "no"})
    assert everyone == set(councils.values_list("code", flat=True)) > on_the_page(client, {})
    assert len(on_the_page(client, {"region": "london"})) == 35
    assert len(on_the_page(client, {"partnership": "capital-ambition", "kind": "LBO"})) == 32
    named = on_the_page(client, {"q": "HAM", "kind": "LBO"})
    assert {"E09000023", "E09000025", "E09000030"} <= named  # Lewisham, Newham, Tower Hamlets


def test_an_unknown_partnership_is_not_found_on_both(client: Client) -> None:
    query = {"partnership": "no-such-partnership"}
    assert client.get("/authorities/", query).status_code == 404
    assert client.get("/api/v1/authorities", query).status_code == 404


def test_a_filter_that_is_not_yes_or_no_is_refused_on_both(client: Client) -> None:
    assert client.get("/authorities/", {"current": "maybe"}).status_code == 400
    assert client.get("/api/v1/authorities", {"current": "maybe"}).status_code == 422


@pytest.mark.parametrize("name", ["kind", "region", "partnership", "q"])
def test_a_nul_in_a_filter_is_refused_on_both(client: Client, name: str) -> None:
    """PostgreSQL cannot compare text holding a NUL: a refusal, never a database error."""
    assert client.get("/authorities/", {name: "x\x00y"}).status_code == 400
    assert client.get("/api/v1/authorities", {name: "x\x00y"}).status_code == 422
