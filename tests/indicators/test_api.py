"""The JSON API at /api/v1/: authorities, the indicator catalogue and observations, checked
against the shipped reference data the test database holds."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Min
from django.test import Client

from ambition.indicators import residents
from ambition.indicators.models import Indicator, Observation
from ambition.indicators.periods import YearBasis, parse_period
from ambition.registry.models import (
    AGGREGATE_KINDS,
    Authority,
    BoundaryNeighbour,
    PoliticalControl,
    ProfileFigure,
)

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[2] / "data" / "indicators" / "catalogue.csv"
LAMBETH, SOUTHWARK = "E09000022", "E09000028"
POPULATION = "gla-population-estimate"
MEMBERS = {f"E090000{n:02d}" for n in range(1, 34)} | {"E61000001", "E31000046"}
LOWER_IS_BETTER = "lait-cin-re-referrals"
EMPLOYMENT = "ons-employment-rate"  # calendar years, with confidence intervals
RECYCLING = "recycling-rate"  # financial years 1999/00 to 2019/20


def get(client: Client, path: str, **params: Any) -> Any:
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def all_pages(
    client: Client, path: str, limit: int, **params: Any
) -> tuple[int, list[dict[str, Any]]]:
    """Every result of a list endpoint, fetched `limit` at a time by offset."""
    rows: list[dict[str, Any]] = []
    offset, count = 0, None
    while count is None or offset < count:
        page = get(client, path, limit=limit, offset=offset, **params)
        assert page["limit"] == limit and page["offset"] == offset
        assert count is None or page["count"] == count, "the count changed between pages"
        count = page["count"]
        assert len(page["results"]) == min(limit, count - offset)
        rows.extend(page["results"])
        offset += limit
    return count or 0, rows


# Authorities -------------------------------------------------------------------------


def test_authority_list_default_page_is_the_first_hundred_current_councils_by_code(
    client: Client,
) -> None:
    current = Authority.objects.councils().current().order_by("code")
    body = get(client, "/api/v1/authorities")
    councils = list(current.values_list("code", flat=True))
    assert body["count"] == len(councils) > 300
    assert (body["limit"], body["offset"]) == (100, 0)
    assert [a["code"] for a in body["results"]] == councils[:100]
    lambeth = next(
        a for a in get(client, "/api/v1/authorities", kind="LBO")["results"] if a["code"] == LAMBETH
    )
    assert lambeth["name"] == "Lambeth"
    assert lambeth["kind"] == "LBO" and lambeth["kind_name"] == "London borough"
    assert lambeth["region"] == "London" and lambeth["current"] is True
    assert lambeth["url"] == f"/authorities/{LAMBETH}/"


def test_limit_and_offset_are_honoured(client: Client) -> None:
    first = get(client, "/api/v1/authorities", limit=7, offset=0)
    second = get(client, "/api/v1/authorities", limit=7, offset=7)
    both = get(client, "/api/v1/authorities", limit=14, offset=0)
    assert len(first["results"]) == len(second["results"]) == 7
    assert first["count"] == second["count"] == both["count"]
    assert [a["code"] for a in first["results"] + second["results"]] == [
        a["code"] for a in both["results"]
    ]
    near_end = get(client, "/api/v1/authorities", limit=10, offset=both["count"] - 3)
    assert len(near_end["results"]) == 3
    assert get(client, "/api/v1/authorities", offset=both["count"])["results"] == []


def test_offset_paging_covers_every_council_exactly_once(client: Client) -> None:
    count, rows = all_pages(client, "/api/v1/authorities", limit=97, current="false")
    codes = [a["code"] for a in rows]
    assert len(codes) == len(set(codes)) == count
    assert set(codes) == set(Authority.objects.councils().values_list("code", flat=True))


@pytest.mark.parametrize(
    "path", ["/api/v1/authorities", "/api/v1/indicators", "/api/v1/observations"]
)
@pytest.mark.parametrize("params", [{"limit": 1001}, {"limit": 0}, {"limit": -5}, {"offset": -1}])
def test_out_of_range_paging_is_rejected_with_422(
    client: Client, path: str, params: dict[str, int]
) -> None:
    response = client.get(path, params)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_the_largest_page_is_accepted(client: Client) -> None:
    body = get(client, "/api/v1/authorities", limit=1000)
    assert body["limit"] == 1000 and len(body["results"]) == body["count"]


def test_kind_filter(client: Client) -> None:
    boroughs = get(client, "/api/v1/authorities", kind="LBO")
    assert boroughs["count"] == 32 == len(boroughs["results"])
    assert {a["kind"] for a in boroughs["results"]} == {"LBO"}
    assert {a["code"] for a in boroughs["results"]} == MEMBERS - {
        "E09000001",
        "E61000001",
        "E31000046",
    }
    city = get(client, "/api/v1/authorities", kind="CC")
    assert [a["code"] for a in city["results"]] == ["E09000001"]
    assert get(client, "/api/v1/authorities", kind="NOPE")["count"] == 0


def test_region_filter_gives_the_32_boroughs_the_city_the_gla_and_the_fire_authority(
    client: Client,
) -> None:
    london = get(client, "/api/v1/authorities", region="London")
    assert london["count"] == 35
    assert {a["code"] for a in london["results"]} == MEMBERS
    assert {a["region"] for a in london["results"]} == {"London"}
    assert get(client, "/api/v1/authorities", region="london")["count"] == 35
    with_areas = get(client, "/api/v1/authorities", region="London", aggregates="true")
    assert {a["code"] for a in with_areas["results"]} - MEMBERS == {
        "E12000007",
        "E13000001",
        "E13000002",
    }


def test_partnership_filter_gives_its_35_members(client: Client) -> None:
    body = get(client, "/api/v1/authorities", partnership="capital-ambition")
    assert body["count"] == 35 == len(body["results"])
    assert {a["code"] for a in body["results"]} == MEMBERS
    combined = get(client, "/api/v1/authorities", partnership="capital-ambition", kind="LBO")
    assert combined["count"] == 32
    assert (
        client.get("/api/v1/authorities", {"partnership": "no-such-partnership"}).status_code == 404
    )


def test_aggregates_are_listed_only_when_asked_for(client: Client) -> None:
    without = get(client, "/api/v1/authorities", limit=1000)
    with_ = get(client, "/api/v1/authorities", limit=1000, aggregates="true")
    aggregates = set(
        Authority.objects.filter(kind__in=AGGREGATE_KINDS).values_list("code", flat=True)
    )
    assert {"E92000001", "E12000007"} <= aggregates
    assert not aggregates & {a["code"] for a in without["results"]}
    assert aggregates <= {a["code"] for a in with_["results"]}
    assert with_["count"] - without["count"] == len(aggregates)
    assert with_["count"] == Authority.objects.current().count()


def test_one_authority_with_its_neighbours_profile_and_political_control(client: Client) -> None:
    body = get(client, f"/api/v1/authorities/{LAMBETH.lower()}")
    assert body["code"] == LAMBETH and body["name"] == "Lambeth"
    assert "capital-ambition" in body["partnerships"]
    stored = BoundaryNeighbour.objects.filter(authority__code=LAMBETH).order_by("-shared_metres")
    assert [(n["code"], n["shared_metres"]) for n in body["boundary_neighbours"]] == [
        (n.neighbour.code, n.shared_metres) for n in stored
    ]
    assert {"E09000028", "E09000032", "E09000033"} <= {
        n["code"] for n in body["boundary_neighbours"]
    }
    figures = {f["key"]: f for f in body["profile"]}
    population = ProfileFigure.objects.get(authority__code=LAMBETH, key=POPULATION)
    assert figures[POPULATION]["value"] == population.value > 100_000
    assert figures[POPULATION]["period"] == population.period != ""
    assert figures[POPULATION]["label"] == population.label
    assert len(figures) == ProfileFigure.objects.filter(authority__code=LAMBETH).count() > 10
    control = PoliticalControl.objects.get(authority__code=LAMBETH, year=2014)
    assert body["political_control"] == [
        {"year": 2014, "control": control.control, "source": control.source}
    ]
    assert control.control == "Labour"


def london_shared_metres(client: Client) -> dict[tuple[str, str], float]:
    shared: dict[tuple[str, str], float] = {}
    for code in sorted(c for c in MEMBERS if c.startswith("E09")):
        for n in get(client, f"/api/v1/authorities/{code}")["boundary_neighbours"]:
            shared[(code, n["code"])] = n["shared_metres"]
    return shared


def test_boundary_neighbours_are_symmetric_across_london(client: Client) -> None:
    shared = london_shared_metres(client)
    assert len(shared) > 60
    for a, b in shared:
        assert (b, a) in shared, f"{b} does not list {a} as a neighbour"
        assert shared[(b, a)] == pytest.approx(shared[(a, b)], rel=0.01)


def test_a_shared_boundary_has_one_length_whichever_side_asks(client: Client) -> None:
    shared = london_shared_metres(client)
    different = {
        (a, b): (m, shared[(b, a)]) for (a, b), m in shared.items() if a < b and shared[(b, a)] != m
    }
    assert different == {}


@pytest.mark.parametrize("code", ["E09999999", "nonsense"])
def test_unknown_authority_is_404(client: Client, code: str) -> None:
    response = client.get(f"/api/v1/authorities/{code}")
    assert response.status_code == 404
    assert "detail" in response.json()


# Indicators ----------------------------------------------------------------------------


def test_indicator_catalogue_lists_every_indicator_with_a_code_and_a_stated_polarity(
    client: Client,
) -> None:
    body = get(client, "/api/v1/indicators")
    with CATALOGUE.open(encoding="utf-8") as handle:
        catalogue = {row["code"] for row in csv.DictReader(handle)}
    catalogue |= {q.indicator for q in residents.definition().questions}  # the survey's six
    assert (
        body["count"] == len(body["results"]) == Indicator.objects.count() == len(catalogue) == 94
    )
    codes = [i["code"] for i in body["results"]]
    assert all(codes) and codes == sorted(codes) and set(codes) == catalogue
    polarities = {i["polarity"] for i in body["results"]}
    assert polarities == {"higher", "lower", ""}
    for i in body["results"]:
        assert i["url"] == f"/indicators/{i['code']}/"
        assert i["year_basis"] in {"calendar", "financial", "academic"}
        assert bool(i["polarity"]) == bool(i["polarity_basis"]), i["code"]


def test_indicator_catalogue_pages(client: Client) -> None:
    count, rows = all_pages(client, "/api/v1/indicators", limit=25)
    assert count == 94 and len({i["code"] for i in rows}) == 94


def test_service_area_filter_on_indicators(client: Client) -> None:
    body = get(client, "/api/v1/indicators", service_area="adult-social-care")
    expected = set(
        Indicator.objects.filter(service_area__code="adult-social-care").values_list(
            "code", flat=True
        )
    )
    assert body["count"] == len(expected) > 0
    assert {i["code"] for i in body["results"]} == expected
    assert {i["service_area"] for i in body["results"]} == {"adult-social-care"}
    assert get(client, "/api/v1/indicators", service_area="nowhere")["count"] == 0


def test_one_indicator(client: Client) -> None:
    body = get(client, f"/api/v1/indicators/{LOWER_IS_BETTER}")
    stored = Indicator.objects.get(code=LOWER_IS_BETTER)
    assert body["polarity"] == "lower"
    assert body["polarity_basis"] == "LAIT data dictionary Polarity=Low"
    assert (body["name"], body["unit"], body["source"], body["licence"]) == (
        stored.name,
        stored.unit,
        stored.source,
        stored.licence,
    )
    assert body["service_area"] == stored.service_area.code
    employment = get(client, f"/api/v1/indicators/{EMPLOYMENT}")
    assert employment["year_basis"] == "calendar" and employment["unit"] == "%"
    assert client.get("/api/v1/indicators/no-such-indicator").status_code == 404
    assert body["residents_view"] is False and body["survey"] == ""


def test_a_residents_view_says_so_with_its_survey_and_method(client: Client) -> None:
    stored = Indicator.objects.filter(residents_view=True).exclude(method_note="").first()
    assert stored is not None, "the catalogue marks its survey-based indicators"
    body = get(client, f"/api/v1/indicators/{stored.code}")
    assert body["residents_view"] is True
    assert (body["survey"], body["method_note"]) == (stored.survey, stored.method_note)


# Observations ---------------------------------------------------------------------------


def test_observations_of_one_indicator(client: Client) -> None:
    indicator = Indicator.objects.get(code=RECYCLING)
    body = get(client, "/api/v1/observations", indicator=RECYCLING, limit=1000)
    assert (
        body["count"]
        == Observation.private_objects.latest_revision().filter(indicator=indicator).count()
        > 500
    )
    assert {o["indicator"] for o in body["results"]} == {RECYCLING}
    assert {o["revision"] for o in body["results"]} == {1}


def test_observations_of_one_authority_match_the_store(client: Client) -> None:
    body = get(client, "/api/v1/observations", indicator=RECYCLING, authority=LAMBETH)
    stored = list(
        Observation.private_objects.latest_revision()
        .filter(indicator__code=RECYCLING, authority__code=LAMBETH)
        .order_by("period__start")
        .values_list("period__label", "value", "status")
    )
    assert len(stored) == 21
    assert [(o["period"], o["value"], o["status"]) for o in body["results"]] == stored
    assert {o["authority"] for o in body["results"]} == {LAMBETH}
    assert body["results"][0]["period"] == "1999/00"
    assert body["results"][0]["period_start"] == "1999-04-01"
    assert body["results"][0]["period_end"] == "2000-03-31"


def test_observations_with_confidence_intervals(client: Client) -> None:
    body = get(client, "/api/v1/observations", indicator=EMPLOYMENT, authority=LAMBETH)
    stored = {
        label: (value, lower, upper)
        for label, value, lower, upper in Observation.private_objects.latest_revision()
        .filter(indicator__code=EMPLOYMENT, authority__code=LAMBETH)
        .values_list("period__label", "value", "lower", "upper")
    }
    assert {o["period"]: (o["value"], o["lower"], o["upper"]) for o in body["results"]} == stored
    with_bounds = [o for o in body["results"] if o["value"] is not None]
    assert with_bounds and all(o["lower"] < o["value"] < o["upper"] for o in with_bounds)


def test_observations_of_several_authorities(client: Client) -> None:
    body = get(
        client,
        "/api/v1/observations",
        indicator=RECYCLING,
        authority=f"{LAMBETH}, {SOUTHWARK.lower()}",
    )
    by_authority: dict[str, int] = defaultdict(int)
    for o in body["results"]:
        by_authority[o["authority"]] += 1
    expected = {
        code: Observation.private_objects.latest_revision()
        .filter(indicator__code=RECYCLING, authority__code=code)
        .count()
        for code in (LAMBETH, SOUTHWARK)
    }
    assert dict(by_authority) == expected and body["count"] == sum(expected.values())


def test_observations_of_a_service_area(client: Client) -> None:
    indicators = set(
        Indicator.objects.filter(service_area__code="adult-social-care").values_list(
            "code", flat=True
        )
    )
    body = get(
        client,
        "/api/v1/observations",
        service_area="adult-social-care",
        authority=LAMBETH,
        limit=1000,
    )
    assert (
        body["count"]
        == Observation.private_objects.latest_revision()
        .filter(indicator__code__in=indicators, authority__code=LAMBETH)
        .count()
        > 0
    )
    assert {o["indicator"] for o in body["results"]} <= indicators
    assert len({o["indicator"] for o in body["results"]}) > 1


def test_period_from_on_a_calendar_year_indicator(client: Client) -> None:
    count, rows = all_pages(
        client, "/api/v1/observations", limit=1000, indicator=EMPLOYMENT, period_from="2015"
    )
    latest = Observation.private_objects.latest_revision().filter(indicator__code=EMPLOYMENT)
    assert count == latest.filter(period__start__gte=date(2015, 1, 1)).count()
    assert 0 < count < latest.count()
    assert all(o["period_start"] >= "2015-01-01" for o in rows)
    assert {o["period"] for o in rows} == {str(y) for y in range(2015, 2024)}


def test_period_from_and_to_on_a_financial_year_indicator(client: Client) -> None:
    body = get(
        client, "/api/v1/observations", indicator=RECYCLING, period_from="2019/20", limit=1000
    )
    assert body["count"] > 0 and {o["period"] for o in body["results"]} == {"2019/20"}
    assert {o["period_start"] for o in body["results"]} == {"2019-04-01"}
    window = get(
        client,
        "/api/v1/observations",
        indicator=RECYCLING,
        authority=LAMBETH,
        period_from="2010/11",
        period_to="2012/13",
    )
    assert [o["period"] for o in window["results"]] == ["2010/11", "2011/12", "2012/13"]
    early = get(
        client, "/api/v1/observations", indicator=RECYCLING, authority=LAMBETH, period_to="2001/02"
    )
    assert [o["period"] for o in early["results"]] == ["1999/00", "2000/01", "2001/02"]
    assert all(o["period_end"] <= "2002-03-31" for o in early["results"])


def test_unknown_indicator_is_404(client: Client) -> None:
    response = client.get("/api/v1/observations", {"indicator": "no-such-indicator"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"indicator": RECYCLING, "period_from": "not a period"},
        {"indicator": RECYCLING, "period_to": "2019/21"},
        {"period_from": "13/2019"},
    ],
)
def test_unreadable_period_is_422(client: Client, params: dict[str, str]) -> None:
    response = client.get("/api/v1/observations", params)
    assert response.status_code == 422
    assert "period" in str(response.json()["detail"])


def test_every_period_label_reads_back_to_its_dates(client: Client) -> None:
    """For every indicator, fetch the observations that between them cover each of its
    periods, and read each label back with the indicator's year basis."""
    latest = Observation.private_objects.latest_revision()
    checked = 0
    for indicator in Indicator.objects.all():
        firsts = (
            latest.filter(indicator=indicator)
            .values("period_id")
            .annotate(a=Min("authority__code"))
        )
        codes = sorted({r["a"] for r in firsts})
        periods = latest.filter(indicator=indicator).values("period_id").distinct().count()
        body = get(
            client,
            "/api/v1/observations",
            indicator=indicator.code,
            authority=",".join(codes),
            limit=1000,
        )
        assert body["count"] <= 1000
        seen = set()
        for o in body["results"]:
            period = parse_period(o["period"], YearBasis(indicator.year_basis))
            assert (period.start.isoformat(), period.end.isoformat()) == (
                o["period_start"],
                o["period_end"],
            ), (indicator.code, o)
            seen.add((o["period_start"], o["period_end"]))
        assert len(seen) == periods, indicator.code
        checked += len(seen)
    assert checked > 500


def test_suppressed_values_are_null_never_zero(client: Client) -> None:
    missing = (
        Observation.private_objects.latest_revision()
        .filter(value__isnull=True, authority__code__startswith="E09")
        .select_related("indicator", "authority", "period")
        .order_by("id")
        .first()
    )
    assert missing is not None and missing.status
    body = get(
        client,
        "/api/v1/observations",
        indicator=missing.indicator.code,
        authority=missing.authority.code,
    )
    row = next(o for o in body["results"] if o["period"] == missing.period.label)
    assert row["value"] is None and row["status"] == missing.status
    stored = dict(
        Observation.private_objects.latest_revision()
        .filter(indicator=missing.indicator, authority=missing.authority)
        .values_list("period__label", "value")
    )
    assert {o["period"]: o["value"] for o in body["results"]} == stored
    assert None in stored.values()
    lambeth_recycling = get(
        client,
        "/api/v1/observations",
        indicator=RECYCLING,
        authority=LAMBETH,
        period_from="2019/20",
    )["results"]
    assert [(o["value"], o["status"]) for o in lambeth_recycling] == [(None, "missing")]


def test_offset_paging_returns_every_observation_exactly_once(client: Client) -> None:
    count, rows = all_pages(client, "/api/v1/observations", limit=333, indicator="lait-cla-rate")
    keys = [(o["authority"], o["indicator"], o["period"]) for o in rows]
    assert len(keys) == len(set(keys)) == count
    stored = set(
        Observation.private_objects.latest_revision()
        .filter(indicator__code="lait-cla-rate")
        .values_list("authority__code", "indicator__code", "period__label")
    )
    assert set(keys) == stored
    again = get(client, "/api/v1/observations", indicator="lait-cla-rate", limit=333, offset=333)[
        "results"
    ]
    assert again == rows[333:666]


def test_unfiltered_observation_paging_is_stable(client: Client) -> None:
    total = Observation.private_objects.latest_revision().count()
    first = get(client, "/api/v1/observations", limit=1000)
    assert first["count"] == total > 200_000
    tail = get(client, "/api/v1/observations", limit=1000, offset=total - 5)
    assert len(tail["results"]) == 5
    overlap = get(client, "/api/v1/observations", limit=500, offset=500)["results"]
    assert overlap == first["results"][500:]


# The OpenAPI description ------------------------------------------------------------------


def test_openapi_description_lists_the_endpoints(client: Client) -> None:
    spec = get(client, "/api/openapi.json")
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "Ambition API"
    paths = spec["paths"]
    for path in (
        "/api/v1/authorities",
        "/api/v1/authorities/{code}",
        "/api/v1/indicators",
        "/api/v1/indicators/{code}",
        "/api/v1/observations",
    ):
        assert "get" in paths[path], path
    parameters = {p["name"]: p for p in paths["/api/v1/observations"]["get"]["parameters"]}
    assert {
        "limit",
        "offset",
        "indicator",
        "authority",
        "service_area",
        "period_from",
        "period_to",
    } <= set(parameters)
    assert parameters["limit"]["schema"]["maximum"] == 1000
    assert parameters["limit"]["schema"]["minimum"] == 1
    filters = {p["name"] for p in paths["/api/v1/authorities"]["get"]["parameters"]}
    assert {"limit", "offset", "kind", "region", "partnership", "aggregates"} <= filters


def test_api_docs_page(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
