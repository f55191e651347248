"""The registry's pages: the partnership at a glance, the list of authorities and the data
sources, each with the CSV and JSON twins of its table."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from ambition.registry.models import Authority, Partnership, PoliticalControl, ProfileFigure
from tests.pages import Node, body_rows, page

pytestmark = pytest.mark.django_db

LAMBETH = "E09000022"
POPULATION = "gla-population-estimate"  # the profile figure the home page shows
MEMBERS = {f"E090000{n:02d}" for n in range(1, 34)} | {"E61000001", "E31000046"}
MEMBER_HEADER = [
    "ONS code",
    "Authority",
    "Type",
    "Inner or outer London",
    "Sub-region",
    "Population",
    "Population estimate year",
    "Political control",
    "Control as at",
]


def download(client: Client, path: str, fmt: str, **params: str) -> tuple[str, object]:
    response = client.get(path, {**params, "format": fmt})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = response.content.decode("utf-8")
    if fmt == "csv":
        assert response["Content-Type"].startswith("text/csv")
        return response["Content-Disposition"], list(csv.reader(io.StringIO(text)))
    assert response["Content-Type"] == "application/json"
    return response["Content-Disposition"], json.loads(text)


# Home --------------------------------------------------------------------------------------


def test_home_lists_every_member_in_the_members_table(client: Client) -> None:
    root = page(client, "/")
    rows = body_rows(root.find("table", data_table="members"))
    assert len(rows) == 35
    links = [r.find("th").find("a").attrs["href"] for r in rows]
    assert {href.strip("/").split("/")[-1] for href in links} == MEMBERS
    names = [r.find("th").find("a").text for r in rows]
    assert names == sorted(names)
    assert "The 35 members" in root.find("h2", id="members").text


def test_home_shows_political_control_and_population_each_with_its_year(client: Client) -> None:
    root = page(client, "/")
    rows = {
        r.find("th").find("a").attrs["href"]: r
        for r in body_rows(root.find("table", data_table="members"))
    }
    # Each member links to its resident's page (reports.public); its type beside its name.
    row = rows[f"/councils/{LAMBETH}/"]
    lambeth = row.find_all("td")
    population = ProfileFigure.objects.get(authority__code=LAMBETH, key=POPULATION)
    control = PoliticalControl.objects.get(authority__code=LAMBETH)
    assert row.find("th").find("span").text == "London borough"
    assert lambeth[3].text == f"{round(population.value):,} ({population.period})"
    assert lambeth[4].text == f"{control.control} (2014)" == "Labour (2014)"
    controlled = [r for r in rows.values() if r.find_all("td")[4].text.endswith("(2014)")]
    assert (
        len(controlled)
        == PoliticalControl.objects.filter(year=2014, authority__code__in=MEMBERS).count()
        >= 32
    )
    assert "political control is as at 2014" in root.text


def test_home_members_as_csv(client: Client) -> None:
    disposition, rows = download(client, "/", "csv")
    assert disposition == 'attachment; filename="capital-ambition-members.csv"'
    assert rows[0] == [*MEMBER_HEADER, "Stars", "Direction of travel"]
    assert len(rows) == 36
    assert {r[0] for r in rows[1:]} == MEMBERS
    lambeth = next(r for r in rows if r[0] == LAMBETH)
    population = ProfileFigure.objects.get(authority__code=LAMBETH, key=POPULATION)
    assert lambeth[1] == "Lambeth" and lambeth[2] == "London borough"
    assert float(lambeth[5]) == population.value and lambeth[6] == population.period
    assert lambeth[7:9] == ["Labour", "2014"]


def test_home_members_as_json(client: Client) -> None:
    _, body = download(client, "/", "json")
    assert isinstance(body, dict)
    assert body["columns"][0] == "code" and len(body["columns"]) == len(MEMBER_HEADER) + 2
    assert body["columns"][-2:] == ["stars", "direction"]
    assert len(body["rows"]) == 35
    assert {r["code"] for r in body["rows"]} == MEMBERS
    lambeth = next(r for r in body["rows"] if r["code"] == LAMBETH)
    assert lambeth["control"] == "Labour" and lambeth["control_year"] == 2014
    assert (
        lambeth["population"]
        == ProfileFigure.objects.get(authority__code=LAMBETH, key=POPULATION).value
    )
    partnership = Partnership.objects.get(slug="capital-ambition")
    assert len(body["rows"]) == Authority.objects.members(partnership=partnership).count()


# The list of authorities -----------------------------------------------------------------


def listed(root: Node) -> list[list[str]]:
    table = next(t for t in root.find_all("table") if "Region" in t.find("thead").text)
    return [[td.text for td in r.find_all("td")] for r in body_rows(table)]


def test_authority_list_shows_current_councils_fifty_a_page(client: Client) -> None:
    current = Authority.objects.councils().current().order_by("name")
    first = listed(page(client, "/authorities/"))
    second = listed(page(client, "/authorities/", page="2"))
    assert len(first) == len(second) == 50
    assert [r[1] for r in first + second] == list(current.values_list("code", flat=True)[:100])
    root = page(client, "/authorities/")
    assert f"{current.count()} match" in root.text


def test_authority_list_filters_by_kind(client: Client) -> None:
    rows = listed(page(client, "/authorities/", kind="LBO"))
    assert len(rows) == 32
    assert {r[2] for r in rows} == {"London borough"}
    assert {r[1] for r in rows} == MEMBERS - {"E09000001", "E61000001", "E31000046"}


def test_authority_list_filters_by_region(client: Client) -> None:
    root = page(client, "/authorities/", region="London")
    rows = listed(root)
    assert {r[1] for r in rows} == MEMBERS
    assert {r[3] for r in rows} == {"London"}
    assert "35 match" in root.text
    selected = [
        o for o in root.find("select", id="region").find_all("option") if "selected" in o.attrs
    ]
    assert [o.text for o in selected] == ["London"]


def test_authority_list_searches_names(client: Client) -> None:
    assert [r[:2] for r in listed(page(client, "/authorities/", q="lambeth"))] == [
        ["Lambeth", LAMBETH]
    ]
    rows = listed(page(client, "/authorities/", q="ham", kind="LBO"))
    expected = Authority.objects.filter(kind="LBO", name__icontains="ham").order_by("name")
    assert [r[1] for r in rows] == list(expected.values_list("code", flat=True))
    assert {"Lewisham", "Newham", "Tower Hamlets"} <= {r[0] for r in rows}
    assert listed(page(client, "/authorities/", q="no such council")) == []


def test_authority_list_downloads_the_whole_filtered_table(client: Client) -> None:
    disposition, rows = download(client, "/authorities/", "csv", region="London")
    assert disposition == 'attachment; filename="authorities.csv"'
    assert rows[0] == ["ONS code", "Authority", "Type", "Region", "Old SNAC code", "Current"]
    assert {r[0] for r in rows[1:]} == MEMBERS and len(rows) == 36
    _, everything = download(client, "/authorities/", "csv")
    assert len(everything) - 1 == Authority.objects.councils().current().count() > 50
    _, boroughs = download(client, "/authorities/", "json", kind="LBO", q="ham")
    assert isinstance(boroughs, dict)
    assert [r["code"] for r in boroughs["rows"]] == [
        r[1] for r in listed(page(client, "/authorities/", kind="LBO", q="ham"))
    ]


def test_authority_list_can_include_former_authorities(client: Client) -> None:
    _, rows = download(client, "/authorities/", "csv", current="no")
    assert len(rows) - 1 == Authority.objects.councils().count()
    ended = [r for r in rows[1:] if r[5] == "False"]
    assert len(ended) == Authority.objects.councils().filter(end_date__isnull=False).count() > 0


def test_download_links_keep_the_filters(client: Client) -> None:
    root = page(client, "/authorities/", kind="LBO", page="2")
    links = [a.attrs["href"] for a in root.find("p", data_downloads="").find_all("a")]
    assert len(links) == 4
    for link, fmt in zip(links, ["csv", "json", "xlsx", "parquet"], strict=True):
        assert "kind=LBO" in link and f"format={fmt}" in link and "page=" not in link
    paged = page(client, "/authorities/", q="a")
    following = paged.find("a", rel="next").attrs["href"]
    assert "q=a" in following and "page=2" in following
    assert listed(page(client, "/authorities/", q="a", page="2"))[0] != listed(paged)[0]


def test_boundaries_for_the_maps_cover_the_33_london_councils(client: Client) -> None:
    response = client.get("/authorities/boundaries.topojson")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    topology = json.loads(b"".join(response.streaming_content))
    assert topology["type"] == "Topology"
    (layer,) = topology["objects"].values()
    assert len(layer["geometries"]) == 33


# About the data ---------------------------------------------------------------------------


def test_about_data_shows_the_data_sources_readme(client: Client) -> None:
    root = page(client, "/about/data/")
    prose = root.find("div", **{"class": "govuk-body app-prose"})
    assert prose.find("h1").text == "Data shipped with Ambition"
    sources = prose.find("table")
    assert "mySociety" in sources.text and "Department for Education (LAIT)" in sources.text
    assert len(body_rows(sources)) >= 8
