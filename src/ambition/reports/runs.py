"""What the public pages show of one assessment run: its members' ratings, its targets with
their trajectory, and the map of stars, each as the dashboard builds them. A run and the
runs made before it never change, so these are built once per run and process: building
the Vega-Lite specs costs a resident's page half a second each time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ambition.assessment.models import AssessmentRun
from ambition.assessment.views.dashboard import member_rows, star_map, target_rows
from ambition.registry.models import Authority
from ambition.web.charts import Spec

# A few runs: the latest, and the years' runs the annual reports read.
KEPT = 16


@dataclass(frozen=True)
class RunFigures:
    ratings: list[dict[str, Any]]
    targets: list[dict[str, Any]]
    map_spec: Spec


_BUILT: dict[tuple[int, str, str], RunFigures] = {}


def figures_of(run: AssessmentRun) -> RunFigures:
    """The run's figures, built the first time a process is asked for them. Keyed by what
    the run is, not its id alone: a test database may give a new run an old run's id."""
    key = (run.pk, run.created_at.isoformat(), run.results_sha256)
    if key not in _BUILT:
        if len(_BUILT) >= KEPT:
            _BUILT.clear()
        ratings = member_rows(run)
        names = dict(Authority.objects.values_list("code", "name"))
        _BUILT[key] = RunFigures(ratings, target_rows(run, names), star_map(ratings, run))
    return _BUILT[key]
