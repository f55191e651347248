"""A partnership target's trajectory over its method's runs: which runs make it up, the
target's value at each, and the straight-line forecast that a run stores with its targets
when it is made (the dashboard reads that forecast; it fits nothing)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .engine.trajectory import straight_line_forecast
from .models import AssessmentRun, RunTarget


def trajectory_runs(run: AssessmentRun) -> list[AssessmentRun]:
    """One run per as-of date up to this run's, of the same method and scope: the latest made
    no later than this run (this run itself for its own date), oldest date first. Runs made
    after it are left out, so a run's trajectory is the one its forecast was fitted to."""
    same = AssessmentRun.objects.of(run.method, run.scope)
    return [*same.as_of_before(run.as_of).made_before(run).latest_per_as_of(), run]


def target_history(runs: list[AssessmentRun]) -> dict[int, list[dict[str, Any]]]:
    """Each target's value at each run, by the target's position in the run."""
    found: dict[int, list[dict[str, Any]]] = {}
    by_run = {r.pk: r for r in runs}
    for t in RunTarget.objects.filter(run__in=runs).order_by("position"):
        run = by_run[t.run_id]
        found.setdefault(t.position, []).append(
            {
                "target": t.target,
                "as_of": run.as_of,
                "run": run.pk,
                "method_version": run.method_version,
                "value": t.value,
                "goal": t.goal,
                "forecast": False,
            }
        )
    return {k: sorted(v, key=lambda p: p["as_of"]) for k, v in found.items()}


def stored_forecasts(
    run: AssessmentRun, values: Mapping[int, float | None]
) -> dict[int, dict[str, Any]]:
    """The forecast fields of each target of a run being made (its `values` by position,
    not stored yet): a line through the earlier runs' values and this run's, with the runs
    it went through, so the stored number can be traced to the runs behind it."""
    history = target_history([r for r in trajectory_runs(run) if r.pk != run.pk])
    found = {}
    for position, value in values.items():
        points = [*history.get(position, []), {"as_of": run.as_of, "run": run.pk, "value": value}]
        fitted = [p for p in points if p["value"] is not None]
        ahead = straight_line_forecast([(p["as_of"], p["value"]) for p in fitted])
        found[position] = {
            "forecast": ahead[1] if ahead else None,
            "forecast_as_of": ahead[0] if ahead else None,
            "forecast_runs": [p["run"] for p in fitted],
        }
    return found
