"""Nearest neighbours: the engine on small frames (distances worked by hand, missing values,
weights, k, ties) and its properties; the profile frame from the demo data; the page and
the API."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import polars as pl
import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from ambition.assessment.engine.neighbours import nearest_neighbours, overlap, overlap_by_focus
from ambition.assessment.groups import load_published
from ambition.assessment.profiles import latest_values, load_method, profile_frame, tier_codes
from ambition.registry.loading import load_comparator_profiles
from ambition.registry.models import ProfileFigure

DATA = Path(__file__).resolve().parents[2] / "data"
LAMBETH, SOUTHWARK, ADUR, LONDON = "E09000022", "E09000028", "E07000223", "E12000007"


def profile(rows: dict[str, dict[str, float | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(a, v, x) for a, values in rows.items() for v, x in values.items()],
        schema={"authority": pl.String, "variable": pl.String, "value": pl.Float64},
        orient="row",
    )


# x: -1, 0, 1 and y: 1, 0, -1 have mean 0 and sample SD 1, so they are their own z-scores.
LINE = {"A": {"x": -1.0, "y": 1.0}, "B": {"x": 0.0, "y": 0.0}, "C": {"x": 1.0, "y": -1.0}}


def distance(frame: pl.DataFrame, focus: str, peer: str) -> float:
    row = frame.filter(pl.col("focus") == focus, pl.col("peer") == peer)
    return float(row["distance"].item())


def test_distances_are_euclidean_over_standardised_values() -> None:
    result = nearest_neighbours(profile(LINE), k=2)
    assert distance(result, "A", "B") == pytest.approx(math.sqrt(2))
    assert distance(result, "A", "C") == pytest.approx(math.sqrt(8))
    assert result.filter(pl.col("focus") == "A")["peer"].to_list() == ["B", "C"]
    assert set(result["variables_used"]) == {2}


def test_standardising_makes_units_irrelevant() -> None:
    scaled = {a: {"x": v["x"] * 1000 + 7, "y": v["y"]} for a, v in LINE.items()}
    assert nearest_neighbours(profile(scaled)).equals(nearest_neighbours(profile(LINE)))


def test_weights_multiply_squared_differences_and_zero_drops_a_variable() -> None:
    weighted = nearest_neighbours(profile(LINE), weights={"x": 1, "y": 3})
    assert distance(weighted, "A", "B") == pytest.approx(2.0)  # sqrt(1 + 3)
    only_x = nearest_neighbours(profile(LINE), weights={"x": 4, "y": 0})
    assert distance(only_x, "A", "B") == pytest.approx(2.0)  # sqrt(4 * 1)
    assert set(only_x["variables_used"]) == {1}


def test_missing_values_compare_on_shared_variables_scaled_up() -> None:
    rows = {**LINE, "D": {"x": 0.0, "y": None}}
    # x is now -1, 0, 1, 0: mean 0, SD sqrt(2/3), so D and A differ by sqrt(1.5) on x;
    # half the weight is shared, so the sum of squares is doubled: sqrt(2 * 1.5).
    result = nearest_neighbours(profile(rows), k=3)
    assert distance(result, "D", "A") == pytest.approx(math.sqrt(3))
    assert distance(result, "D", "B") == 0.0
    assert result.filter(pl.col("focus") == "D")["variables_used"].to_list() == [1, 1, 1]
    strict = nearest_neighbours(profile(rows), k=3, min_shared=0.75)
    assert strict.filter(pl.col("focus") == "D").is_empty()
    assert "D" not in strict.filter(pl.col("focus") == "A")["peer"].to_list()


def test_a_variable_the_pool_cannot_standardise_is_left_out_for_everyone() -> None:
    rows = {a: {**v, "same": 5.0} for a, v in LINE.items()}
    assert nearest_neighbours(profile(rows)).equals(nearest_neighbours(profile(LINE)))


def test_k_limits_the_list_and_ties_go_to_the_lower_code() -> None:
    result = nearest_neighbours(profile(LINE), k=1)
    assert result.height == 3
    # B is sqrt(2) from both A and C: A, the lower code, comes first.
    both = nearest_neighbours(profile(LINE), k=5).filter(pl.col("focus") == "B")
    assert both["peer"].to_list() == ["A", "C"]
    assert both["rank"].to_list() == [1, 2]


def test_the_same_profile_in_any_order_gives_the_same_result() -> None:
    frame = profile({**LINE, "D": {"x": 0.5, "y": None}, "E": {"x": -2.0, "y": 3.0}})
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=7)
    assert nearest_neighbours(shuffled).equals(nearest_neighbours(frame))


def test_pool_and_focus() -> None:
    rows = {**LINE, "Z": {"x": 100.0, "y": -100.0}}
    # Z is outside the pool: it does not move the mean or SD, and is no one's neighbour,
    # but it can still be a focus, measured on the pool's scale.
    result = nearest_neighbours(profile(rows), pool=["A", "B", "C"], focus=["A", "Z"])
    assert result["focus"].unique().sort().to_list() == ["A", "Z"]
    assert distance(result, "A", "B") == pytest.approx(math.sqrt(2))
    assert "Z" not in result["peer"].to_list()


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        nearest_neighbours(profile(LINE), k=0)
    with pytest.raises(ValueError):
        nearest_neighbours(profile(LINE), weights={"x": -1.0})
    with pytest.raises(ValueError):
        nearest_neighbours(pl.concat([profile(LINE), profile({"A": {"x": 2.0}})]))


def test_overlap_is_the_mean_share_of_the_k_nearest_in_common() -> None:
    def ranked(lists: dict[str, list[str]]) -> pl.DataFrame:
        return pl.DataFrame(
            [(f, p, r) for f, peers in lists.items() for r, p in enumerate(peers, start=1)],
            schema={"focus": pl.String, "peer": pl.String, "rank": pl.Int32},
            orient="row",
        )

    ours = ranked({"A": ["B", "C", "D"], "B": ["A", "C", "D"], "X": ["A"]})
    theirs = ranked({"A": ["C", "B", "E"], "B": ["E", "F", "A"]})
    assert overlap(ours, theirs, k=2) == pytest.approx((2 / 2 + 0 / 2) / 2)
    assert overlap(ours, theirs, k=3) == pytest.approx((2 / 3 + 1 / 3) / 2)
    assert overlap_by_focus(ours, theirs, 3)["focus"].to_list() == ["A", "B"]


def test_latest_values_take_the_latest_period_most_authorities_report() -> None:
    observations = pl.DataFrame(
        {
            "authority": ["A", "B", "C", "A", "B", "A"],
            "indicator": ["i"] * 6,
            "period": ["2020", "2020", "2020", "2021", "2021", "2022"],
            "t": [2020.0, 2020.0, 2020.0, 2021.0, 2021.0, 2022.0],
            "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    latest = latest_values(observations)
    # 2022 has one of three authorities: too few; 2021 has two.
    assert latest.sort("authority").rows() == [("A", "i", "2021", 4.0), ("B", "i", "2021", 5.0)]


codes = st.sampled_from([f"E0{n}" for n in range(10)])
values = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_subnormal=False))
profiles = st.dictionaries(
    codes,
    st.fixed_dictionaries({"x": values, "y": values, "z": values}),
    min_size=2,
    max_size=10,
)


@settings(max_examples=150, deadline=None)
@given(profiles, st.integers(1, 12), st.floats(0.1, 1.0))
def test_properties(rows: dict[str, dict[str, float | None]], k: int, min_shared: float) -> None:
    result = nearest_neighbours(profile(rows), k=k, min_shared=min_shared)
    everyone = nearest_neighbours(profile(rows), k=len(rows), min_shared=min_shared)
    assert (result["focus"] != result["peer"]).all()
    assert (result["distance"] >= 0).all()
    for (focus,), group in result.group_by(["focus"]):
        assert group["rank"].to_list() == list(range(1, group.height + 1))
        assert group["distance"].is_sorted()
        comparable = everyone.filter(pl.col("focus") == focus).height
        assert group.height == min(k, comparable)
    pairs = {(f, p): d for f, p, d in everyone.select("focus", "peer", "distance").rows()}
    assert all(pairs.get((p, f)) == d for (f, p), d in pairs.items())


@pytest.fixture(scope="module")
def comparators(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    """The figures and published lists this page needs (loaded by the demo loader too:
    loading again writes nothing)."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        load_comparator_profiles(DATA)
        load_published(DATA)


@pytest.mark.django_db
def test_every_upper_tier_council_has_its_profile_and_fifteen_neighbours(comparators: None) -> None:
    method = load_method()
    general = method.variable_set("general")
    pool = tier_codes(method.tiers["upper"])
    assert len(pool) == 153  # the DfE's 152 LAs, with the two Cumbrian unitaries for Cumbria
    frame = profile_frame(general).filter(pl.col("authority").is_in(pool))
    counts = dict(frame.group_by("variable").len().rows())
    from_profiles = [v.key for v in general.variables if v.origin[0] == "profile"]
    assert {counts[key] for key in from_profiles} == {153}  # counties' IMD from districts
    # Indicators miss a few (the City's and Scilly's pay, Barnsley's and Sheffield's 2025
    # affordability), and those councils are compared on the rest.
    assert min(counts[v.key] for v in general.variables) >= 149
    result = nearest_neighbours(frame, general.weights, pool=pool, min_shared=general.min_shared)
    assert set(result.group_by("focus").len()["len"]) == {15}
    assert result["focus"].n_unique() == 153


@pytest.mark.django_db
def test_a_countys_deprivation_is_the_population_weighted_mean_of_its_districts(
    comparators: None,
) -> None:
    """Worked from the shipped files, apart from the loader: Kent and its 12 districts."""
    with (DATA / "registry" / "uk_local_authorities_future.csv").open(encoding="utf-8") as f:
        districts = [r for r in csv.DictReader(f) if r["county-la"] == "KEN"]
    with (DATA / "registry" / "imd2019_lad21_england.csv").open(encoding="utf-8") as f:
        income = {r["ltla21_code"]: float(r["Income_Score"]) for r in csv.DictReader(f)}
    weights = {r["gss-code"]: float(r["pop-2020"]) for r in districts if r["gss-code"] in income}
    assert len(weights) == 12
    expected = sum(income[code] * w for code, w in weights.items()) / sum(weights.values())
    kent = ProfileFigure.objects.get(authority__code="E10000016", key="imd-2019-income")
    assert kent.value == pytest.approx(expected)
    assert kent.source.endswith("the population-weighted mean of the council's districts")


def rows_of(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode())))


@pytest.mark.django_db
def test_the_page_shows_computed_and_published_neighbours(comparators: None) -> None:
    response = Client().get(f"/authorities/{LAMBETH}/neighbours/")
    assert response.status_code == 200
    page = response.content.decode()
    for section in ("england", "members", "dfe", "oflog", "variables"):
        assert f'data-section="{section}"' in page
    assert "Population density (log)" in page  # the variables it is computed on
    assert ">Hackney</a>" in page  # Lambeth's nearest in the DfE's list
    england = rows_of(Client().get(f"/authorities/{LAMBETH}/neighbours/?format=csv").content)
    assert len(england) == 15
    assert [r["Rank"] for r in england] == [str(n) for n in range(1, 16)]
    distances = [float(r["Distance"]) for r in england]
    assert distances == sorted(distances)
    assert LAMBETH not in {r["ONS code"] for r in england}


@pytest.mark.django_db
def test_the_page_downloads_each_table(comparators: None) -> None:
    base = f"/authorities/{LAMBETH}/neighbours/"
    dfe = Client().get(base + "?format=csv&table=dfe")
    assert dfe["Content-Disposition"] == f'attachment; filename="{LAMBETH}-neighbours-dfe.csv"'
    first = rows_of(dfe.content)[0]
    assert (first["Authority"], first["Closeness (as published)"]) == ("Hackney", "Close")
    members = Client().get(base + "?format=json&table=members&k=3&set=childrens-services")
    body = members.json()
    assert body["variable_set"] == "childrens-services"
    assert len(body["rows"]) == 3
    assert {r["region"] for r in body["rows"]} == {"London"}
    assert Client().get(base + "?format=csv&table=nope").status_code == 404


@pytest.mark.django_db
def test_the_page_404s_and_explains_what_it_cannot_show(comparators: None) -> None:
    assert Client().get("/authorities/E99999999/neighbours/").status_code == 404
    assert Client().get(f"/authorities/{LAMBETH}/neighbours/?set=nope").status_code == 404
    district = Client().get(f"/authorities/{ADUR}/neighbours/").content.decode()
    assert 'data-section="england"' in district
    assert "not among the partnership&#x27;s members" in district
    assert "has no list for Adur" in district  # the DfE lists upper-tier councils only
    region = Client().get(f"/authorities/{LONDON}/neighbours/")
    assert region.status_code == 200
    assert "not a current council of a compared tier" in region.content.decode()


API = "/api/v1/authorities/{}/nearest-neighbours"


@pytest.mark.django_db
def test_the_api_lists_the_nearest_first_with_distances(comparators: None) -> None:
    body = Client().get(API.format(LAMBETH) + "?k=10").json()
    assert (body["code"], body["k"], body["tier"], body["pool_size"]) == (LAMBETH, 10, "upper", 153)
    results = body["results"]
    assert [r["rank"] for r in results] == list(range(1, 11))
    assert [r["distance"] for r in results] == sorted(r["distance"] for r in results)
    assert results[0]["code"] == SOUTHWARK
    method = load_method()
    assert body["methodology_sha256"] == method.sha256
    assert [v["key"] for v in body["variables"]] == list(method.sets["general"].weights)


@pytest.mark.django_db
def test_the_api_agrees_with_the_engine(comparators: None) -> None:
    method = load_method()
    chosen = method.variable_set("childrens-services")
    pool = tier_codes(method.tiers["upper"])
    frame = profile_frame(chosen).filter(pl.col("authority").is_in(pool))
    expected = nearest_neighbours(frame, chosen.weights, k=5, pool=pool, focus=[LAMBETH])
    body = Client().get(API.format(LAMBETH) + "?k=5&set=childrens-services").json()
    assert [r["code"] for r in body["results"]] == expected["peer"].to_list()
    assert [r["distance"] for r in body["results"]] == pytest.approx(
        expected["distance"].to_list(), abs=1e-4
    )


@pytest.mark.django_db
def test_the_api_among_members_and_its_refusals(comparators: None) -> None:
    members = Client().get(API.format(LAMBETH) + "?among=members&k=50").json()
    assert members["pool_size"] == 33
    assert len(members["results"]) == 32
    client = Client()
    assert client.get(API.format("E99999999")).status_code == 404
    assert client.get(API.format(LONDON)).status_code == 404
    refused = client.get(API.format(ADUR) + "?set=childrens-services")
    assert refused.status_code == 404
    assert "not computed for district councils" in refused.json()["detail"]
    assert client.get(API.format(ADUR) + "?among=members").status_code == 404
    for query in ("?k=0", "?k=51", "?set=nope", "?among=world"):
        assert client.get(API.format(LAMBETH) + query).status_code == 422, query
