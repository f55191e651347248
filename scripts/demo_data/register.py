"""The authorities and areas every source is checked against: mySociety's register, matched
by name with the importer's own rule (`ambition.registry.names`), and the aggregate areas
(England, its regions, Inner and Outer London) as the sources name them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ambition.registry.names import NameIndex, fold_name, register_spellings

from .files import read_csv, read_csv_gz

AREA_KINDS = {"E92": "country", "E12": "region", "E13": "london-part"}
NameEntry = tuple[str, str, bool]


class Registry:
    """mySociety's register: GSS codes and registry codes of every UK authority, and the
    names of the English ones, indexed as the importer indexes them (`load_authorities`)."""

    def __init__(self, lookup_dir: Path) -> None:
        self.authorities = read_csv(lookup_dir / "uk_local_authorities_future.csv")
        self.by_registry = {row["local-authority-code"]: row for row in self.authorities}
        self.gss_codes = {row["gss-code"] for row in self.authorities if row["gss-code"]}
        entries = list(self._name_entries(lookup_dir))
        self.names = NameIndex(entries)
        # For sources that say a name means an abolished authority (DfE's "(Pre LG)").
        self.former_names = NameIndex(entry for entry in entries if not entry[2])

    def _name_entries(self, lookup_dir: Path) -> Iterator[NameEntry]:
        """(folded name, registry code, current?) for each spelling of an English authority:
        the register's own, then the lookup file's variants."""
        english = {
            row["local-authority-code"]: not row["end-date"]
            for row in self.authorities
            if row["nation"] == "England" and row["gss-code"]
        }
        for row in self.authorities:
            code = row["local-authority-code"]
            if code in english:
                for spelling in register_spellings(row):
                    if spelling.strip():
                        yield fold_name(spelling), code, english[code]
        for row in read_csv(lookup_dir / "lookup_name_to_registry.csv"):
            if row["local-authority-code"] in english:
                code = row["local-authority-code"]
                yield fold_name(row["la-name"]), code, english[code]


class Aggregates:
    """England, its regions and Inner/Outer London: codes, names and kinds."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self.rows = rows
        self.codes = {code for code, *_ in rows}
        self.names = NameIndex((fold_name(name), code, True) for code, name, _ in rows)

    @classmethod
    def from_sources(cls, shared: Path) -> Aggregates:
        """Named as the sources name them: ONS for England, London and the regions, the GLA
        borough profiles for Inner and Outer London."""
        names: dict[str, str] = {}
        ons = shared / "ons-explore-local-statistics"
        for row in read_csv_gz(ons / "ons_els_london_long.csv.gz"):
            if row["areacd"] in ("E92000001", "E12000007"):
                names[row["areacd"]] = row["areanm"]
        greenhouse = ons / "indicators" / "greenhouse-gas-emissions"
        for row in read_csv_gz(greenhouse / "greenhouse-gas-emissions.csv.gz"):
            if row["areacd"].startswith("E12"):
                names[row["areacd"]] = row["areanm"]
        profiles = shared / "london-borough-profiles" / "london-borough-profiles-2016.csv"
        for row in read_csv(profiles):
            if row["Code"].startswith("E13"):
                names[row["Code"]] = row["Area_name"]
        rows = [(code, names[code], AREA_KINDS[code[:3]]) for code in sorted(names)]
        assert len(rows) == 12, rows
        return cls(rows)
