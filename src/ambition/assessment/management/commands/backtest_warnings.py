"""ambition backtest-warnings [--group members|england] [--prefix P] [--window N] [--cutoff P]"""

from __future__ import annotations

from typing import Any

import polars as pl
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.table import Table

from ambition.assessment.engine.forecast import Backtest, backtest
from ambition.assessment.frames import indicator_frame, observation_frame
from ambition.registry.models import Authority, Partnership
from ambition.web.terminal import console_for

METHODS = {"model": "trend forecast", "naive": "same as last year"}


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
    for heading in ("Precision", "Recall", "F1"):
        table.add_column(heading, justify="right")
    for row in result.summary.iter_rows(named=True):
        counts = [str(row[key]) for key in ("cases", "flagged", "tp", "fp", "fn")]
        rates = [rate(row[key]) for key in ("precision", "recall", "f1")]
        method = f"{row['method']} ({METHODS[row['method']]})"
        table.add_row(row["scope"], method, *counts, *rates)
    return table


class Command(BaseCommand):
    help = (
        "Backtest the early warning on the stored series: forecast each period t+1 from the "
        "data up to t, flag it when the chance of the bottom quartile reaches the cutoff, "
        "and report precision and recall beside the naive 'same as last year' rule."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--group", choices=["members", "england"], default="members")
        parser.add_argument("--prefix", default="", help="Only indicators whose code starts so")
        parser.add_argument("--window", type=int, default=5, help="Values in each trend fit")
        parser.add_argument("--cutoff", type=float, default=0.5, help="Flag at this chance")
        parser.add_argument("--min-history", type=int, default=3, help="Values needed by t")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self, width=120)
        indicators = indicator_frame().filter(
            pl.col("indicator").str.starts_with(options["prefix"])
        )
        codes = group_codes(options["group"])
        obs = observation_frame(indicators["indicator"].to_list(), codes)
        result = backtest(
            obs, indicators, options["window"], options["cutoff"], options["min_history"]
        )
        title = (
            f"Early-warning backtest: {options['group']} ({obs['authority'].n_unique()} "
            f"authorities with data), indicators '{options['prefix']}*', "
            f"window {result.window}, cutoff {result.cutoff}"
        )
        console.print(summary_table(result, title))
