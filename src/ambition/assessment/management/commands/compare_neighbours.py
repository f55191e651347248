"""ambition compare-neighbours [--k 10]: how far the computed nearest neighbours agree with
the published lists (the DfE's statistical neighbours, Oflog's nearest neighbours)."""

from __future__ import annotations

from typing import Any

import polars as pl
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.table import Table

from ambition.assessment.engine.neighbours import overlap_by_focus
from ambition.assessment.groups import DFE_KEY, OFLOG_KEY, computed, published_frame
from ambition.assessment.profiles import NeighbourMethod, load_method
from ambition.registry.models import Authority
from ambition.web.terminal import console_for

OFLOG_SIZE = 15  # Oflog lists fifteen peers, unranked: compared whole, with our fifteen nearest


class Command(BaseCommand):
    help = (
        "Print the mean overlap of the computed nearest neighbours with the DfE's statistical "
        "neighbours (the k nearest of each) and with Oflog's lists (their fifteen, whole), "
        "for every variable set and tier, and the authorities whose lists differ most."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--k", type=int, default=10, help="How many nearest to compare")
        parser.add_argument(
            "--set",
            default="childrens-services",
            help="The variable set whose differences from the DfE are listed",
        )
        parser.add_argument("--worst", type=int, default=10, help="How many to list")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self, width=120)
        method = load_method()
        k = options["k"]
        if not 1 <= k <= 50 or options["set"] not in method.sets:
            raise CommandError("--k must be 1 to 50 and --set a set of the methodology")
        published = {DFE_KEY: published_frame(DFE_KEY), OFLOG_KEY: published_frame(OFLOG_KEY)}
        if any(frame.is_empty() for frame in published.values()):
            raise CommandError("The published lists are not loaded: run ambition load-comparators")
        console.print(
            f"Methodology neighbours.toml version {method.version} (sha256 {method.sha256[:12]})"
        )
        console.print(agreement_table(method, published, k))
        console.print(published_agreement(published, k))
        console.print(differences(method, options["set"], published[DFE_KEY], k, options["worst"]))


def agreement_table(method: NeighbourMethod, published: dict[str, pl.DataFrame], k: int) -> Table:
    table = Table(
        "Variable set",
        "Tier",
        f"DfE: share of its {k} in our {k} nearest",
        f"Oflog: share of its {OFLOG_SIZE} in our {OFLOG_SIZE} nearest",
        title="Agreement of the computed nearest neighbours with the published lists",
    )
    for variable_set in method.sets.values():
        for tier in method.tiers.values():
            if not variable_set.applies_to(tier):
                continue
            ours = computed(method, variable_set, tier)
            dfe = overlap_by_focus(ours, published[DFE_KEY], k)
            oflog = overlap_by_focus(ours, published[OFLOG_KEY], OFLOG_SIZE)
            table.add_row(variable_set.name, tier.name, _mean(dfe), _mean(oflog))
    return table


def published_agreement(published: dict[str, pl.DataFrame], k: int) -> str:
    """The two published lists against each other: how far two established models agree."""
    dfe = published[DFE_KEY].filter(pl.col("rank") <= k)
    share = overlap_by_focus(dfe, published[OFLOG_KEY], max(k, OFLOG_SIZE))
    return (
        f"For comparison, the two published lists: {share['share'].mean():.1%} of the DfE's "
        f"{k} neighbours are among Oflog's {OFLOG_SIZE} (over {share.height} authorities)."
    )


def _mean(frame: pl.DataFrame) -> str:
    if frame.is_empty():
        return "no published list"
    return f"{frame['share'].mean():.1%} over {frame.height} authorities"


def differences(
    method: NeighbourMethod, set_key: str, dfe: pl.DataFrame, k: int, worst: int
) -> Table:
    variable_set = method.variable_set(set_key)
    tier = method.tiers["upper"]
    ours = computed(method, variable_set, tier)
    shares = overlap_by_focus(ours, dfe, k).sort("share", "focus").head(worst)
    names = dict(Authority.objects.values_list("code", "name"))
    table = Table(
        "Authority",
        "In common",
        f"Our {k} nearest not in the DfE's list",
        title=f"Where the {variable_set.name} set differs most from the DfE",
    )
    for focus, shared in shares.select("focus", "shared").iter_rows():
        theirs = set(dfe.filter(pl.col("focus") == focus, pl.col("rank") <= k)["peer"])
        mine = ours.filter(pl.col("focus") == focus, pl.col("rank") <= k)["peer"]
        extra = ", ".join(names[p] for p in mine if p not in theirs)
        table.add_row(f"{names[focus]} ({focus})", f"{shared} of {k}", extra)
    return table
