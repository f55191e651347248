"""ambition backtest-warnings [--group members|england] [--prefix P] [--method NAME]
[--window N] [--cutoff P] [--min-history N] [--methods a,b] [--phi F] [--format table|json]"""

from __future__ import annotations

import json
from typing import Any

import polars as pl
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.table import Table

from ambition.assessment.engine.forecast import METHODS, NAIVE, Backtest, WarningMethod, backtest
from ambition.assessment.engine.forecast.methods import DEFAULT_PHI
from ambition.assessment.frames import indicator_frame, observation_frame
from ambition.assessment.methodology import MethodologyError, available, load
from ambition.registry.models import Authority, Partnership
from ambition.web.terminal import console_for


def group_codes(group: str) -> list[str]:
    """The comparator group: the partnership's members, or every English council (the
    aggregates, England and its regions, would distort the quartiles)."""
    if group == "members":
        try:
            authorities = Authority.objects.members(partnership=Partnership.objects.current())
        except Partnership.DoesNotExist as missing:
            raise CommandError(str(missing)) from None
    else:
        authorities = Authority.objects.councils()
    return list(authorities.values_list("code", flat=True))


def rate(value: object) -> str:
    return "-" if value is None else f"{value:.3f}"


def summary_table(result: Backtest, title: str) -> Table:
    table = Table(title=title)
    for heading in ("Scope", "Method", "Cases", "Flagged", "TP", "FP", "FN"):
        table.add_column(heading, justify="left" if heading in ("Scope", "Method") else "right")
    for heading in ("Precision", "Recall", "F1", "Brier"):
        table.add_column(heading, justify="right")
    for row in result.summary.iter_rows(named=True):
        counts = [str(row[key]) for key in ("cases", "flagged", "tp", "fp", "fn")]
        rates = [rate(row[key]) for key in ("precision", "recall", "f1", "brier")]
        table.add_row(row["scope"], row["method"], *counts, *rates)
    return table


def calibration_table(result: Backtest) -> Table:
    table = Table(title="Calibration: mean predicted against observed, per decile")
    for heading in ("Method", "Decile", "Cases", "Predicted", "Observed", "Gap (points)"):
        table.add_column(heading, justify="left" if heading == "Method" else "right")
    for row in result.calibration.iter_rows(named=True):
        decile = f"{row['decile'] / 10:.1f}-{(row['decile'] + 1) / 10:.1f}"
        figures = [rate(row["predicted"]), rate(row["observed"]), f"{row['gap_points']:.1f}"]
        table.add_row(row["method"], decile, str(row["cases"]), *figures)
    return table


def verdict(result: Backtest) -> str:
    if not result.score(NAIVE):
        return "The naive rule was not run: there is no reference to pick against."
    pick = result.pick()
    if pick is None:
        return "No method beats the naive rule on F1: the list should rank by the naive rule."
    calibrated = "calibrated" if result.calibrated(pick) else "NOT calibrated"
    return f"Pick: {pick} (best Brier among those beating naive on F1; {calibrated})."


def as_json(result: Backtest, group: str, prefix: str) -> str:
    return json.dumps(
        {
            "group": group,
            "prefix": prefix,
            "window": result.window,
            "cutoff": result.cutoff,
            "min_history": result.min_history,
            "methods": [m.label for m in result.methods],
            "pick": result.pick(),
            "summary": result.summary.to_dicts(),
            "calibration": result.calibration.to_dicts(),
        },
        indent=2,
    )


def chosen_methods(names: str, phi: float) -> list[WarningMethod]:
    try:
        return [WarningMethod(name.strip(), phi) for name in names.split(",") if name.strip()]
    except ValueError as error:
        raise CommandError(str(error)) from None


class Command(BaseCommand):
    help = (
        "Backtest the early warning on the stored series, rolling origin: for every period t, "
        "each method's chance that each series is in the bottom quartile at t+1 from the "
        "data up to t; its list flags the chance at the cutoff. Reports precision, recall, "
        "F1, the Brier score and calibration per method beside the naive rule 'bottom "
        "quartile now, so next period too', and the method the evidence picks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--group", choices=["members", "england"], default="members")
        parser.add_argument("--prefix", default="", help="Only indicators whose code starts so")
        parser.add_argument(
            "--method",
            default="ambition-default",
            help=f"Window and cutoff from this methodology: {', '.join(available())}",
        )
        parser.add_argument("--window", type=int, help="Values in each trend fit")
        parser.add_argument("--cutoff", type=float, help="Flag at this chance")
        parser.add_argument("--min-history", type=int, default=3, help="Values needed by t")
        parser.add_argument(
            "--methods", default=",".join(METHODS), help=f"Comma-separated: {', '.join(METHODS)}"
        )
        parser.add_argument("--phi", type=float, default=DEFAULT_PHI, help="The damped trend's")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            method = load(options["method"])
        except MethodologyError as error:
            raise CommandError(str(error)) from None
        window = options["window"] or method.warning_window
        cutoff = method.warning_cutoff if options["cutoff"] is None else options["cutoff"]
        # The polarity the method's runs use: the source's, or the one the method states.
        indicators = indicator_frame(stated=method.stated_polarity).filter(
            pl.col("indicator").str.starts_with(options["prefix"])
        )
        codes = group_codes(options["group"])
        obs = observation_frame(indicators["indicator"].to_list(), codes)
        methods = chosen_methods(options["methods"], options["phi"])
        result = backtest(obs, indicators, window, cutoff, options["min_history"], methods)
        if options["format"] == "json":
            self.stdout.write(as_json(result, options["group"], options["prefix"]))
            return
        console = console_for(self, width=140)
        title = (
            f"Early-warning backtest: {options['group']} ({obs['authority'].n_unique()} "
            f"authorities with data), indicators '{options['prefix']}*', "
            f"window {result.window}, cutoff {result.cutoff}"
        )
        console.print(summary_table(result, title))
        console.print(calibration_table(result))
        console.print(verdict(result))
