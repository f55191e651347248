"""Boundary neighbours come from the geometry: real boroughs, and shapes whose answer is known."""

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ambition.registry.geometry import boundary_neighbours

DATA = Path(__file__).resolve().parents[2] / "data" / "registry" / "london_boroughs.geojson"


def square(x: float, y: float, size: float = 0.01) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_squares_side_by_side_share_their_edge_and_corners_do_not_count() -> None:
    pairs = boundary_neighbours(
        {"A": square(0, 51.5), "B": square(0.01, 51.5), "C": square(0.02, 51.51)}
    )
    found = {(a, b): m for a, b, m in pairs}
    assert set(found) == {("A", "B"), ("B", "A")}  # B and C touch only at a corner
    assert 1000 < found[("A", "B")] < 1120  # 0.01 degrees of latitude is about 1.1 km


@given(st.integers(min_value=2, max_value=6))
def test_a_row_of_squares_is_a_chain(n: int) -> None:
    pairs = boundary_neighbours({f"S{i}": square(i * 0.01, 51.5) for i in range(n)})
    assert {(a, b) for a, b, _ in pairs} == {
        (f"S{i}", f"S{j}") for i in range(n) for j in range(n) if abs(i - j) == 1
    }


def test_london_boroughs() -> None:
    features = json.loads(DATA.read_text())["features"]
    geometries = {f["properties"]["gss_code"]: f["geometry"] for f in features}
    pairs = {(a, b) for a, b, _ in boundary_neighbours(geometries)}
    assert all((b, a) in pairs for a, b in pairs)  # symmetric
    camden, islington, bromley, havering = "E09000007", "E09000019", "E09000006", "E09000016"
    assert (camden, islington) in pairs
    assert (bromley, havering) not in pairs
    assert {a for a, _ in pairs} == set(geometries)  # no borough is an island
