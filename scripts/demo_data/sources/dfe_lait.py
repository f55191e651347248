"""DfE's Local Authority Interactive Tool: its LA code list (LA numbers to GSS codes), its
statistical neighbours, and the selected measures of its big data set."""

from __future__ import annotations

import collections
import csv
import gzip
from pathlib import Path

from ambition.registry.names import Unresolved

from ..context import Context
from ..files import read_csv
from ..records import OGL, Indicator, ObservationSet, Shipment, Table
from ..selection import LaitMeasure
from ..text import inferred_decimal_places, one_line, tidy_text

SOURCE = "dfe-lait-children-services"
FILE = "lait.csv.gz"
PRE_LG = "(Pre LG)"
# DfE's spellings of the two parts of London.
AREA_NAMES = {"London (Inner)": "Inner London", "London (Outer)": "Outer London"}
LAIT_URL = "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait"


def read(source: Path, context: Context) -> Shipment:
    dfe_to_gss, code_list = la_code_list(source, context)
    neighbours = statistical_neighbours(source, dfe_to_gss, context)
    observations, values = measures(source, dfe_to_gss, context.selection.lait)
    dictionary = data_dictionary(source)
    indicators = [
        indicator(measure, dictionary[measure.short], values[measure.code], context)
        for measure in context.selection.lait
    ]
    return Shipment(SOURCE, indicators, observations, [code_list, neighbours])


# ----------------------------------------------------------------------------- LA numbers
def la_name(row: dict[str, str]) -> tuple[str, bool]:
    """The authority's name as the register spells it, and whether DfE marks it abolished:
    "(Pre LG)" means before local government reorganisation, and a shire county (Type SC)
    so marked is the county council (Dorset County Council, not today's Dorset Council)."""
    if not row["LA Name"].endswith(PRE_LG):
        return row["LA Name"], False
    base = row["LA Name"].removesuffix(PRE_LG).strip()
    return (f"{base} County Council" if row["Type"] == "SC" else base), True


def resolve_la(row: dict[str, str], context: Context) -> tuple[str, str]:
    """(GSS code, registry code) for a row of the code list; empty where unknown."""
    if row["Type"] == "NA":
        name = AREA_NAMES.get(row["LA Name"], row["LA Name"])
        try:
            return context.aggregates.names.resolve(name), ""
        except Unresolved:
            return "", ""
    name, former = la_name(row)
    index = context.registry.former_names if former else context.registry.names
    try:
        registry_code = index.resolve(name)
    except Unresolved:
        return "", ""
    return context.registry.by_registry[registry_code]["gss-code"], registry_code


def la_code_list(source: Path, context: Context) -> tuple[dict[str, str], Table]:
    """la_code_list.csv plus gss_code; returns DfE LA number -> GSS code too."""
    rows = read_csv(source / "la_code_list.csv")
    old_codes = predecessor_numbers(context)
    out_rows, mapping, unresolved = [], {}, []
    for row in rows:
        number = row["LA Number"]
        gss, registry_code = resolve_la(row, context)
        holders = old_codes.get(number, set())
        if registry_code and holders and registry_code not in holders:
            note_kept_number(row, gss, registry_code, holders, context)
        if gss:
            mapping[number] = gss
        else:
            unresolved.append(f"{number} {row['LA Name']} (Type {row['Type']})")
        out_rows.append([*row.values(), gss, registry_code, resolved_by(row, registry_code, gss)])
    report_code_list(len(rows), mapping, unresolved, context)
    header = [*rows[0].keys(), "gss_code", "local_authority_code", "resolved_by"]
    return mapping, Table("registry/dfe_la_code_list.csv", header, out_rows)


def resolved_by(row: dict[str, str], registry_code: str, gss: str) -> str:
    if registry_code:
        return f"mySociety name '{la_name(row)[0]}'"
    return "aggregate_areas.csv by name" if gss else ""


def predecessor_numbers(context: Context) -> dict[str, set[str]]:
    """mySociety's old-ons-la-code, which is the DfE LA number of the council that had it."""
    old_codes: dict[str, set[str]] = collections.defaultdict(set)
    for authority in context.registry.authorities:
        if authority["old-ons-la-code"]:
            old_codes[authority["old-ons-la-code"]].add(authority["local-authority-code"])
    return old_codes


def note_kept_number(
    row: dict[str, str], gss: str, registry_code: str, holders: set[str], context: Context
) -> None:
    """DfE kept the number of a council that a new one of the same name replaced."""
    context.report.add(
        SOURCE,
        f"LA {row['LA Number']} {row['LA Name']} -> {registry_code} {gss}; mySociety's "
        f"old-ons-la-code {row['LA Number']} is on {sorted(holders)}, the "
        "predecessor (DfE kept the number for the new council)",
    )


def report_code_list(
    total: int, mapping: dict[str, str], unresolved: list[str], context: Context
) -> None:
    context.report.add(
        SOURCE,
        f"dfe_la_code_list.csv: {len(mapping)} of {total} rows resolved to GSS; "
        f"unresolved: {', '.join(unresolved) or 'none'}",
    )
    current = [u for u in unresolved if "Type NA" not in u]
    assert not current, f"authorities without a GSS code: {current}"
    assert len(set(mapping.values())) == len(mapping), "two DfE numbers share a GSS code"


# ----------------------------------------------------------------------------- neighbours
def statistical_neighbours(source: Path, dfe_to_gss: dict[str, str], context: Context) -> Table:
    """sn_april_2021.csv without the xlsx dump's junk rows, plus GSS codes."""
    with (source / "sn_april_2021.csv").open(encoding="utf-8-sig", newline="") as handle:
        raw = list(csv.reader(handle))
    header_at = next(i for i, row in enumerate(raw) if row[:2] == ["LA num", "LA Name"])
    header = raw[header_at]
    width = len(header)
    # The dump ends each row with an unnamed column that is always empty.
    if header[-1] == "" and all(len(r) < width or r[width - 1] == "" for r in raw):
        width -= 1
    rows = neighbour_rows(raw[header_at + 1 :], width, dfe_to_gss)
    sn_columns = [f"SN{n}_gss_code" for n in range(1, 11)]
    report_neighbours(rows, width, dfe_to_gss, context)
    return Table(
        "registry/dfe_statistical_neighbours_2021.csv",
        [*header[:width], "gss_code", *sn_columns, "sn_list"],
        rows,
    )


def neighbour_rows(raw: list[list[str]], width: int, dfe_to_gss: dict[str, str]) -> list[list[str]]:
    """Each LA's row with GSS codes added; rows after the "Old SNs:" caption are `old`."""
    section, rows = "current", []
    for row in raw:
        if not any(cell.strip() for cell in row):
            continue
        if row[1].strip() == "Old SNs:":
            section = "old"
            continue
        cells = (row + [""] * width)[:width]
        sn_gss = [dfe_to_gss.get(cells[i], "") for i in range(5, 25, 2)]
        rows.append([*cells, dfe_to_gss.get(cells[0], ""), *sn_gss, section])
    return rows


def report_neighbours(
    rows: list[list[str]], width: int, dfe_to_gss: dict[str, str], context: Context
) -> None:
    missing = sorted({r[0] for r in rows if not r[width]})
    unresolved_sn = sorted({r[i] for r in rows for i in range(5, 25, 2) if r[i] not in dfe_to_gss})
    context.report.add(
        SOURCE,
        f"dfe_statistical_neighbours_2021.csv: {len(rows)} rows "
        f"({sum(r[-1] == 'old' for r in rows)} under 'Old SNs:'); "
        f"LAs without GSS: {missing or 'none'}; SN cells not resolvable: "
        f"{unresolved_sn or 'none'}",
    )


# ----------------------------------------------------------------------------- measures
def measures(
    source: Path, dfe_to_gss: dict[str, str], selection: tuple[LaitMeasure, ...]
) -> tuple[ObservationSet, dict[str, list[str]]]:
    """The selected measures' rows, LA numbers as GSS codes; and each measure's values."""
    codes = {measure.short: measure.code for measure in selection}
    observations = ObservationSet(FILE)
    values: dict[str, list[str]] = collections.defaultdict(list)
    unmapped: collections.Counter[tuple[str, str]] = collections.Counter()
    with gzip.open(source / "bds_long.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Short Desc"] not in codes:
                continue
            gss = dfe_to_gss.get(row["LA Number"])
            if not gss:
                unmapped[(row["LA Number"], row["LA and Regions"])] += 1
                continue
            code = codes[row["Short Desc"]]
            observations.add(gss, code, row["Years"], row["Values"])
            values[code].append(row["Values"])
    assert not unmapped, f"LAIT rows with unknown LA numbers: {unmapped}"
    return observations, values


def data_dictionary(source: Path) -> dict[str, list[dict[str, str]]]:
    entries: dict[str, list[dict[str, str]]] = collections.defaultdict(list)
    for row in read_csv(source / "lait_data_dictionary.csv"):
        entries[row["Measure_short"]].append(row)
    return entries


def indicator(
    measure: LaitMeasure, entry: list[dict[str, str]], values: list[str], context: Context
) -> Indicator:
    """A catalogue row from the data dictionary: polarity and decimals only as it states."""
    assert len(entry) == 1, f"{measure.short} is ambiguous in the LAIT dictionary"
    meta = entry[0]
    polarity = {"High": "higher", "Low": "lower"}.get(meta["Polarity"], "")
    owner = one_line(meta["Data Owner (DO) /Supplier and Contact Details"])
    url = (meta["Hyperlink(s)"].split() or [""])[0]
    dps_stated = meta["dps"].isdigit()
    return Indicator(
        code=measure.code,
        name=one_line(meta["Chart_title"]),
        service_area=measure.service_area,
        unit=measure.unit,
        polarity=polarity,
        polarity_basis=f"LAIT data dictionary Polarity={meta['Polarity']}" if polarity else "",
        year_basis=context.selection.lait_year_basis[meta["Year_Type"]],
        definition=tidy_text(meta["Description"]),
        source="Department for Education, Local Authority Interactive Tool (LAIT); "
        f"data owner: {owner}",
        source_url=url if url.startswith("http") else LAIT_URL,
        licence=OGL,
        decimal_places=meta["dps"] if dps_stated else str(inferred_decimal_places(values)),
        file=FILE,
        notes="; ".join(indicator_notes(measure.short, meta, polarity, dps_stated)),
    )


def indicator_notes(short: str, meta: dict[str, str], polarity: str, dps_stated: bool) -> list[str]:
    notes = [
        f"LAIT Short Desc={short}",
        f"LAIT Topic={meta['Topic']}",
        f"LAIT Year_Type={meta['Year_Type']}",
        f"LAIT y_axis_name={meta['y_axis_name']}",
    ]
    if not polarity:
        notes.append(f"no polarity: LAIT data dictionary Polarity={meta['Polarity']}")
    if not dps_stated:
        notes.append("decimal_places inferred from the published values (dictionary dps=NA)")
    return notes
