"""Boundary neighbours computed from the geometry, never typed in. Pure: GeoJSON in,
pairs out."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

# Boundaries drawn from the same survey still differ by float noise after reprojection;
# two edges within this distance are one shared edge.
TOLERANCE_METRES = 2.0
# Shorter contacts are corners (a tripoint), not a shared boundary.
MINIMUM_SHARED_METRES = 10.0
EARTH_METRES_PER_DEGREE = 111_320.0


def _to_metres(geometry: BaseGeometry, latitude: float) -> BaseGeometry:
    """An equirectangular projection about the area's latitude: within 0.1% over a city."""
    scale = np.array(
        [EARTH_METRES_PER_DEGREE * math.cos(math.radians(latitude)), EARTH_METRES_PER_DEGREE]
    )
    return shapely.transform(geometry, lambda coords: coords * scale)


def boundary_neighbours(
    geometries: Mapping[str, Mapping[str, Any]],
) -> list[tuple[str, str, float]]:
    """Every ordered pair of areas whose boundaries touch, with the shared length in
    metres. `geometries` maps an area's code to its GeoJSON geometry (lon/lat)."""
    shapes = {code: shape(dict(geom)) for code, geom in geometries.items()}
    if not shapes:
        return []
    latitude = sum(s.centroid.y for s in shapes.values()) / len(shapes)
    codes = sorted(shapes)
    projected = [_to_metres(shapes[c], latitude) for c in codes]
    tree = STRtree(projected)
    pairs: list[tuple[str, str, float]] = []
    for i, area in enumerate(projected):
        for j in sorted(
            int(j) for j in tree.query(area.buffer(TOLERANCE_METRES), predicate="intersects")
        ):
            if j <= i:
                continue
            shared = _shared_length(area, projected[j])
            if shared >= MINIMUM_SHARED_METRES:
                pairs += [(codes[i], codes[j], shared), (codes[j], codes[i], shared)]
    return pairs


def _shared_length(a: BaseGeometry, b: BaseGeometry) -> float:
    """Measured from both sides and averaged, so a pair has one length whoever asks."""
    one = a.boundary.intersection(b.buffer(TOLERANCE_METRES)).length
    other = b.boundary.intersection(a.buffer(TOLERANCE_METRES)).length
    return float(round((one + other) / 2, 1))
