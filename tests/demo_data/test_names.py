"""The build matches authority names with the importer's own rule, not a copy of it."""

from __future__ import annotations

from pathlib import Path

import pytest

import ambition.indicators.resolving as importer
import ambition.registry.names as names
from scripts.demo_data import register
from scripts.demo_data.register import Aggregates, Registry

from .conftest import write_slice


def test_the_build_and_the_importer_share_one_resolver() -> None:
    assert register.NameIndex is importer.NameIndex is names.NameIndex
    assert register.fold_name is importer.fold_name is names.fold_name
    assert register.register_spellings is names.register_spellings
    assert importer.Unresolved is names.Unresolved


def test_the_register_resolves_as_the_importer_does(registry: Registry) -> None:
    assert registry.names.resolve("LB Hammersmith & Fulham") == "HMF"
    assert registry.names.resolve("Bedford Borough") == "BDF"
    assert registry.names.resolve("North Yorkshire") == "NYE"  # the current council wins
    assert registry.former_names.resolve("North Yorkshire") == "NYK"
    # The North of Tyne's alternative name begins "Newcastle upon Tyne, ...": one name.
    assert registry.names.resolve("Newcastle upon Tyne") == "NET"
    with pytest.raises(names.Unresolved, match="unknown authority"):
        registry.names.resolve("Nowhere Shire")


def test_a_name_two_current_authorities_share_is_refused() -> None:
    index = names.NameIndex([("york", "YOR", True), ("york", "YNY", True), ("poole", "POL", False)])
    with pytest.raises(names.Unresolved, match="ambiguous authority 'York'"):
        index.resolve("York")
    assert index.resolve("Borough of Poole") == "POL"


def test_aggregates_are_named_as_the_sources_name_them(shared: Path, tmp_path: Path) -> None:
    ons = Path("ons-explore-local-statistics")
    gas = ons / "indicators" / "greenhouse-gas-emissions" / "greenhouse-gas-emissions.csv.gz"
    profiles = Path("london-borough-profiles") / "london-borough-profiles-2016.csv"
    wanted = lambda column: lambda row: row[column][:3] in ("E92", "E12", "E13")  # noqa: E731
    write_slice(
        shared / ons / "ons_els_london_long.csv.gz",
        tmp_path / ons / "ons_els_london_long.csv.gz",
        wanted("areacd"),
        limit=50,
    )
    write_slice(shared / gas, tmp_path / gas, wanted("areacd"))
    write_slice(shared / profiles, tmp_path / profiles, wanted("Code"))
    aggregates = Aggregates.from_sources(tmp_path)
    assert aggregates.names.resolve("Inner London") == "E13000001"
    assert aggregates.names.resolve("Yorkshire and the Humber") == "E12000003"
    assert ("E92000001", "England", "country") in aggregates.rows
