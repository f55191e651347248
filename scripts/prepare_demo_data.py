"""Build the demo data shipped in ``data/`` from the collected public sources.

Run from the repository root::

    python scripts/prepare_demo_data.py --shared ../shared/data

The shipped product never reads the shared folder: this script copies what the
demo needs into ``data/`` once, and is committed so the copy can be rebuilt and
audited. Nothing is generated or invented here. The script only selects rows,
converts formats (xlsx dumps, gzip, long layout) and re-labels codes (DfE LA
numbers and names to ONS GSS codes, Kaggle "01/12/YY" dates to financial years).
Every value is written as the source's text, verbatim.

Standard library only. The output is byte-for-byte reproducible: rows are sorted
and gzip headers carry no timestamp.
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import io
import json
import re
import shutil
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

OGL = "Open Government Licence v3.0"
OBS_HEADER = ["authority", "indicator", "period", "value", "status", "lower", "upper"]
CATALOGUE_HEADER = [
    "code",
    "name",
    "service_area",
    "unit",
    "polarity",
    "polarity_basis",
    "year_basis",
    "definition",
    "source",
    "source_url",
    "licence",
    "decimal_places",
    "file",
    "notes",
]
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_TOTAL_BYTES = 25 * 1024 * 1024
MIN_LONDON_PERIODS = 5
LONDON_BOROUGHS = [f"E09{n:06d}" for n in range(1, 34)]

SERVICE_AREAS = [
    (
        "childrens-services",
        "Children's services",
        "Children's social care: children in need, child protection, children looked after, care "
        "leavers, adoption, special educational needs, youth justice, the social work workforce "
        "and "
        "spending on children's services.",
    ),
    (
        "adult-social-care",
        "Adult social care",
        "Care and support for adults and carers: quality of life, information and advice, "
        "short-term support, requests for support and the care workforce.",
    ),
    (
        "education",
        "Education",
        "Schools and learning: early years, phonics, key stage 2 and 4 results, attendance, "
        "exclusions, qualifications by 19, participation, apprenticeships and adult skills.",
    ),
    ("waste", "Waste", "Household waste collection and recycling."),
    (
        "economy",
        "Economy",
        "The local economy and labour market: employment, unemployment, claimants, pay, household "
        "income, productivity and business demography.",
    ),
    (
        "health",
        "Health",
        "Public health and wellbeing: healthy life expectancy, obesity, preventable mortality, "
        "early cancer diagnosis, child health and personal wellbeing.",
    ),
    ("housing", "Housing", "Housing supply, affordability and home ownership."),
    ("environment", "Environment", "Greenhouse gas emissions and domestic energy use."),
    ("transport", "Transport", "Road traffic and access to employment by public transport."),
]


# ----------------------------------------------------------------------------- selections
# DfE LAIT measures: (Short Desc in bds_long, our code, service area, unit).
LAIT_SELECTION = [
    ("LAC", "lait-cla-rate", "childrens-services", "per 10,000 children"),
    ("CIN", "lait-cin-rate", "childrens-services", "per 10,000 children"),
    ("CPP_rate", "lait-cpp-rate", "childrens-services", "per 10,000 children"),
    ("ReReferral", "lait-cin-re-referrals", "childrens-services", "%"),
    ("PrevRegCPR", "lait-cpp-second-or-subsequent", "childrens-services", "%"),
    ("CP_conf_15days", "lait-icpc-within-15-days", "childrens-services", "%"),
    ("RevCP", "lait-cpp-reviewed-on-time", "childrens-services", "%"),
    ("Continue_Assess_Comp", "lait-assessments-within-45-days", "childrens-services", "%"),
    ("CPPlans2yrs", "lait-cpp-lasting-2-years-plus", "childrens-services", "%"),
    ("LACStable_2016on", "lait-cla-3-plus-placements", "childrens-services", "%"),
    ("LAC_LongStable%", "lait-cla-long-term-stability", "childrens-services", "%"),
    ("LACDistance", "lait-cla-placed-over-20-miles", "childrens-services", "%"),
    ("Emotional_LAC", "lait-cla-sdq-score", "childrens-services", "score"),
    ("LACHealth%", "lait-cla-health-checks", "childrens-services", "%"),
    ("%_of LAC Adopted", "lait-cla-adopted", "childrens-services", "%"),
    ("CareLeaverEET", "lait-care-leavers-eet", "childrens-services", "%"),
    ("CareLeaverAcc", "lait-care-leavers-suitable-accommodation", "childrens-services", "%"),
    ("StayingPut", "lait-care-leavers-staying-put", "childrens-services", "%"),
    ("LAC_KS4_AVG_Attain8", "lait-cla-ks4-attainment-8", "childrens-services", "score"),
    ("Work_Force_TO_Rate", "lait-social-worker-turnover", "childrens-services", "%"),
    ("Work_Force_Vac_Rate", "lait-social-worker-vacancies", "childrens-services", "%"),
    ("Work_Force_Agecy_Rate", "lait-agency-social-workers", "childrens-services", "%"),
    (
        "Work_Force_AvgNumCase_SW",
        "lait-social-worker-caseload",
        "childrens-services",
        "cases per social worker (FTE)",
    ),
    ("SEN_EHC_Excpt_20wks", "lait-ehc-plans-within-20-weeks", "childrens-services", "%"),
    ("SEN_TotStat", "lait-pupils-with-ehc-plan", "childrens-services", "%"),
    ("LACFinance", "lait-cla-weekly-unit-cost", "childrens-services", "£ per week"),
    (
        "FirstYJS",
        "lait-youth-justice-first-time-entrants",
        "childrens-services",
        "per 100,000 aged 10-17",
    ),
    ("KS2RWM_Expected_STD", "lait-ks2-rwm-expected-standard", "education", "%"),
    ("AVG_Attain8_Score", "lait-ks4-attainment-8", "education", "score"),
    ("AVG_Prog8_Score", "lait-ks4-progress-8", "education", "score"),
    ("EngMaths9-4", "lait-ks4-english-maths-9-4", "education", "%"),
    ("TotAbs", "lait-overall-absence", "education", "%"),
    ("TotPermEx", "lait-permanent-exclusions", "education", "%"),
    ("TotFixedEx", "lait-suspensions", "education", "%"),
    ("FSP_NEW_GOODDEV", "lait-eyfs-good-level-of-development", "education", "%"),
    ("KS1P_all", "lait-phonics-year-1", "education", "%"),
    ("Level3Age19", "lait-level-3-by-19", "education", "%"),
    ("16-17 NEET", "lait-neet-16-17", "education", "%"),
    ("ExcessRec", "lait-excess-weight-reception", "health", "%"),
    ("ExcessYr6", "lait-excess-weight-year-6", "health", "%"),
    ("Under18concep", "lait-under-18-conceptions", "health", "per 1,000 aged 15-17"),
    ("HospAd0-14", "lait-injury-admissions-0-14", "health", "per 10,000 aged 0-14"),
    ("Low_Birth_Weight_Babies", "lait-low-birth-weight", "health", "%"),
]

# LAIT Year_Type -> our year basis. A bare "2025" label means the year that ENDS in 2025
# for financial and academic measures (e.g. children looked after at 31 March 2025).
LAIT_YEAR_BASIS = {
    "Financial Year": "financial",
    "Annual": "financial",  # snapshot at 31 March, labelled by the year ending then
    "Academic Year": "academic",
    "Annual - January": "academic",  # January school census, labelled by the academic year's end
    "Calendar Year": "calendar",
    "Annual (end of Sept)": "calendar",  # workforce snapshot at 30 September of that year
}

# Oflog adult social care: Code -> (our code, unit). Units are not in the file: see notes.
OFLOG_SELECTION = {
    "ASC1": ("oflog-asc1-carer-quality-of-life", "score"),
    "ASC2": ("oflog-asc2-quality-of-life", "score"),
    "ASC3": ("oflog-asc3-ease-of-finding-information-users", "%"),
    "ASC4": ("oflog-asc4-ease-of-finding-information-carers", "%"),
    "ASC5": ("oflog-asc5-short-term-services-outcome", "%"),
    "ASC6": ("oflog-asc6-requests-resulting-in-service", "rate"),
    "ASC7": ("oflog-asc7-workforce-turnover", "%"),
}

# ONS Explore Local Statistics: (dataset folder, value of the `indicator` column, code, area).
ONS_SELECTION = [
    ("employment-rate", "Employment rate", "ons-employment-rate", "economy"),
    ("employment-rate", "Economically inactive", "ons-economic-inactivity-rate", "economy"),
    ("modelled-unemployment", "Modelled unemployment rate", "ons-unemployment-rate", "economy"),
    ("claimant-count", "Claimant Count", "ons-claimant-count-rate", "economy"),
    ("gross-median-weekly-pay", "Gross median weekly pay", "ons-median-weekly-pay", "economy"),
    (
        "gross-disposable-household-income-per-head",
        "Gross disposable household income",
        "ons-gdhi-per-head",
        "economy",
    ),
    (
        "gross-value-added",
        "Gross value added per hour worked",
        "ons-gva-per-hour-worked",
        "economy",
    ),
    ("gross-value-added", "Gross value added per filled job", "ons-gva-per-filled-job", "economy"),
    ("business-demography", "Business births", "ons-business-birth-rate", "economy"),
    ("business-demography", "Business deaths", "ons-business-death-rate", "economy"),
    ("business-demography", "High growth businesses", "ons-high-growth-businesses", "economy"),
    ("business-demography", "One-year survival rate", "ons-business-survival-1-year", "economy"),
    (
        "gcses-in-english-and-maths",
        "GCSEs in English and Maths",
        "ons-gcse-english-maths-by-19",
        "education",
    ),
    (
        "persistent-absences-for-all-pupils",
        "Persistent absences for all pupils",
        "ons-persistent-absence",
        "education",
    ),
    (
        "persistent-absences-for-pupils-eligible-for-free-school-meals",
        "Persistent absences for pupils eligible for free school meals",
        "ons-persistent-absence-fsm",
        "education",
    ),
    (
        "persistent-absences-for-pupils-looked-after-by-local-authorities",
        "Persistent absences for pupils looked after by local authorities",
        "ons-persistent-absence-cla",
        "education",
    ),
    (
        "apprenticeships",
        "Apprenticeship starts (England)",
        "ons-apprenticeship-starts",
        "education",
    ),
    (
        "apprenticeships",
        "Apprenticeship achievements (England)",
        "ons-apprenticeship-achievements",
        "education",
    ),
    (
        "further-education-and-skills-learner-achievements",
        "Further education and skills learner achievements",
        "ons-fe-skills-achievements",
        "education",
    ),
    (
        "further-education-and-skills-participation",
        "Further education and skills participation",
        "ons-fe-skills-participation",
        "education",
    ),
    ("adult-obesity-prevalence", "Adult obesity prevalence", "ons-adult-obesity", "health"),
    (
        "cancer-diagnosis-at-stage-1-and-2",
        "Cancer diagnosis at stage 1 and 2",
        "ons-cancer-early-diagnosis",
        "health",
    ),
    (
        "healthy-life-expectancy",
        "Male healthy life expectancy",
        "ons-healthy-life-expectancy-male",
        "health",
    ),
    (
        "healthy-life-expectancy",
        "Female healthy life expectancy",
        "ons-healthy-life-expectancy-female",
        "health",
    ),
    (
        "preventable-cardiovascular-mortality-england",
        "Preventable cardiovascular mortality (England)",
        "ons-preventable-cvd-mortality",
        "health",
    ),
    ("personal-wellbeing-estimates", "Satisfaction", "ons-wellbeing-life-satisfaction", "health"),
    ("personal-wellbeing-estimates", "Worthwhile", "ons-wellbeing-worthwhile", "health"),
    ("personal-wellbeing-estimates", "Happiness", "ons-wellbeing-happiness", "health"),
    ("personal-wellbeing-estimates", "Anxiety", "ons-wellbeing-anxiety", "health"),
    (
        "net-additions-to-the-housing-stock",
        "Net additions to the housing stock (England)",
        "ons-net-additions-housing-stock",
        "housing",
    ),
    (
        "housing-affordability-ratio",
        "Housing affordability ratio (residence-based)",
        "ons-housing-affordability-ratio",
        "housing",
    ),
    (
        "first-time-buyer-mortgage-sales",
        "First-time buyer mortgage sales",
        "ons-first-time-buyer-mortgage-sales",
        "housing",
    ),
    (
        "greenhouse-gas-emissions",
        "Greenhouse gas emissions",
        "ons-greenhouse-gas-per-capita",
        "environment",
    ),
    (
        "domestic-electricity-consumption",
        "Electricity consumption",
        "ons-domestic-electricity-consumption",
        "environment",
    ),
    ("domestic-gas-consumption", "Gas consumption", "ons-domestic-gas-consumption", "environment"),
    ("motor-vehicle-flow", "Motor vehicle flow", "ons-motor-vehicle-flow", "transport"),
    (
        "average-travel-time",
        "Public transport or walk to work",
        "ons-travel-time-public-transport-walk",
        "transport",
    ),
]

REGISTRY_COPIES = [
    ("uk-local-authority-lookup", "uk_local_authorities_future.csv"),
    ("uk-local-authority-lookup", "lookup_name_to_registry.csv"),
    ("uk-local-authority-lookup", "lookup_gss_to_registry.csv"),
    ("london-borough-boundaries", "london_boroughs.geojson"),
    ("london-borough-boundaries", "london_boroughs.topo.json"),
    ("london-borough-profiles", "london-borough-profiles-2016.csv"),
    ("imd-local-authority", "imd2004_lad21_england.csv"),
    ("imd-local-authority", "imd2007_lad21_england.csv"),
    ("imd-local-authority", "imd2010_lad21_england.csv"),
    ("imd-local-authority", "imd2015_lad21_england.csv"),
    ("imd-local-authority", "imd2019_lad21_england.csv"),
    ("oflog-adult-social-care", "NN.json"),
]


# ----------------------------------------------------------------------------- records
@dataclass
class Indicator:
    code: str
    name: str
    service_area: str
    unit: str
    polarity: str
    polarity_basis: str
    year_basis: str
    definition: str
    source: str
    source_url: str
    licence: str
    decimal_places: str
    file: str
    notes: str

    def row(self) -> list[str]:
        return [getattr(self, name) for name in CATALOGUE_HEADER]


@dataclass
class Report:
    """What each step did, for the SOURCE.md notes and the console."""

    lines: dict[str, list[str]] = field(default_factory=lambda: collections.defaultdict(list))

    def add(self, source: str, text: str) -> None:
        self.lines[source].append(text)
        print(f"[{source}] {text}")


# ----------------------------------------------------------------------------- small helpers
def read_csv(path: Path, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def read_csv_gz(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_csv_gz(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Gzip with no name and mtime 0 so that re-runs give identical bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as handle,
    ):
        handle.write(buffer.getvalue().encode("utf-8"))


def tidy_text(text: str) -> str:
    """Normalise line endings and blank runs in long descriptions; words are unchanged."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def one_line(text: str) -> str:
    return " ".join(text.split())


def first_of(piped: str) -> str:
    """ESS metadata joins several sources with '|': the first one is Great Britain's."""
    return piped.split("|")[0].strip()


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip().lower() not in ("nan", "inf", "-inf")


def inferred_decimal_places(values: list[str], cap: int = 3) -> int:
    """Most decimals carried by the published numbers, ignoring float noise (19.3299999...)."""
    best = 0
    for value in values:
        if not is_number(value):
            continue
        text = f"{round(float(value), 6):.6f}".rstrip("0").rstrip(".")
        best = max(best, len(text.split(".")[1]) if "." in text else 0)
    return min(best, cap)


# ----------------------------------------------------------------------------- registry
class Registry:
    """mySociety's lookup: GSS codes, registry codes and every spelling of a name."""

    def __init__(self, lookup_dir: Path) -> None:
        self.authorities = read_csv(lookup_dir / "uk_local_authorities_future.csv")
        self.by_registry = {row["local-authority-code"]: row for row in self.authorities}
        self.gss_codes = {row["gss-code"] for row in self.authorities if row["gss-code"]}
        # The lookup file first; the register's own names only where the lookup has none
        # (it lacks authorities created in 2023). alt-names is split on commas, which also
        # splits names that contain one, so it is never consulted before the lookup.
        self.names: dict[str, set[str]] = collections.defaultdict(set)
        for row in read_csv(lookup_dir / "lookup_name_to_registry.csv"):
            self.names[row["la-name"].strip().lower()].add(row["local-authority-code"])
        self.register_names: dict[str, set[str]] = collections.defaultdict(set)
        for row in self.authorities:
            spellings = [row["official-name"], row["nice-name"], *row["alt-names"].split(",")]
            for spelling in spellings:
                if spelling.strip():
                    self.register_names[spelling.strip().lower()].add(row["local-authority-code"])

    def is_current(self, registry_code: str) -> bool:
        return self.by_registry[registry_code]["current-authority"] == "True"

    def resolve_name(self, name: str) -> tuple[str, str] | None:
        """(registry code, how it was found) for a DfE LA name, or None.

        "(Pre LG)" marks an authority abolished by local government reorganisation, so it
        must resolve to a former authority; other names prefer a current authority.
        """
        former = name.endswith("(Pre LG)")
        base = name.replace("(Pre LG)", "").strip()
        variants = [base, f"{base} council", f"{base} county council", f"{base} county"]
        for variant in variants:
            found = set(self.names.get(variant.lower(), set()))
            if not found:
                found = set(self.register_names.get(variant.lower(), set()))
            if former:
                found = {code for code in found if not self.is_current(code)}
            elif any(self.is_current(code) for code in found):
                found = {code for code in found if self.is_current(code)}
            if len(found) == 1:
                matched = found.pop()
                resolved = self.same_name_successor(matched, base)
                how = f"mySociety name '{variant}'"
                if resolved != matched:
                    how += f" -> {matched}, replaced by {resolved} (same name)"
                return resolved, how
        return None

    def same_name_successor(self, registry_code: str, name: str) -> str:
        """DfE kept the LA number when a county became a unitary of the same name (North
        Yorkshire, Somerset in 2023), so such a name means the successor council."""
        row = self.by_registry[registry_code]
        successors = [c for c in row["replaced-by"].split(",") if c.strip()]
        if self.is_current(registry_code) or len(successors) != 1:
            return registry_code
        successor = self.by_registry.get(successors[0].strip())
        if successor and successor["nice-name"].lower() == name.lower():
            return successor["local-authority-code"]
        return registry_code


def aggregate_areas(shared: Path) -> list[tuple[str, str, str]]:
    """England, its regions and Inner/Outer London, named as the sources name them."""
    names: dict[str, str] = {}
    london_long = shared / "ons-explore-local-statistics" / "ons_els_london_long.csv.gz"
    for row in read_csv_gz(london_long):
        if row["areacd"] in ("E92000001", "E12000007"):
            names[row["areacd"]] = row["areanm"]
    greenhouse = shared / "ons-explore-local-statistics/indicators/greenhouse-gas-emissions"
    for row in read_csv_gz(greenhouse / "greenhouse-gas-emissions.csv.gz"):
        if row["areacd"].startswith("E12"):
            names[row["areacd"]] = row["areanm"]
    profiles = shared / "london-borough-profiles" / "london-borough-profiles-2016.csv"
    for row in read_csv(profiles):
        if row["Code"].startswith("E13"):
            names[row["Code"]] = row["Area_name"]
    kinds = {"E92": "country", "E12": "region", "E13": "london-part"}
    rows = [(code, names[code], kinds[code[:3]]) for code in sorted(names)]
    assert len(rows) == 12, rows
    return rows


def aggregate_for_name(name: str, aggregates: list[tuple[str, str, str]]) -> str | None:
    """DfE spells Inner London "London (Inner)" and uses a lower-case "the"."""
    wanted = {"london (inner)": "inner london", "london (outer)": "outer london"}.get(
        name.lower(), name.lower()
    )
    for code, area_name, _kind in aggregates:
        if area_name.lower() == wanted:
            return code
    return None


def build_dfe_code_list(
    shared: Path,
    out: Path,
    registry: Registry,
    aggregates: list[tuple[str, str, str]],
    report: Report,
) -> dict[str, str]:
    """la_code_list.csv plus gss_code; returns DfE LA number -> GSS code."""
    source = shared / "dfe-lait-children-services" / "la_code_list.csv"
    rows = read_csv(source)
    header = [*rows[0].keys(), "gss_code", "local_authority_code", "resolved_by"]
    old_codes = collections.defaultdict(set)
    for authority in registry.authorities:
        if authority["old-ons-la-code"]:
            old_codes[authority["old-ons-la-code"]].add(authority["local-authority-code"])
    out_rows, mapping, unresolved = [], {}, []
    for row in rows:
        number, name = row["LA Number"], row["LA Name"]
        gss, registry_code, how = "", "", ""
        if row["Type"] == "NA":
            gss = aggregate_for_name(name, aggregates) or ""
            how = "aggregate_areas.csv by name" if gss else ""
        else:
            match = registry.resolve_name(name)
            if match:
                registry_code, how = match
                gss = registry.by_registry[registry_code]["gss-code"]
                if old_codes.get(number) and registry_code not in old_codes[number]:
                    report.add(
                        "dfe-lait-children-services",
                        f"LA {number} {name} -> {registry_code} {gss}; mySociety's "
                        f"old-ons-la-code {number} is on {sorted(old_codes[number])}, the "
                        "predecessor (DfE kept the number for the new council)",
                    )
        if gss:
            mapping[number] = gss
        else:
            unresolved.append(f"{number} {name} (Type {row['Type']})")
        out_rows.append([*row.values(), gss, registry_code, how])
    write_csv(out / "registry" / "dfe_la_code_list.csv", header, out_rows)
    report.add(
        "dfe-lait-children-services",
        f"dfe_la_code_list.csv: {len(mapping)} of {len(rows)} rows resolved to GSS; "
        f"unresolved: {', '.join(unresolved) or 'none'}",
    )
    current = [u for u in unresolved if "Type NA" not in u]
    assert not current, f"authorities without a GSS code: {current}"
    assert len(set(mapping.values())) == len(mapping), "two DfE numbers share a GSS code"
    return mapping


def build_statistical_neighbours(
    shared: Path, out: Path, dfe_to_gss: dict[str, str], report: Report
) -> None:
    """sn_april_2021.csv without the xlsx dump's junk rows, plus GSS codes."""
    source = shared / "dfe-lait-children-services" / "sn_april_2021.csv"
    with source.open(encoding="utf-8-sig", newline="") as handle:
        raw = list(csv.reader(handle))
    header_at = next(i for i, row in enumerate(raw) if row[:2] == ["LA num", "LA Name"])
    header = raw[header_at]
    width = len(header)
    # The dump ends each row with an unnamed column that is always empty.
    if header[-1] == "" and all(len(r) < width or r[width - 1] == "" for r in raw):
        width -= 1
    section, rows = "current", []
    for row in raw[header_at + 1 :]:
        if not any(cell.strip() for cell in row):
            continue
        if row[1].strip() == "Old SNs:":
            section = "old"
            continue
        cells = (row + [""] * width)[:width]
        sn_gss = [dfe_to_gss.get(cells[i], "") for i in range(5, 25, 2)]
        rows.append([*cells, dfe_to_gss.get(cells[0], ""), *sn_gss, section])
    sn_columns = [f"SN{n}_gss_code" for n in range(1, 11)]
    new_header = [*header[:width], "gss_code", *sn_columns, "sn_list"]
    write_csv(out / "registry" / "dfe_statistical_neighbours_2021.csv", new_header, rows)
    missing = sorted({r[0] for r in rows if not r[width]})
    unresolved_sn = sorted({r[i] for r in rows for i in range(5, 25, 2) if r[i] not in dfe_to_gss})
    report.add(
        "dfe-lait-children-services",
        f"dfe_statistical_neighbours_2021.csv: {len(rows)} rows "
        f"({sum(r[-1] == 'old' for r in rows)} under 'Old SNs:'); "
        f"LAs without GSS: {missing or 'none'}; SN cells not resolvable: "
        f"{unresolved_sn or 'none'}",
    )


def copy_registry(shared: Path, out: Path) -> None:
    for folder, name in REGISTRY_COPIES:
        target = out / "registry" / ("oflog_nearest_neighbours.json" if name == "NN.json" else name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared / folder / name, target)


# ----------------------------------------------------------------------------- observations
class ObservationSet:
    """Rows for one file, refusing conflicting duplicates (the importer would reject them)."""

    def __init__(self, name: str, report: Report, source: str) -> None:
        self.name, self.report, self.source = name, report, source
        self.rows: dict[tuple[str, str, str], list[str]] = {}
        self.conflicts = 0
        self.repeats = 0

    def add(
        self,
        authority: str,
        indicator: str,
        period: str,
        value: str,
        status: str = "",
        lower: str = "",
        upper: str = "",
    ) -> None:
        key = (authority, indicator, period)
        row = [authority, indicator, period, value, status, lower, upper]
        if key in self.rows:
            # Keep the first row in source order; count what was left out.
            if self.rows[key] == row:
                self.repeats += 1
            else:
                self.conflicts += 1
            return
        self.rows[key] = row

    def write(self, out: Path) -> None:
        rows = [self.rows[key] for key in sorted(self.rows, key=lambda k: (k[1], k[0], k[2]))]
        write_csv_gz(out / "observations" / self.name, OBS_HEADER, rows)
        self.report.add(
            self.source,
            f"{self.name}: {len(rows)} rows; exact repeats dropped {self.repeats}; "
            f"conflicting duplicates (first kept) {self.conflicts}",
        )


def lait(shared: Path, dfe_to_gss: dict[str, str], report: Report, out: Path) -> list[Indicator]:
    folder = shared / "dfe-lait-children-services"
    dictionary: dict[str, list[dict[str, str]]] = collections.defaultdict(list)
    for row in read_csv(folder / "lait_data_dictionary.csv"):
        dictionary[row["Measure_short"]].append(row)
    wanted = {short: (code, area, unit) for short, code, area, unit in LAIT_SELECTION}
    observations = ObservationSet("lait.csv.gz", report, "dfe-lait-children-services")
    values: dict[str, list[str]] = collections.defaultdict(list)
    unmapped = collections.Counter()
    with gzip.open(folder / "bds_long.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Short Desc"] not in wanted:
                continue
            gss = dfe_to_gss.get(row["LA Number"])
            if not gss:
                unmapped[(row["LA Number"], row["LA and Regions"])] += 1
                continue
            code = wanted[row["Short Desc"]][0]
            observations.add(gss, code, row["Years"], row["Values"])
            values[code].append(row["Values"])
    assert not unmapped, f"LAIT rows with unknown LA numbers: {unmapped}"
    observations.write(out)
    indicators = []
    for short, (code, area, unit) in wanted.items():
        entry = dictionary[short]
        assert len(entry) == 1, f"{short} is ambiguous in the LAIT dictionary"
        meta = entry[0]
        polarity = {"High": "higher", "Low": "lower"}.get(meta["Polarity"], "")
        owner = one_line(meta["Data Owner (DO) /Supplier and Contact Details"])
        url = (meta["Hyperlink(s)"].split() or [""])[0]
        dps_stated = meta["dps"].isdigit()
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
        indicators.append(
            Indicator(
                code=code,
                name=one_line(meta["Chart_title"]),
                service_area=area,
                unit=unit,
                polarity=polarity,
                polarity_basis=f"LAIT data dictionary Polarity={meta['Polarity']}"
                if polarity
                else "",
                year_basis=LAIT_YEAR_BASIS[meta["Year_Type"]],
                definition=tidy_text(meta["Description"]),
                source=f"Department for Education, Local Authority Interactive Tool (LAIT); "
                f"data owner: {owner}",
                source_url=url
                if url.startswith("http")
                else "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait",
                licence=OGL,
                decimal_places=meta["dps"]
                if dps_stated
                else str(inferred_decimal_places(values[code])),
                file="lait.csv.gz",
                notes="; ".join(notes),
            )
        )
    return indicators


def oflog(shared: Path, registry: Registry, report: Report, out: Path) -> list[Indicator]:
    rows = read_csv(shared / "oflog-adult-social-care" / "ASC_data.csv")
    observations = ObservationSet("oflog_asc.csv.gz", report, "oflog-adult-social-care")
    measures: dict[str, str] = {}
    rank_orders: dict[str, set[str]] = collections.defaultdict(set)
    values: dict[str, list[str]] = collections.defaultdict(list)
    dropped = collections.Counter()
    for row in rows:
        code = OFLOG_SELECTION[row["Code"]][0]
        if row["Local authority code"] not in registry.gss_codes:
            dropped[row["Local authority code"]] += 1
            continue
        measures[row["Code"]] = row["Measure"]
        if row["rank_order"]:
            rank_orders[row["Code"]].add(row["rank_order"])
        observations.add(row["Local authority code"], code, row["Financial year"], row["Value"])
        values[code].append(row["Value"])
    if dropped:
        report.add(
            "oflog-adult-social-care", f"rows left out, code not in mySociety: {dict(dropped)}"
        )
    observations.write(out)
    indicators = []
    for asc, (code, unit) in OFLOG_SELECTION.items():
        orders = rank_orders[asc]
        assert len(orders) == 1, f"{asc} has rank_order {orders}"
        order = orders.pop()
        polarity = {"desc": "higher", "asc": "lower"}.get(order.lower(), "")
        notes = [
            f"Oflog Code={asc}",
            "unit not stated in the Oflog file"
            + ("" if unit in ("score", "rate") else "; values are 0-100 proportions"),
            "decimal_places inferred from the published values",
        ]
        if not polarity:
            notes.append(f"no polarity: Oflog rank_order={order}")
        indicators.append(
            Indicator(
                code=code,
                name=measures[asc].removeprefix("Outcome, "),
                service_area="adult-social-care",
                unit=unit,
                polarity=polarity,
                polarity_basis=f"Oflog rank_order={order}" if polarity else "",
                year_basis="financial",
                definition=f'Oflog adult social care measure "{measures[asc]}" ({asc}), as shown '
                "in the Local Authority Data Explorer; values originate from NHS England "
                "ASCOF / ASC-FR and Skills for Care workforce data. The source file "
                "carries no longer description.",
                source="Office for Local Government (Oflog), Local Authority Data Explorer",
                source_url="https://github.com/communitiesuk/oflog-automated-text",
                licence=OGL,
                decimal_places=str(inferred_decimal_places(values[code])),
                file="oflog_asc.csv.gz",
                notes="; ".join(notes),
            )
        )
    return indicators


def ons_metadata(meta_path: Path, indicator: str) -> dict[str, object]:
    """Flatten ESS metadata: per-indicator block over the shared block over the top level."""
    meta = json.loads(meta_path.read_text(encoding="utf-8"))["ess-beta-metadata"]
    flat = {k: v for k, v in meta.items() if not isinstance(v, dict)}
    flat.update(meta.get("shared", {}))
    flat.update(meta.get(indicator, {}))
    return flat


def ons_unit(meta: dict[str, object]) -> str:
    if meta.get("prefix") == "GBPSign":
        return "£"
    if meta.get("suffix") == "%":
        return "%"
    unit = str(meta.get("subText") or "")
    return {"affordability ratio": "ratio"}.get(unit, unit)


def ons_year_basis(periods: set[str]) -> tuple[str, str]:
    """From the ISO 8601 periods: interval start in Jan-Mar -> calendar, Apr-Jul -> financial,
    Aug-Dec -> academic; a bare date (a point in time) -> calendar."""
    starts = collections.Counter()
    for period in periods:
        if "/" in period:
            starts[period.split("/")[0][5:]] += 1
        else:
            starts["date"] += 1
    start = starts.most_common(1)[0][0]
    if start == "date":
        return "calendar", "periods are dates (points in time)"
    month = int(start[:2])
    basis = "calendar" if month <= 3 else "financial" if month <= 7 else "academic"
    return basis, f"periods are ISO 8601 intervals starting on --{start}"


def ons(
    shared: Path, registry: Registry, aggregate_codes: set[str], report: Report, out: Path
) -> list[Indicator]:
    base = shared / "ons-explore-local-statistics" / "indicators"
    observations = ObservationSet("ons_els.csv.gz", report, "ons-explore-local-statistics")
    dropped = collections.Counter()
    indicators = []
    for dataset in sorted({d for d, *_ in ONS_SELECTION}):
        rows = read_csv_gz(base / dataset / f"{dataset}.csv.gz")
        for ds, name, code, area in ONS_SELECTION:
            if ds != dataset:
                continue
            periods: set[str] = set()
            units: set[str] = set()
            for row in rows:
                if row["indicator"] != name or not row["areacd"].startswith("E"):
                    continue
                authority = row["areacd"]
                if authority not in registry.gss_codes and authority not in aggregate_codes:
                    dropped[(authority, row["areanm"])] += 1
                    continue
                observations.add(
                    authority,
                    code,
                    row["period"],
                    row["observation"],
                    row["status"],
                    row["lci_95"],
                    row["uci_95"],
                )
                periods.add(row["period"])
                units.add(row["unit"])
            assert periods, f"no rows for {dataset} / {name}"
            meta = ons_metadata(base / dataset / f"{dataset}.json", name)
            year_basis, period_note = ons_year_basis(periods)
            notes = [
                f"ONS dataset={dataset}",
                f"ONS indicator={name}",
                f"ONS unit column={'|'.join(sorted(units))}",
                period_note,
                "no polarity: the ESS metadata has no polarity field",
            ]
            if meta.get("experimentalStatistic") == "T":
                notes.append("official statistics in development (experimentalStatistic=T)")
            definition = one_line(str(meta.get("subtitle") or ""))
            long_text = one_line(str(meta.get("longDescription") or ""))
            if long_text:
                definition = f"{definition}. {long_text}" if definition else long_text
            indicators.append(
                Indicator(
                    code=code,
                    name=str(meta["label"]),
                    service_area=area,
                    unit=ons_unit(meta),
                    polarity="",
                    polarity_basis="",
                    year_basis=year_basis,
                    definition=definition,
                    source=f"{first_of(str(meta['sourceOrg']))}, via ONS Explore Local Statistics",
                    source_url=first_of(str(meta["sourceURL"])),
                    licence=OGL,
                    decimal_places=str(meta["decimalPlaces"]),
                    file="ons_els.csv.gz",
                    notes="; ".join(notes),
                )
            )
    report.add(
        "ons-explore-local-statistics",
        "English rows left out because the code is neither in mySociety's gss-code "
        "column nor an aggregate: "
        + ", ".join(f"{c} {n} ({k} rows)" for (c, n), k in sorted(dropped.items())),
    )
    observations.write(out)
    return indicators


def kaggle_financial_year(date: str) -> str:
    """'01/12/14' -> '2014/15' (see SOURCE.md for the evidence)."""
    two_digits = int(date[-2:])
    year = 1900 + two_digits if two_digits >= 90 else 2000 + two_digits
    return f"{year}/{(year + 1) % 100:02d}"


def recycling(
    shared: Path, registry: Registry, aggregate_codes: set[str], report: Report, out: Path
) -> list[Indicator]:
    rows = read_csv(shared / "housing-in-london-kaggle" / "housing_in_london_yearly_variables.csv")
    profiles = read_csv(shared / "london-borough-profiles" / "london-borough-profiles-2016.csv")
    check_year_alignment(rows, profiles, report)
    observations = ObservationSet("recycling.csv.gz", report, "housing-in-london-kaggle")
    values = []
    for row in rows:
        code = row["code"]
        if not code.startswith("E"):
            continue
        assert code in registry.gss_codes or code in aggregate_codes, code
        observations.add(
            code, "recycling-rate", kaggle_financial_year(row["date"]), row["recycling_pct"]
        )
        values.append(row["recycling_pct"])
    observations.write(out)
    return [
        Indicator(
            code="recycling-rate",
            name="Household waste recycling rate",
            service_area="waste",
            unit="%",
            polarity="",
            polarity_basis="",
            year_basis="financial",
            definition="Percentage of household waste sent for reuse, recycling or composting "
            "(London Datastore household waste recycling rates, from DEFRA "
            "WasteDataFlow), as compiled in the Kaggle 'Housing in London' yearly panel "
            "(column recycling_pct, whole numbers).",
            source="DEFRA / Greater London Authority (London Datastore), via Kaggle 'Housing in "
            "London' (J. Cirtautas)",
            source_url="https://github.com/Git-with-moiz/UK_Housing_SQL",
            licence=f"{OGL} (underlying DEFRA/GLA data; the Kaggle compilation states no licence)",
            decimal_places=str(inferred_decimal_places(values)),
            file="recycling.csv.gz",
            notes="Kaggle column=recycling_pct; period re-labelled from the Kaggle date 01/12/YY "
            "to financial year YYYY/YY+1 (matched against the GLA borough profiles 2014/15 "
            "column); no polarity: neither source states one",
        )
    ]


def check_year_alignment(
    rows: list[dict[str, str]], profiles: list[dict[str, str]], report: Report
) -> None:
    """Which Kaggle 'date' carries the values the GLA publishes as 2014/15?"""
    published = {p["Code"]: p["Household_Waste_Recycling_Rate,_2014/15"] for p in profiles}
    matches: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for row in rows:
        target = published.get(row["code"], "")
        if not (is_number(target) and is_number(row["recycling_pct"])):
            continue
        tally = matches[row["date"]]
        tally[1] += 1
        # Kaggle rounds to whole numbers; the GLA profile has one decimal.
        tally[0] += abs(float(row["recycling_pct"]) - float(target)) <= 0.5
    best = max(matches, key=lambda d: matches[d][0])
    ranked = sorted(matches.items(), key=lambda kv: -kv[1][0])[:4]
    report.add(
        "housing-in-london-kaggle",
        "year alignment: Kaggle date with most values equal (after rounding) to the GLA "
        "profiles' 2014/15 recycling rate: " + "; ".join(f"{d} -> {m}/{n}" for d, (m, n) in ranked),
    )
    assert best == "01/12/14" and matches[best][0] == matches[best][1], matches[best]


# ----------------------------------------------------------------------------- summary
def london_period_counts(out: Path, indicators: list[Indicator]) -> dict[str, list[int]]:
    """For each indicator, per London borough, how many periods carry a number."""
    seen: dict[str, dict[str, set[str]]] = {
        i.code: {b: set() for b in LONDON_BOROUGHS} for i in indicators
    }
    for name in sorted({i.file for i in indicators}):
        for row in read_csv_gz(out / "observations" / name):
            if row["authority"] in LONDON_BOROUGHS and is_number(row["value"]):
                seen[row["indicator"]][row["authority"]].add(row["period"])
    return {code: sorted(len(p) for p in boroughs.values()) for code, boroughs in seen.items()}


def write_summary(
    out: Path, indicators: list[Indicator], counts: dict[str, list[int]], row_counts: dict[str, int]
) -> list[str]:
    qualifying = [i for i in indicators if statistics.median(counts[i.code]) >= MIN_LONDON_PERIODS]
    lines = [
        "# Indicator data shipped with Ambition: summary",
        "",
        "Generated by `scripts/prepare_demo_data.py`; do not edit by hand.",
        "",
        f"- indicators in the catalogue: **{len(indicators)}**",
        f"- indicators with a median of at least {MIN_LONDON_PERIODS} periods of numeric "
        f"data per London borough: **{len(qualifying)}**, in "
        f"{len({i.service_area for i in qualifying})} service areas",
        f"- observation rows: **{sum(row_counts.values())}**",
        "",
        "## Indicators per service area",
        "",
        "| service area | indicators | of which >= 5 London periods | with polarity |",
        "|---|---:|---:|---:|",
    ]
    for area, *_ in SERVICE_AREAS:
        members = [i for i in indicators if i.service_area == area]
        lines.append(
            f"| {area} | {len(members)} | {sum(i in qualifying for i in members)} | "
            f"{sum(bool(i.polarity) for i in members)} |"
        )
    lines += [
        "",
        "## Rows per observation file",
        "",
        "| file | rows | indicators |",
        "|---|---:|---:|",
    ]
    for name, rows in sorted(row_counts.items()):
        lines.append(
            f"| observations/{name} | {rows} | {sum(i.file == name for i in indicators)} |"
        )
    basis = collections.Counter(
        re.sub(r"=.*", "", i.polarity_basis) if i.polarity else "none" for i in indicators
    )
    lines += [
        "",
        "## Polarity",
        "",
        f"- higher is better: {sum(i.polarity == 'higher' for i in indicators)}",
        f"- lower is better: {sum(i.polarity == 'lower' for i in indicators)}",
        f"- unknown (left empty): {sum(not i.polarity for i in indicators)}",
        "",
        "| basis | indicators |",
        "|---|---:|",
    ]
    lines += [f"| {b} | {n} |" for b, n in sorted(basis.items())]
    lines += [
        "",
        "## Periods of numeric data per London borough",
        "",
        "Over the 33 boroughs (E09000001-E09000033; a borough missing from the source "
        "counts 0, so City of London often sets the minimum).",
        "",
        "| code | service area | polarity | year basis | min | median | max |",
        "|---|---|---|---|---:|---:|---:|",
    ]
    for i in sorted(indicators, key=lambda x: (x.service_area, x.code)):
        c = counts[i.code]
        lines.append(
            f"| {i.code} | {i.service_area} | {i.polarity or '-'} | {i.year_basis} | "
            f"{c[0]} | {statistics.median(c):g} | {c[-1]} |"
        )
    (out / "indicators" / "SUMMARY.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


# ----------------------------------------------------------------------------- docs
SHIPS = {
    "uk-local-authority-lookup": """\
- `registry/uk_local_authorities_future.csv`, `registry/lookup_name_to_registry.csv`,
  `registry/lookup_gss_to_registry.csv`: copied unchanged.
- Attribution (CC-BY-4.0): "UK local authority names and codes" by mySociety,
  https://github.com/mysociety/uk_local_authority_names_and_codes, licensed CC BY 4.0.
- Used by the build to resolve DfE LA names to GSS codes (`registry/dfe_la_code_list.csv`)
  and to check every authority code in the observation files.""",
    "london-borough-boundaries": """\
- `registry/london_boroughs.geojson` and `registry/london_boroughs.topo.json`: copied unchanged.""",
    "london-borough-profiles": """\
- `registry/london-borough-profiles-2016.csv`: the UTF-8 file, copied unchanged (the latin-1
  original is not shipped).
- Its `Household_Waste_Recycling_Rate,_2014/15` column was used by the build to date the Kaggle
  recycling series (see housing-in-london-kaggle/SOURCE.md). Its Inner/Outer London rows name
  E13000001/E13000002 in `registry/aggregate_areas.csv`.""",
    "imd-local-authority": """\
- `registry/imd2004_lad21_england.csv`, `imd2007_...`, `imd2010_...`, `imd2015_...`,
  `imd2019_lad21_england.csv`: copied unchanged. (The 2019 sub-domain file is not shipped.)""",
}


def ships_lait(report: Report) -> str:
    return "\n".join(
        [
            "- `observations/lait.csv.gz`: the rows of `bds_long.csv.gz` for the "
            f"{len(LAIT_SELECTION)} measures in the catalogue (codes `lait-*`), for every area in "
            "the file: every LA in `la_code_list.csv` (former ones included: Bournemouth, Poole "
            "and "
            "Dorset before 2019, Northamptonshire, Cumbria), the nine regions, Inner and Outer "
            "London and England.",
            "  - North Yorkshire (815), Somerset (933) and Buckinghamshire (825) kept their DfE LA "
            "number when the county became a unitary council of the same name, so their whole "
            "series is shipped under the new council's GSS code (E06000065, E06000066, E06000060), "
            "including years when the county council ran the service. Oflog, by contrast, files "
            "those years under the county codes (E10000023, E10000027, E10000002).",
            "  - authority: `LA Number` mapped to GSS through `registry/dfe_la_code_list.csv`; "
            "region, Inner/Outer London and England rows to their GSS codes "
            "(`registry/aggregate_areas.csv`).",
            "  - period: `Years` verbatim (`2016`, `2015/16`, `2016-17 (OT)`, `2025 (prov)`, ...). "
            "A bare year means the year ENDING then for financial and academic measures "
            "(e.g. `2025` = 2024-25 / 31 March 2025).",
            "  - value: `Values` verbatim: `-` marks missing or suppressed; float noise "
            "(`19.329999999999998`) and scientific notation (`7.0000000000000007E-2`) are as "
            "published.",
            "  - status, lower, upper: empty (LAIT has no such columns).",
            "- Catalogue rows: name = `Chart_title`, definition = `Description`, polarity = "
            "`Polarity` (High -> higher, Low -> lower, `-`/`NA` -> empty), year_basis from "
            "`Year_Type`, decimal_places = `dps` (inferred from the values where `dps` is NA), "
            "source_url = first `Hyperlink(s)`.",
            "- `registry/dfe_la_code_list.csv`: `la_code_list.csv` plus `gss_code`, "
            "`local_authority_code` (mySociety) and `resolved_by`. Names are resolved through "
            "mySociety's names (`lookup_name_to_registry.csv` and the alt-names in "
            "`uk_local_authorities_future.csv`), trying `<name>`, `<name> council`, "
            '`<name> county council`, `<name> county`; "(Pre LG)" names must resolve to a former '
            "authority, others prefer a current one. Regions, Inner/Outer London and England come "
            "from `aggregate_areas.csv` by name.",
            "- `registry/dfe_statistical_neighbours_2021.csv`: `sn_april_2021.csv` without the two "
            "junk rows above the header, the blank rows and the `Old SNs:` caption row, and "
            "without "
            "the dump's trailing unnamed always-empty column. Original columns are kept in order, "
            "names included (the closeness columns are all called `SNP`, as in the source). Added: "
            "`gss_code` (the LA), `SN1_gss_code`..`SN10_gss_code`, and `sn_list` = `current` or "
            '`old` (the four rows the source lists under "Old SNs:": Dorset, Poole and '
            "Bournemouth before 2019, Northamptonshire).",
            "",
            "Build log:",
            *[f"- {line}" for line in report.lines["dfe-lait-children-services"]],
        ]
    )


def ships_oflog(report: Report) -> str:
    return "\n".join(
        [
            "- `observations/oflog_asc.csv.gz`: every row of `ASC_data.csv` (all 7 measures, codes "
            "`oflog-asc1-*`..`oflog-asc7-*`). authority = `Local authority code`, period = "
            "`Financial year` (`2016-17`), value = `Value` verbatim (empty where Oflog has none). "
            "MEDIAN and MADs_from_median (the prototype's derived statistics) are not shipped.",
            "- Polarity from `rank_order`: `desc`/`DESC` (ranked highest first) -> higher; `None` "
            "(ASC6, ASC7) -> empty.",
            "- Units are not stated in the file: ASC3/4/5/7 are shown as % (their values are 0-100 "
            "proportions), ASC1/ASC2 as score, ASC6 as rate (its population base is not stated).",
            "- ASC1 and ASC4 (carers' survey) exist only for 2016-17, 2018-19 and 2021-22: fewer "
            "than "
            "5 periods, shipped anyway.",
            "- `registry/oflog_nearest_neighbours.json`: `NN.json`, copied unchanged.",
            "",
            "Build log:",
            *[f"- {line}" for line in report.lines["oflog-adult-social-care"]],
        ]
    )


def ships_ons(report: Report) -> str:
    datasets = sorted({d for d, *_ in ONS_SELECTION})
    return "\n".join(
        [
            f"- `observations/ons_els.csv.gz`: {len(ONS_SELECTION)} indicators (codes `ons-*`) "
            "from "
            f"{len(datasets)} dataset files: {', '.join(datasets)}.",
            "- One catalogue row per meaningful `indicator` value in a file. Left out on purpose: "
            "`Active businesses` (a count; the birth, death and growth rates are shares of it); "
            "business survival beyond one year and every series with fewer than 5 periods for "
            "London (cigarette smokers, EV chargers, broadband, 4G/5G, early years, child poverty, "
            "qualifications, ...); pupils-at-expected-standards-by-end-of-primary-school (the same "
            "DfE measure as LAIT's KS2 expected standard, which has more periods); travel time by "
            "car and by bicycle (public transport or walking kept); environment-regulating "
            "(natural-capital values in £ million), food outlets and short-term lets (not council "
            "performance measures).",
            "- English rows only (`areacd` starting E): LAs, counties, combined authorities, the "
            "GLA "
            "area, regions, Inner/Outer London and England. Rows whose code is neither in "
            "mySociety's "
            "`gss-code` column nor in `registry/aggregate_areas.csv` are left out (listed below).",
            "- authority = `areacd`; period = `period` verbatim (ISO 8601: `2004-01-01/P1Y`, "
            "`2011-01-01/P3Y`, or a bare date such as `2008-04-16`); value = `observation` "
            "verbatim "
            "(empty where suppressed); status = `status` verbatim (in the shipped rows: empty, "
            "`x`, "
            "`u`, `c` or `z`); lower/upper = `lci_95`/`uci_95`.",
            "- Preventable cardiovascular mortality has no separate Hackney or City of London "
            "rows: "
            "the source gives them only combined, under E67000001, which is not an authority and "
            "is "
            "left out. Healthy life expectancy has no City of London row.",
            "- Catalogue: name = `label`; definition = `subtitle` + `longDescription`; unit from "
            "`prefix` (GBPSign -> £) / `suffix` (%) / `subText`; decimal_places = `decimalPlaces`; "
            "source = `sourceOrg`, source_url = `sourceURL` (first of a `|` list).",
            "- Polarity: the ESS JSON metadata has NO polarity field. The fields present are "
            "label, "
            "subtitle, longDescription, caveats, prefix, suffix, subText, decimalPlaces, "
            "standardised, experimentalStatistic, sourceDate, sourceURL, sourceOrg; none says "
            "which "
            "direction is better, so every ONS polarity is empty.",
            "- Duplicates: a repeated (areacd, indicator, period) would keep the first row in file "
            "order; none occur in the selected files.",
            "",
            "Build log:",
            *[f"- {line}" for line in report.lines["ons-explore-local-statistics"]],
        ]
    )


def ships_recycling(report: Report) -> str:
    return "\n".join(
        [
            "- `observations/recycling.csv.gz`: `recycling_pct` from the yearly file for every "
            "English row (33 boroughs, the nine regions, Inner/Outer London, England), all 21 "
            "dates, indicator `recycling-rate`. value verbatim (`na` and empty kept; Inner/Outer "
            "London and every 2019 row are empty in the source).",
            "- Period: the file's dates are all `01/12/YY`. Comparing each date's values with the "
            "GLA "
            "borough profiles' `Household_Waste_Recycling_Rate,_2014/15` (one decimal; Kaggle "
            "keeps "
            "whole numbers) shows that `01/12/14` is 2014/15: every borough, London and England "
            "agree after rounding, and no other date comes close (log below). So `01/12/YY` is "
            "re-labelled as the financial year `YYYY/YY+1` (`01/12/99` -> `1999/00`).",
            "- Polarity empty: neither source states one.",
            "- Nothing else from the Kaggle files is shipped.",
            "",
            "Build log:",
            *[f"- {line}" for line in report.lines["housing-in-london-kaggle"]],
        ]
    )


README_SOURCES = [
    (
        "uk-local-authority-lookup",
        "mySociety",
        "CC-BY-4.0",
        "names and codes of UK authorities (3 CSVs)",
        "copied unchanged",
    ),
    (
        "london-borough-boundaries",
        "Greater London Authority (London Datastore)",
        "OGL v3",
        "borough boundaries, GeoJSON and TopoJSON",
        "copied unchanged",
    ),
    (
        "london-borough-profiles",
        "Greater London Authority",
        "OGL v3",
        "London Borough Profiles 2016 (UTF-8 file)",
        "copied unchanged",
    ),
    (
        "imd-local-authority",
        "MHCLG, re-aggregated to 2021 LADs by humaniverse",
        "OGL v3",
        "IMD 2004, 2007, 2010, 2015, 2019 LA summaries",
        "copied unchanged",
    ),
    (
        "dfe-lait-children-services",
        "Department for Education (LAIT)",
        "OGL v3",
        f"{len(LAIT_SELECTION)} measures, all English areas; LA code list; statistical neighbours",
        "long layout, LA numbers -> GSS, junk rows removed from the SN sheet",
    ),
    (
        "oflog-adult-social-care",
        "Office for Local Government (Oflog)",
        "OGL v3",
        "7 adult social care measures; nearest-neighbour groups",
        "long layout, derived median columns dropped; NN.json unchanged",
    ),
    (
        "ons-explore-local-statistics",
        "ONS Explore Local Statistics (ONS, DfE, OHID, DESNZ, DfT, MHCLG, ...)",
        "OGL v3",
        f"{len(ONS_SELECTION)} indicators, English rows",
        "long layout, selected indicators, English areas known to the registry",
    ),
    (
        "housing-in-london-kaggle",
        "DEFRA / GLA via Kaggle 'Housing in London'",
        "OGL v3 (underlying); compilation unstated",
        "household recycling rate 1999/00-2019/20",
        "long layout, dates re-labelled as financial years",
    ),
]


def period_shapes(out: Path, files: list[str]) -> list[tuple[str, str, int, str]]:
    """Each distinct period label shape (digits as 9) per observation file."""
    result = []
    for name in files:
        shapes: collections.Counter[str] = collections.Counter()
        examples: dict[str, str] = {}
        for row in read_csv_gz(out / "observations" / name):
            shape = re.sub(r"[0-9]", "9", row["period"])
            shapes[shape] += 1
            examples.setdefault(shape, row["period"])
        result += [(name, shape, n, examples[shape]) for shape, n in sorted(shapes.items())]
    return result


def write_readme(out: Path, indicators: list[Indicator], row_counts: dict[str, int]) -> None:
    shapes = period_shapes(out, sorted(row_counts))
    lines = [
        "# Data shipped with Ambition",
        "",
        "Real public data for the demo and the tests, built by `scripts/prepare_demo_data.py` "
        "from the collected sources (`python scripts/prepare_demo_data.py --shared "
        "../shared/data`). "
        "The product reads only this folder. Nothing here is generated or invented: the build "
        "selects rows, converts formats and re-labels codes and period labels, nothing else. "
        'Each source folder below holds the source\'s SOURCE.md with a "What Ambition ships" '
        "section. `partnerships/` is hand-written configuration, not built by the script.",
        "",
        "| folder | publisher | licence | what we took | transformations |",
        "|---|---|---|---|---|",
        *[f"| `{f}/` | {p} | {lic} | {what} | {how} |" for f, p, lic, what, how in README_SOURCES],
        "",
        "## Layout",
        "",
        "- `registry/`: authorities and areas. mySociety lookups, borough boundaries and profiles, "
        "IMD, `dfe_la_code_list.csv` (DfE LA number -> GSS), "
        "`dfe_statistical_neighbours_2021.csv`, "
        "`oflog_nearest_neighbours.json`, and `aggregate_areas.csv` (gss_code,name,kind: the "
        "country, region and london-part codes used in the observation files that are not "
        "authorities).",
        "- `indicators/service_areas.csv` (code,name,description), `indicators/catalogue.csv` "
        "(one row per indicator), `indicators/SUMMARY.md` (counts).",
        "- `observations/*.csv.gz`: long layout, UTF-8, header "
        "`authority,indicator,period,value,status,lower,upper`, sorted by indicator, authority, "
        "period. Files: "
        + ", ".join(f"`{n}` ({r} rows)" for n, r in sorted(row_counts.items()))
        + ".",
        "",
        "## Catalogue columns",
        "",
        "`code,name,service_area,unit,polarity,polarity_basis,year_basis,definition,source,"
        "source_url,licence,decimal_places,file,notes`. `file` names the file in `observations/`. "
        "`notes` is `; `-separated `key=value` facts: the source's own identifier "
        "(`LAIT Short Desc=`, `Oflog Code=`, `ONS dataset=` and `ONS indicator=`), the verbatim "
        "LAIT `Year_Type`, why polarity is empty, whether decimal_places was inferred.",
        "",
        "## Polarity: only from the source's metadata",
        "",
        "- LAIT: the data dictionary's `Polarity` column. `High` -> higher, `Low` -> lower; "
        "`-` and `NA` -> empty. Basis written as `LAIT data dictionary Polarity=High`.",
        "- Oflog: `rank_order`. `desc`/`DESC` -> higher (ranked highest first); `None` -> empty. "
        "Basis `Oflog rank_order=desc`.",
        "- ONS Explore Local Statistics: the JSON metadata was searched field by field and has no "
        "polarity field at all (fields present: label, subtitle, longDescription, caveats, prefix, "
        "suffix, subText, decimalPlaces, standardised, experimentalStatistic, sourceDate, "
        "sourceURL, sourceOrg, and the CSVW fields of the small-area GVA files). `standardised` "
        "and `experimentalStatistic` are about method, not direction. So every ONS polarity is "
        "empty, and so is recycling's (neither the Kaggle panel nor the GLA profiles state one).",
        "- Empty polarity means unknown. polarity_basis is then empty and `notes` says why.",
        "",
        "## year_basis: how a period label is read",
        "",
        "- LAIT, from `Year_Type`: Financial Year -> financial; Annual (a 31 March snapshot: "
        "children looked after, in need, on a plan) -> financial; Academic Year and Annual - "
        "January (school census) -> academic; Calendar Year and Annual (end of Sept) "
        "(workforce at 30 September) -> calendar. The verbatim Year_Type is in `notes`.",
        "- Oflog: financial (`2016-17`). Recycling: financial (`2014/15`).",
        "- ONS, from the ISO 8601 interval's start: January to March -> calendar, April to July -> "
        "financial, August to December -> academic; a bare date (a point in time such as the "
        "April pay survey date) -> calendar. Odd starts are noted: adult obesity (16 November, "
        "-> academic), domestic electricity (1 February, -> calendar), domestic gas (15 May, -> "
        "financial). The interval itself is exact and should be preferred when parsing.",
        "",
        "## What the importer must handle",
        "",
        "- Period labels differ between and within files (shapes below, 9 = any digit). LAIT: a "
        "bare year `2016` is, for financial and academic measures, the year that ENDS then "
        "(`2016` = 2015-16); `2016-17 (OT)` is outturn (finance); phonics ends with "
        "`2025 (prov)` after `2016`..`2024`, so a flag suffix can appear inside one series. "
        "(The full LAIT file also has `2018 (Rev)`, `2013/14-15/16`, `2014-16` and a stray `0`, "
        "none of them in the shipped measures.) ONS: ISO 8601 intervals, but pay and "
        "affordability use bare dates, and pay's date moves every year (`2008-04-16`, "
        "`2009-04-22`, ...).",
        "",
        "  | file | label shape | rows | example |",
        "  |---|---|---:|---|",
        *[f"  | {f} | `{shape}` | {n} | `{example}` |" for f, shape, n, example in shapes],
        "",
        "- LAIT values: `-` for missing or suppressed; float noise such as `19.329999999999998` "
        "and scientific notation such as `7.0000000000000007E-2`; round with decimal_places.",
        "- Oflog values carry up to 12 decimals (ASC6, ASC7) and are empty where not published.",
        "- ONS: empty observation with a status (`x`, `u`, `c`, `z`); bare-date periods "
        "(pay, affordability) where others are intervals; healthy life expectancy has no City of "
        "London row and preventable cardiovascular mortality none for Hackney or the City "
        "(published only combined, E67000001, left out).",
        "- Recycling: `na` and empty values; whole numbers only.",
        "- Authorities include former ones (e.g. Northamptonshire E10000021, Dorset County "
        "E10000009, Poole E06000029) and combined authorities (E47...) and the GLA area "
        "(E61000001); all are in mySociety's register.",
        "",
        f"Catalogue: {len(indicators)} indicators. Counts by area, periods and polarity are in "
        "`indicators/SUMMARY.md`.",
    ]
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_source_notes(shared: Path, out: Path, report: Report) -> None:
    ships = dict(SHIPS)
    ships["dfe-lait-children-services"] = ships_lait(report)
    ships["oflog-adult-social-care"] = ships_oflog(report)
    ships["ons-explore-local-statistics"] = ships_ons(report)
    ships["housing-in-london-kaggle"] = ships_recycling(report)
    for folder, text in ships.items():
        original = (shared / folder / "SOURCE.md").read_text(encoding="utf-8").rstrip()
        target = out / folder / "SOURCE.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"{original}\n\n## What Ambition ships\n\n{text}\n", encoding="utf-8")


# ----------------------------------------------------------------------------- checks
def verify(
    out: Path,
    indicators: list[Indicator],
    registry: Registry,
    aggregate_codes: set[str],
    counts: dict[str, list[int]],
) -> dict[str, int]:
    """Fail loudly if the shipped data breaks the contract other code relies on."""
    catalogue = read_csv(out / "indicators" / "catalogue.csv")
    areas = {row["code"] for row in read_csv(out / "indicators" / "service_areas.csv")}
    codes = [row["code"] for row in catalogue]
    assert len(codes) == len(set(codes)), "duplicate catalogue codes"
    for row in catalogue:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row["code"]), row["code"]
        assert row["service_area"] in areas, row
        assert row["polarity"] in ("higher", "lower", ""), row
        assert bool(row["polarity"]) == bool(row["polarity_basis"]), row
        assert row["year_basis"] in ("financial", "academic", "calendar"), row
        assert row["decimal_places"].isdigit(), row
        assert (out / "observations" / row["file"]).exists(), row
    used_areas = {row["service_area"] for row in catalogue}
    assert used_areas == areas, f"service areas without indicators: {areas - used_areas}"
    by_file: dict[str, set[str]] = collections.defaultdict(set)
    for row in catalogue:
        by_file[row["file"]].add(row["code"])
    row_counts = {}
    for path in sorted((out / "observations").glob("*.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            assert next(reader) == OBS_HEADER, path
            seen_indicators, keys, n = set(), set(), 0
            for row in reader:
                n += 1
                authority, indicator, period = row[:3]
                assert len(row) == len(OBS_HEADER), row
                assert authority.startswith("E"), row
                assert authority in registry.gss_codes or authority in aggregate_codes, row
                assert (authority, indicator, period) not in keys, row
                keys.add((authority, indicator, period))
                seen_indicators.add(indicator)
        assert seen_indicators == by_file[path.name], (path, seen_indicators ^ by_file[path.name])
        row_counts[path.name] = n
    assert set(row_counts) == set(by_file), "catalogue names a missing observations file"
    qualifying = [i for i in indicators if statistics.median(counts[i.code]) >= MIN_LONDON_PERIODS]
    assert len(qualifying) >= 60, len(qualifying)
    assert len({i.service_area for i in qualifying}) >= 6
    assert sum(row_counts.values()) <= 350_000, row_counts
    total = 0
    for path in out.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            assert size < MAX_FILE_BYTES, f"{path} is {size} bytes"
            total += size
    assert total < MAX_TOTAL_BYTES, f"data/ is {total} bytes"
    print(
        f"verified: {len(catalogue)} indicators, {sum(row_counts.values())} observation rows, "
        f"data/ {total / 1024 / 1024:.1f} MiB"
    )
    return row_counts


# ----------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--shared", type=Path, required=True, help="the collected sources, e.g. ../shared/data"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "data",
        help="where to write (default: the repository's data/)",
    )
    args = parser.parse_args(argv)
    shared, out = args.shared.resolve(), args.out.resolve()
    report = Report()
    # Only the folders this script owns are rebuilt; data/partnerships/ is left alone.
    for owned in ["registry", "indicators", "observations", *(f for f, *_ in README_SOURCES)]:
        shutil.rmtree(out / owned, ignore_errors=True)

    registry = Registry(shared / "uk-local-authority-lookup")
    aggregates = aggregate_areas(shared)
    aggregate_codes = {code for code, *_ in aggregates}
    write_csv(
        out / "registry" / "aggregate_areas.csv",
        ["gss_code", "name", "kind"],
        [list(a) for a in aggregates],
    )
    copy_registry(shared, out)
    dfe_to_gss = build_dfe_code_list(shared, out, registry, aggregates, report)
    build_statistical_neighbours(shared, out, dfe_to_gss, report)

    indicators = (
        lait(shared, dfe_to_gss, report, out)
        + oflog(shared, registry, report, out)
        + ons(shared, registry, aggregate_codes, report, out)
        + recycling(shared, registry, aggregate_codes, report, out)
    )
    write_csv(
        out / "indicators" / "service_areas.csv",
        ["code", "name", "description"],
        [list(a) for a in SERVICE_AREAS],
    )
    write_csv(
        out / "indicators" / "catalogue.csv",
        CATALOGUE_HEADER,
        [i.row() for i in sorted(indicators, key=lambda i: (i.file, i.code))],
    )

    counts = london_period_counts(out, indicators)
    write_source_notes(shared, out, report)
    write_readme(out, indicators, {})
    write_summary(out, indicators, counts, {})
    row_counts = verify(out, indicators, registry, aggregate_codes, counts)
    # The row counts are known only once the files are checked; write the docs again with them.
    write_readme(out, indicators, row_counts)
    write_summary(out, indicators, counts, row_counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
