"""Pages that show indicators (an authority's page, the catalogue, an indicator's page with
its comparison groups) and the import page, with the CSV and JSON twins of their tables."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ambition.indicators.models import ImportBatch, Indicator, Observation, ServiceArea
from ambition.registry.models import Authority, BoundaryNeighbour, PoliticalControl, ProfileFigure
from tests.pages import Node, body_rows, page, parse

pytestmark = pytest.mark.django_db

LAMBETH, SOUTHWARK, BIRMINGHAM = "E09000022", "E09000028", "E08000025"
LONDON_COUNCILS = {f"E090000{n:02d}" for n in range(1, 34)}
LOWER_IS_BETTER = "lait-cin-re-referrals"
HIGHER_IS_BETTER = "oflog-asc2-quality-of-life"
EMPLOYMENT = "ons-employment-rate"
RECYCLING = "recycling-rate"


def as_csv(client: Client, path: str, **params: str) -> list[list[str]]:
    response = client.get(path, {**params, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def as_json(client: Client, path: str, **params: str) -> dict[str, Any]:
    response = client.get(path, {**params, "format": "json"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return json.loads(response.content)  # type: ignore[no-any-return]


def codes_of(rows: list[dict[str, Any]]) -> set[str]:
    return {r["code"] for r in rows}


# An authority's page ------------------------------------------------------------------------


def test_authority_page_shows_every_profile_figure(client: Client) -> None:
    root = page(client, f"/authorities/{LAMBETH}/")
    assert root.find("h1").text == "Lambeth"
    rows = body_rows(root.find("table", data_section="profile"))
    # Some labels repeat with another period (the deprivation rank of each IMD edition).
    shown = {(r.find("th").text, r.find_all("td")[0].text): r.find_all("td")[1].text for r in rows}
    figures = ProfileFigure.objects.filter(authority__code=LAMBETH)
    assert len(rows) == len(shown) == figures.count() > 10
    no_period = "\N{EN DASH}"
    assert {(f.label, f.period or no_period) for f in figures} == set(shown)
    population = figures.get(key="gla-population-estimate")
    assert shown[(population.label, population.period)] == f"{round(population.value):,}"
    density = figures.get(key="population-density-per-hectare")
    assert shown[(density.label, density.period)] == str(density.value)
    ranks = [k for k in shown if k[1].startswith("IMD ") and "rank of" in k[0]]
    assert len(ranks) >= 2
    assert "Labour (2014)" in root.text


def test_authority_page_leads_with_the_key_figures(client: Client) -> None:
    root = page(client, f"/authorities/{LAMBETH}/")
    cards = root.find("ul", data_section="key-figures").find_all("li")
    labels = [c.find("span", **{"class": "app-key-figure__label"}).text for c in cards]
    values = [c.find("span", **{"class": "app-key-figure__value"}).text for c in cards]
    population = ProfileFigure.objects.get(authority__code=LAMBETH, key="gla-population-estimate")
    assert labels[0] == f"{population.label} ({population.period})"
    assert values[0] == f"{round(population.value):,}"
    change = ProfileFigure.objects.filter(authority__code=LAMBETH, key="imd-rank-change").first()
    if change is not None:
        shown = values[labels.index(f"{change.label} ({change.period})")]
        assert shown == f"{'+' if change.value > 0 else ''}{round(change.value):,}"
    assert 2 <= len(cards) <= 6


def test_authority_page_shows_the_computed_boundary_neighbours(client: Client) -> None:
    root = page(client, f"/authorities/{LAMBETH}/")
    items = root.find("ul", data_section="neighbours").find_all("li")
    stored = list(
        BoundaryNeighbour.objects.filter(authority__code=LAMBETH)
        .select_related("neighbour")
        .order_by("-shared_metres")
    )
    assert len(stored) >= 5
    assert [li.find("a").attrs["href"] for li in items] == [
        f"/authorities/{n.neighbour.code}/" for n in stored
    ]
    assert [li.find("a").text for li in items] == [n.neighbour.name for n in stored]
    assert [li.find("span").text for li in items] == [
        f"{round(n.shared_metres):,} m" for n in stored
    ]
    assert {"Southwark", "Wandsworth", "Westminster", "Croydon"} <= {
        n.neighbour.name for n in stored
    }


def authority_indicator_tables(root: Node) -> list[tuple[str, list[Node]]]:
    """(heading, rows) for each service area's table after the Indicators heading."""
    groups: list[tuple[str, list[Node]]] = []
    heading = None
    for element in root.elements():
        if element.tag == "h3":
            heading = element.text
        elif element.tag == "table" and "app-table--indicators" in element.attrs.get("class", ""):
            assert heading is not None
            groups.append((heading, body_rows(element)))
            heading = None
    return groups


def test_authority_page_groups_the_indicators_by_service_area(client: Client) -> None:
    root = page(client, f"/authorities/{LAMBETH}/")
    groups = authority_indicator_tables(root)
    latest = Observation.private_objects.latest_revision().filter(authority__code=LAMBETH)
    with_data = Indicator.objects.filter(id__in=latest.values("indicator_id")).select_related(
        "service_area"
    )
    area_of = {i.code: i.service_area.name for i in with_data}
    headings = [h for h, _ in groups]
    assert headings == sorted(set(area_of.values())) and len(headings) > 3
    seen = []
    for heading, rows in groups:
        for row in rows:
            href = row.find("a").attrs["href"]
            code = href.split("/")[2]
            assert href == f"/indicators/{code}/?focus={LAMBETH}"
            assert area_of[code] == heading, code
            seen.append(code)
    assert sorted(seen) == sorted(area_of)
    assert f"{len(area_of)} with data" in root.find("h2", id="indicators").text


def test_authority_page_downloads_hold_the_rows_of_the_page(client: Client) -> None:
    root = page(client, f"/authorities/{LAMBETH}/")
    shown = [
        (row.find("a").attrs["href"].split("/")[2], row.find_all("td")[1].text)
        for _, rows in authority_indicator_tables(root)
        for row in rows
    ]
    table = as_csv(client, f"/authorities/{LAMBETH}/")
    assert table[0][:5] == ["Indicator code", "Indicator", "Service area", "Latest period", "Value"]
    assert [(r[0], r[3]) for r in table[1:]] == shown
    body = as_json(client, f"/authorities/{LAMBETH}/")
    assert body["authority"] == LAMBETH and body["name"] == "Lambeth"
    assert [(r["indicator"], r["period"]) for r in body["rows"]] == shown
    recycling = next(r for r in body["rows"] if r["indicator"] == RECYCLING)
    assert (recycling["period"], recycling["value"], recycling["status"]) == (
        "2019/20",
        None,
        "missing",
    )
    csv_recycling = next(r for r in table if r[0] == RECYCLING)
    assert (csv_recycling[4], csv_recycling[6]) == ("", "missing")
    employment = next(r for r in body["rows"] if r["indicator"] == EMPLOYMENT)
    stored = Observation.private_objects.latest_revision().get(
        indicator__code=EMPLOYMENT, authority__code=LAMBETH, period__label=employment["period"]
    )
    assert employment["value"] == stored.value
    london = Observation.private_objects.latest_revision().get(
        indicator__code=EMPLOYMENT, authority__code="E12000007", period__label=employment["period"]
    )
    assert employment["london"] == london.value


def test_authority_page_accepts_a_lower_case_code(client: Client) -> None:
    assert page(client, f"/authorities/{LAMBETH.lower()}/").find("h1").text == "Lambeth"


@pytest.mark.parametrize(
    "path", ["/authorities/E09999999/", "/authorities/nonsense/", "/indicators/no-such-indicator/"]
)
def test_unknown_pages_are_404(client: Client, path: str) -> None:
    assert client.get(path).status_code == 404


# An indicator's page -------------------------------------------------------------------------


def test_indicator_page_shows_the_definition_unit_polarity_source_and_licence(
    client: Client,
) -> None:
    indicator = Indicator.objects.get(code=LOWER_IS_BETTER)
    root = page(client, f"/indicators/{LOWER_IS_BETTER}/")
    facts = {
        r.find("dt").text: r.find("dd")
        for r in root.find("dl", data_section="definition").find_all("div")
    }
    assert facts["Definition"].text == indicator.definition
    assert facts["Unit"].text == "%"
    assert (
        facts["Polarity"].text
        == "Lower is better (from the source: LAIT data dictionary Polarity=Low)"
    )
    source = facts["Source"].find("a")
    assert source.attrs["href"] == indicator.source_url and source.text == indicator.source
    assert facts["Licence"].text == "Open Government Licence v3.0"
    assert facts["Periods"].text == "Financial years"
    assert root.find("h1").text == indicator.name


def assert_best_first(rows: list[dict[str, Any]], polarity: str) -> None:
    values = [r["value"] for r in rows if r["value"] is not None]
    assert len(values) > 20
    assert values == sorted(values, reverse=polarity == "higher")
    assert values[0] != values[-1]
    # Competition ranking: equal values share a rank, the next rank skips.
    better = {
        v: sum(1 for w in values if w != v and (w > v) == (polarity == "higher")) for v in values
    }
    assert [r["rank"] for r in rows if r["value"] is not None] == [better[v] + 1 for v in values]
    # Authorities with no value come last, unranked.
    tail = rows[len(values) :]
    assert all(r["value"] is None and r["rank"] is None for r in tail)


@pytest.mark.parametrize(
    ("code", "polarity"), [(LOWER_IS_BETTER, "lower"), (HIGHER_IS_BETTER, "higher")]
)
def test_ranking_is_best_first_by_polarity(client: Client, code: str, polarity: str) -> None:
    assert Indicator.objects.get(code=code).polarity == polarity
    body = as_json(client, f"/indicators/{code}/")
    assert body["indicator"] == code and body["group"] == "London boroughs and the City"
    assert_best_first(body["rows"], polarity)
    assert codes_of(body["rows"]) <= LONDON_COUNCILS
    assert {r["period"] for r in body["rows"]} == {body["period"]}
    latest_with_values = (
        Observation.private_objects.latest_revision()
        .filter(indicator__code=code, authority__code__in=LONDON_COUNCILS, value__isnull=False)
        .order_by("-period__end")
        .values_list("period__label", flat=True)
        .first()
    )
    assert body["period"] == latest_with_values
    for r in body["rows"]:
        stored = Observation.private_objects.latest_revision().get(
            indicator__code=code, authority__code=r["code"], period__label=body["period"]
        )
        assert r["value"] == stored.value


def test_page_table_and_csv_follow_the_ranking(client: Client) -> None:
    ranking = as_json(client, f"/indicators/{LOWER_IS_BETTER}/", compare="all")["rows"]
    table = as_csv(client, f"/indicators/{LOWER_IS_BETTER}/", compare="all")
    assert table[0] == [
        "Rank",
        "Rank, at worst within the intervals",
        "ONS code",
        "Authority",
        "Period",
        "Value",
        "Status",
        "Lower",
        "Upper",
        "Compared with the chosen authority",
        "Illustrative (made-up demo survey)",
    ]
    assert len(table) - 1 == len(ranking) > 100
    for line, r in zip(table[1:], ranking, strict=True):
        rank = "" if r["rank"] is None else str(r["rank"])
        assert [line[0], *line[2:4]] == [rank, r["code"], r["name"]]
        assert line[5] == ("" if r["value"] is None else str(r["value"]))
    root = page(client, f"/indicators/{LOWER_IS_BETTER}/", compare="all")
    rows = body_rows(root.find("table", data_table="ranking"))
    assert [row.find("a").attrs["href"] for row in rows] == [
        f"/authorities/{r['code']}/" for r in ranking
    ]
    no_rank = "\N{EN DASH}"  # the template's default for an unranked row
    assert [row.find_all("td")[0].text for row in rows] == [
        str(r["rank"] or no_rank) for r in ranking
    ]


def test_compare_with_authorities_of_the_same_type_as_a_london_borough(client: Client) -> None:
    body = as_json(client, f"/indicators/{LOWER_IS_BETTER}/", compare="type", focus=LAMBETH)
    assert body["group"] == "English authorities of type London borough"
    codes = codes_of(body["rows"])
    assert LAMBETH in codes and codes <= LONDON_COUNCILS
    observed = set(
        Observation.private_objects.latest_revision()
        .filter(
            indicator__code=LOWER_IS_BETTER,
            period__label=body["period"],
            authority__kind__in=["LBO", "CC"],
        )
        .values_list("authority__code", flat=True)
    )
    assert codes == observed and len(codes) >= 30
    assert_best_first(body["rows"], "lower")


def test_compare_with_authorities_of_the_same_type_outside_london(client: Client) -> None:
    body = as_json(client, f"/indicators/{LOWER_IS_BETTER}/", compare="type", focus=BIRMINGHAM)
    kinds = set(
        Authority.objects.filter(code__in=codes_of(body["rows"])).values_list("kind", flat=True)
    )
    assert kinds == {"MD"} and BIRMINGHAM in codes_of(body["rows"]) and len(body["rows"]) > 30


def test_compare_with_the_boundary_neighbours(client: Client) -> None:
    body = as_json(client, f"/indicators/{LOWER_IS_BETTER}/", compare="neighbours", focus=LAMBETH)
    neighbours = set(
        BoundaryNeighbour.objects.filter(authority__code=LAMBETH).values_list(
            "neighbour__code", flat=True
        )
    )
    observed = set(
        Observation.private_objects.latest_revision()
        .filter(indicator__code=LOWER_IS_BETTER, period__label=body["period"])
        .values_list("authority__code", flat=True)
    )
    assert codes_of(body["rows"]) == ({LAMBETH} | neighbours) & observed
    assert LAMBETH in codes_of(body["rows"]) and len(body["rows"]) >= 5
    assert body["group"] == "Lambeth and its boundary neighbours"


def test_compare_with_a_chosen_group(client: Client) -> None:
    body = as_json(
        client,
        f"/indicators/{HIGHER_IS_BETTER}/",
        compare="chosen",
        authorities=f"{LAMBETH},{SOUTHWARK}",
    )
    assert codes_of(body["rows"]) == {LAMBETH, SOUTHWARK}
    assert [r["rank"] for r in body["rows"]] == [1, 2]
    assert body["rows"][0]["value"] >= body["rows"][1]["value"]
    root = page(
        client,
        f"/indicators/{HIGHER_IS_BETTER}/",
        compare="chosen",
        authorities=f"{LAMBETH.lower()}, {SOUTHWARK}",
    )
    shown = [row.find("a").text for row in body_rows(root.find("table", data_table="ranking"))]
    assert sorted(shown) == ["Lambeth", "Southwark"]


def test_the_focus_is_highlighted_and_intervals_shown(client: Client) -> None:
    root = page(client, f"/indicators/{EMPLOYMENT}/", focus=LAMBETH)
    table = root.find("table", data_table="ranking")
    assert "95% interval" in table.find("thead").text
    focus = [row for row in body_rows(table) if "app-row--focus" in row.attrs["class"]]
    assert [row.find("a").text for row in focus] == ["Lambeth"]
    period = as_json(client, f"/indicators/{EMPLOYMENT}/")["period"]
    stored = Observation.private_objects.latest_revision().get(
        indicator__code=EMPLOYMENT, authority__code=LAMBETH, period__label=period
    )
    assert focus[0].find_all("td")[3].text == f"{stored.lower:.1f} to {stored.upper:.1f}"


# The catalogue -------------------------------------------------------------------------------


def catalogue_groups(root: Node) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    heading = None
    for element in root.elements():
        if element.tag == "h2" and "govuk-heading-m" in element.attrs.get("class", ""):
            # The heading is the area's name followed by a count in a <span>.
            heading = "".join(c for c in element.children if isinstance(c, str)).strip()
            assert element.find("span").text.isdigit()
        elif element.tag == "table" and heading is not None:
            groups[heading] = [
                row.find("a").attrs["href"].split("/")[2] for row in body_rows(element)
            ]
            heading = None
    return groups


def test_indicator_list_is_grouped_by_service_area(client: Client) -> None:
    root = page(client, "/indicators/")
    groups = catalogue_groups(root)
    expected: dict[str, set[str]] = {}
    for i in Indicator.objects.select_related("service_area"):
        expected.setdefault(i.service_area.name, set()).add(i.code)
    assert {k: set(v) for k, v in groups.items()} == expected
    assert list(groups) == sorted(expected)
    assert sum(len(v) for v in groups.values()) == 88 + 6  # and the residents' survey's six
    assert "94 indicators" in root.text


def test_indicator_list_filters_by_service_area(client: Client) -> None:
    area = ServiceArea.objects.get(code="adult-social-care")
    expected = set(area.indicators.values_list("code", flat=True))
    root = page(client, "/indicators/", service_area=area.code)
    groups = catalogue_groups(root)
    assert list(groups) == [area.name] and set(groups[area.name]) == expected
    assert f"{len(expected)} indicators" in root.text
    option = next(
        o
        for o in root.find("select", id="service_area").find_all("option")
        if "selected" in o.attrs
    )
    assert option.attrs["value"] == area.code
    table = as_csv(client, "/indicators/", service_area=area.code)
    assert {r[0] for r in table[1:]} == expected and len(table) - 1 == len(expected)
    polarity = {r[0]: r[4] for r in as_csv(client, "/indicators/")[1:]}
    assert (
        polarity[LOWER_IS_BETTER] == "Lower is better"
        and polarity[HIGHER_IS_BETTER] == "Higher is better"
    )


# The import page -----------------------------------------------------------------------------


def real_rows(client: Client) -> list[dict[str, Any]]:
    body = client.get(
        "/api/v1/observations",
        {
            "indicator": RECYCLING,
            "authority": LAMBETH,
            "period_from": "2016/17",
            "period_to": "2018/19",
        },
    ).json()
    assert [o["period"] for o in body["results"]] == ["2016/17", "2017/18", "2018/19"]
    return body["results"]  # type: ignore[no-any-return]


def upload(rows: list[dict[str, Any]], name: str = "lambeth-recycling.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["authority", "indicator", "period", "value", "status"])
    for r in rows:
        writer.writerow(
            [
                r["authority"],
                r["indicator"],
                r["period"],
                "" if r["value"] is None else r["value"],
                r["status"],
            ]
        )
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def store_state() -> tuple[int, int, int]:
    return (
        Observation.private_objects.count(),
        Observation.private_objects.latest_revision().count(),
        ImportBatch.objects.count(),
    )


def recycling(period: str) -> Any:
    return Observation.private_objects.filter(
        indicator__code=RECYCLING, authority__code=LAMBETH, period__label=period
    ).order_by("revision")


def test_import_page_asks_anonymous_people_to_log_in(client: Client) -> None:
    response = client.get("/import/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/import/"


def test_import_page_is_forbidden_without_the_permission(client: Client, resident: Any) -> None:
    client.force_login(resident)
    assert client.get("/import/").status_code == 403
    before = store_state()
    rows = real_rows(client)
    assert client.post("/import/", {"file": upload(rows)}).status_code == 403
    assert store_state() == before


def test_analyst_imports_a_revision(client: Client, analyst: Any) -> None:
    client.force_login(analyst)
    assert page(client, "/import/").find("input", id="id_file").attrs["type"] == "file"
    rows = real_rows(client)
    old = rows[2]["value"]
    rows[2] = {**rows[2], "value": old + 1.5}
    before = store_state()
    response = client.post("/import/", {"file": upload(rows)}, follow=True)
    assert response.status_code == 200
    root = parse(response.content)
    summary = root.find("p", data_report="summary").text
    assert summary == (
        "lambeth-recycling.csv: 3 rows, 3 observations (long layout); "
        "made 0 new, 1 revised, 2 unchanged."
    )
    revisions = list(recycling("2018/19"))
    assert [(o.revision, o.value, o.is_latest) for o in revisions] == [
        (1, old, False),
        (2, old + 1.5, True),
    ]
    batch = ImportBatch.objects.get(pk=revisions[1].batch_id)
    assert batch.user == analyst and batch.origin == "page"
    assert (batch.created, batch.revised, batch.unchanged, batch.rows_read) == (0, 1, 2, 3)
    assert batch.file_name == "lambeth-recycling.csv"
    assert [o.revision for o in recycling("2017/18")] == [1]
    assert store_state() == (before[0] + 1, before[1], before[2] + 1)
    assert (
        root.find("a", **{"class": "govuk-notification-banner__link"}).attrs["href"]
        == f"/import/{batch.pk}/"
    )
    # The API now gives the new value, and the batch page lists the revision it wrote.
    api = client.get(
        "/api/v1/observations",
        {
            "indicator": RECYCLING,
            "authority": LAMBETH,
            "period_from": "2018/19",
            "period_to": "2018/19",
        },
    ).json()
    assert [(o["value"], o["revision"]) for o in api["results"]] == [(old + 1.5, 2)]
    detail = page(client, f"/import/{batch.pk}/")
    written = [[td.text for td in row.find_all("td")] for row in body_rows(detail.find("table"))]
    before_value = f"{old} (recycling.csv.gz)"
    assert written == [[RECYCLING, "Lambeth", "2018/19", "2", before_value, str(old + 1.5), ""]]


def test_a_file_with_an_unknown_authority_writes_nothing(client: Client, analyst: Any) -> None:
    client.force_login(analyst)
    rows = real_rows(client)
    rows[0] = {**rows[0], "authority": "E09999999", "value": 99.0}
    rows[1] = {**rows[1], "value": rows[1]["value"] + 1}
    before = store_state()
    response = client.post("/import/", {"file": upload(rows)}, follow=True)
    assert response.status_code == 200
    root = parse(response.content)
    assert "Nothing was imported" in root.text
    problems = [
        [td.text for td in row.find_all("td")]
        for row in body_rows(root.find("table", data_table="problems"))
    ]
    assert len(problems) == 1
    assert problems[0][:3] == ["2", "authority", "E09999999"]
    assert store_state() == before
    assert [o.revision for o in recycling("2017/18")] == [1]


def test_a_dry_run_writes_nothing(client: Client, analyst: Any) -> None:
    client.force_login(analyst)
    rows = real_rows(client)
    old = rows[2]["value"]
    rows[2] = {**rows[2], "value": old + 2}
    before = store_state()
    response = client.post("/import/", {"file": upload(rows), "dry_run": "on"}, follow=True)
    root = parse(response.content)
    assert root.find("h2", **{"class": "govuk-notification-banner__title"}).text == "Checked"
    assert "would make 0 new, 1 revised, 2 unchanged" in root.find("p", data_report="summary").text
    assert store_state() == before
    assert [(o.revision, o.value) for o in recycling("2018/19")] == [(1, old)]
    assert "See what changed" not in root.text
    assert root.find("span", **{"class": "govuk-caption-l"}).text == "Check only"


def test_a_wide_file_takes_its_indicator_from_the_form(client: Client, analyst: Any) -> None:
    client.force_login(analyst)
    rows = real_rows(client)
    content = (
        f"authority,{rows[0]['period']},{rows[1]['period']}\n"
        f"{LAMBETH},{rows[0]['value']},{rows[1]['value'] + 3}\n"
    ).encode()
    before = store_state()
    response = client.post(
        "/import/",
        {
            "file": SimpleUploadedFile("wide.csv", content, content_type="text/csv"),
            "indicator": RECYCLING,
        },
        follow=True,
    )
    summary = parse(response.content).find("p", data_report="summary").text
    assert (
        summary
        == "wide.csv: 1 rows, 2 observations (wide layout); made 0 new, 1 revised, 1 unchanged."
    )
    assert [(o.revision, o.value) for o in recycling(rows[1]["period"])] == [
        (1, rows[1]["value"]),
        (2, rows[1]["value"] + 3),
    ]
    assert store_state() == (before[0] + 1, before[1], before[2] + 1)


def test_a_file_of_another_type_is_refused_by_the_form(client: Client, analyst: Any) -> None:
    client.force_login(analyst)
    before = store_state()
    response = client.post(
        "/import/",
        {
            "file": SimpleUploadedFile(
                "notes.txt", b"authority,indicator,period,value\n", content_type="text/plain"
            )
        },
    )
    assert response.status_code == 200
    root = parse(response.content)
    assert [p.text for p in root.find_all("p", **{"class": "govuk-error-message"})] == [
        "Error: Choose a .csv, .csv.gz or .xlsx file."
    ]
    assert not root.find_all("p", data_report="summary")
    assert store_state() == before


def test_an_indicator_without_a_stated_polarity_is_not_ranked(client: Client) -> None:
    assert Indicator.objects.get(code=RECYCLING).polarity == ""
    rows = as_json(client, f"/indicators/{RECYCLING}/")["rows"]
    values = [r["value"] for r in rows if r["value"] is not None]
    assert len(values) > 20 and values == sorted(
        values, reverse=True
    )  # ordered by value, highest first
    assert {r["rank"] for r in rows} == {None}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("compare", "expected"),
    [("subregion", "sub_region"), ("innerouter", "inner_outer")],
)
def test_a_member_is_compared_with_its_sub_region_or_its_part_of_london(
    client: Client, compare: str, expected: str
) -> None:
    lambeth = Authority.objects.get(code="E09000022")
    response = client.get(
        "/indicators/lait-agency-social-workers/",
        {"focus": "E09000022", "compare": compare, "format": "json"},
    )
    codes = {row["code"] for row in response.json()["rows"]}
    same = set(
        Authority.objects.filter(**{expected: getattr(lambeth, expected)}).values_list(
            "code", flat=True
        )
    )
    assert "E09000022" in codes and codes <= same and len(codes) > 3


@pytest.mark.django_db
def test_a_member_is_compared_with_those_under_the_same_political_control(client: Client) -> None:
    lambeth = Authority.objects.get(code="E09000022")
    control = lambeth.control.order_by("-year").first()
    response = client.get(
        "/indicators/lait-agency-social-workers/",
        {"focus": "E09000022", "compare": "control", "format": "json"},
    )
    body = response.json()
    assert control.control in body["group"]
    same = set(
        PoliticalControl.objects.filter(year=control.year, control=control.control).values_list(
            "authority__code", flat=True
        )
    )
    assert {row["code"] for row in body["rows"]} <= same
