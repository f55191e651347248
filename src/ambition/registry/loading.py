"""Load the registry from the shipped reference files: every English authority (from the
mySociety register), the statistical aggregates sources report (England, London), the
partnership and its members, boundaries and the neighbours computed from them, profile
figures, deprivation and political control. Re-running changes nothing."""

from __future__ import annotations

import csv
import datetime
import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.text import slugify

from .geometry import boundary_neighbours
from .models import (
    Authority,
    AuthorityName,
    Boundary,
    BoundaryNeighbour,
    Membership,
    Partnership,
    PoliticalControl,
    ProfileFigure,
    fold_name,
)
from .names import register_spellings

PROFILES_SOURCE = "GLA London Borough Profiles, 2016 edition (London Datastore, OGL)"
IMD_SOURCE = (
    "English Indices of Deprivation 2004-2019 (MHCLG, OGL), re-aggregated to 2021 "
    "districts by humaniverse/IMD"
)
BOUNDARY_SOURCE = "GLA Statistical GIS Boundary Files for London, 2011 (OGL)"
M = TypeVar("M", bound=models.Model)
CONTROL_NAMES = {"Lab": "Labour", "Cons": "Conservative", "Lib Dem": "Liberal Democrat"}


def _csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def upsert(model: type[M], defaults: dict[str, Any], **lookup: Any) -> tuple[M, bool]:
    """update_or_create that writes only what differs, so a re-run writes nothing."""
    row = model._default_manager.filter(**lookup).first()
    if row is None:
        return model._default_manager.create(**lookup, **defaults), True
    changed = [name for name, value in defaults.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, defaults[name])
    if changed:
        row.save(update_fields=changed)
    return row, False


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _number(text: str) -> float | None:
    """Profile cells: '3,611', '£29,420', '57.9'; '.', 'n/a' and blanks are no figure."""
    cleaned = text.strip().replace(",", "").replace("£", "").rstrip("%")
    try:
        return float(cleaned)
    except ValueError:
        return None


@transaction.atomic
def load_authorities(data: Path) -> int:
    """English authorities from the mySociety register, current and abolished, with
    every code and spelling they are known by."""
    count = 0
    for row in _csv(data / "registry" / "uk_local_authorities_future.csv"):
        if row["nation"] != "England" or not row["gss-code"]:
            continue
        authority, _ = upsert(
            Authority,
            code=row["gss-code"],
            defaults={
                # The GLA's short name, "Greater London", is the area, not the body.
                "name": row["official-name"]
                if row["local-authority-type"] == "SRA"
                else row["nice-name"],
                "official_name": row["official-name"],
                "kind": row["local-authority-type"],
                "region": row["region"],
                "registry_code": row["local-authority-code"],
                "snac": row["snac"],
                "start_date": _date(row["start-date"]),
                "end_date": _date(row["end-date"]),
                "area_km2": _number(row["area"]),
            },
        )
        _add_names(authority, register_spellings(row), "mysociety")
        count += 1
    _load_name_variants(data)
    return count


def _add_names(authority: Authority, names: list[str], source: str) -> None:
    for key in {fold_name(n) for n in names if n and n.strip()}:
        AuthorityName.objects.get_or_create(
            key=key, authority=authority, defaults={"source": source}
        )


def _load_name_variants(data: Path) -> None:
    by_registry = {a.registry_code: a for a in Authority.objects.exclude(registry_code="")}
    for row in _csv(data / "registry" / "lookup_name_to_registry.csv"):
        authority = by_registry.get(row["local-authority-code"])
        if authority is not None:
            _add_names(authority, [row["la-name"]], "mysociety-lookup")


@transaction.atomic
def load_aggregates(data: Path) -> int:
    """England, the regions and the parts of London that sources publish figures for."""
    kinds = {"country": "CTRY", "region": "RGN", "london-part": "LDNP"}
    count = 0
    for row in _csv(data / "registry" / "aggregate_areas.csv"):
        region = "London" if row["kind"] == "london-part" or row["name"] == "London" else ""
        authority, _ = upsert(
            Authority,
            code=row["gss_code"],
            defaults={
                "name": row["name"],
                "official_name": row["name"],
                "kind": kinds[row["kind"]],
                "region": region,
            },
        )
        _add_names(authority, [row["gss_code"], row["name"]], "aggregate")
        count += 1
    return count


@transaction.atomic
def load_dfe_numbers(data: Path) -> int:
    """The Department for Education's three-digit LA numbers, which its files use."""
    count = 0
    for row in _csv(data / "registry" / "dfe_la_code_list.csv"):
        authority = Authority.objects.filter(code=row["gss_code"]).first()
        if authority is not None:
            upsert(Authority, {"dfe_number": int(row["LA Number"])}, code=authority.code)
            _add_names(authority, [row["LA Number"], row["LA Name"]], "dfe")
            count += 1
    return count


@transaction.atomic
def load_partnership(path: Path) -> Partnership:
    spec = tomllib.loads(path.read_text(encoding="utf-8"))
    for body in spec.get("bodies", []):
        authority, _ = upsert(
            Authority,
            code=body["code"],
            defaults={
                "name": body["name"],
                "official_name": body["name"],
                "kind": body["kind"],
                "region": body["region"],
            },
        )
        _add_names(authority, [body["code"], body["name"]], body["source"])
    partnership, _ = upsert(
        Partnership,
        slug=spec["slug"],
        defaults={"name": spec["name"], "description": spec["description"]},
    )
    for code in spec["members"]["codes"]:
        Membership.objects.get_or_create(
            partnership=partnership, authority=Authority.objects.get(code=code)
        )
    return partnership


@transaction.atomic
def load_boundaries(data: Path) -> int:
    """Boundaries, inner/outer London and sub-region from the GLA layer, and the
    boundary neighbours computed from it."""
    collection = json.loads((data / "registry" / "london_boroughs.geojson").read_text())
    geometries = {}
    for feature in collection["features"]:
        props = feature["properties"]
        inner_outer = "Inner" if props["ons_inner"] == "T" else "Outer"
        authority, _ = upsert(
            Authority,
            {"inner_outer": inner_outer, "sub_region": props["sub_2011"]},
            code=props["gss_code"],
        )
        upsert(
            Boundary,
            authority=authority,
            defaults={"geojson": feature["geometry"], "vintage": "2011", "source": BOUNDARY_SOURCE},
        )
        geometries[props["gss_code"]] = feature["geometry"]
    ids = dict(Authority.objects.filter(code__in=geometries).values_list("code", "id"))
    for a, b, metres in boundary_neighbours(geometries):
        upsert(
            BoundaryNeighbour,
            authority_id=ids[a],
            neighbour_id=ids[b],
            defaults={"shared_metres": metres},
        )
    return len(geometries)


_PERIOD_IN_NAME = re.compile(
    r"[,(\s]*\(?((?:19|20)\d\d(?:[/-]\d{2,4})?(?:\s*to\s*\d{4}/\d{2})?)\)?[,)\s%]*$"
)


def profile_label(column: str) -> tuple[str, str]:
    """'Population_density_(per_hectare)_2017' -> ('Population density (per hectare)', '2017')."""
    text = column.replace("_", " ").replace(" ,", ",").strip()
    match = _PERIOD_IN_NAME.search(text)
    if not match:
        return text, ""
    return text[: match.start()].strip(" ,"), match.group(1)


MONEY_WORDS = ("(£)", "Pay", "Price", "income")


def profile_unit(column: str, cell: str) -> str:
    """The unit as the column heading or the cell states it."""
    if "£" in cell or any(word in column for word in MONEY_WORDS):
        return "£"
    if "%" in column or column.startswith("Proportion"):
        return "%"
    return ""


@transaction.atomic
def load_profiles(data: Path) -> int:
    path = data / "registry" / "london-borough-profiles-2016.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header, count = rows[0], 0
    codes = dict(Authority.objects.values_list("code", "id"))
    for row in rows[1:]:
        if row[0] not in codes:
            continue
        for position, (column, cell) in enumerate(zip(header, row, strict=False)):
            if position < 3 or column.startswith("Political_control"):
                continue
            label, period = profile_label(column)
            value = _number(cell)
            upsert(
                ProfileFigure,
                authority_id=codes[row[0]],
                key=slugify(label)[:80],
                defaults={
                    "label": label,
                    "period": period,
                    "value": value,
                    "text": "" if value is not None else cell.strip(),
                    "unit": profile_unit(column, cell),
                    "source": PROFILES_SOURCE,
                    "position": position,
                },
            )
        count += 1
    _load_control(header, rows[1:], codes)
    return count


def _load_control(header: list[str], rows: list[list[str]], codes: dict[str, int]) -> None:
    """The 2014 snapshot the profiles give; control is stored by year, as it changes."""
    column = header.index("Political_control_in_council")
    for row in rows:
        # The City of London is run without parties: the profiles give "." for it.
        if row[0] in codes and row[column].strip(" .") and row[0].startswith("E09"):
            control = row[column].strip()
            upsert(
                PoliticalControl,
                authority_id=codes[row[0]],
                year=2014,
                defaults={
                    "control": CONTROL_NAMES.get(control, control),
                    "source": f"{PROFILES_SOURCE}: control after the 2014 elections",
                },
            )


IMD_YEARS = (2004, 2007, 2010, 2015, 2019)


@transaction.atomic
def load_deprivation(data: Path) -> int:
    """Rank of average deprivation score among English districts (1 = most deprived) in
    each edition, and the change in rank since 2004 (positive = less deprived now)."""
    codes = dict(Authority.objects.values_list("code", "id"))
    ranks: dict[int, dict[str, int]] = {}
    for year in IMD_YEARS:
        rows = list(_csv(data / "registry" / f"imd{year}_lad21_england.csv"))
        ordered = sorted(rows, key=lambda r: -float(r["Score"]))
        ranks[year] = {r["ltla21_code"]: i for i, r in enumerate(ordered, start=1)}
        total = len(ordered)
        for code, rank in ranks[year].items():
            if code in codes:
                _figure(
                    codes[code],
                    f"imd-{year}-rank",
                    f"Deprivation rank of {total} districts",
                    f"IMD {year}",
                    rank,
                    900 + year % 100,
                )
    for code, rank in ranks[2019].items():
        if code in codes and code in ranks[2004]:
            _figure(
                codes[code],
                "imd-rank-change",
                "Change in deprivation rank (positive: less deprived)",
                "IMD 2004 to 2019",
                ranks[2004][code] - rank,
                999,
            )
    return len(ranks[2019])


def _figure(
    authority_id: int, key: str, label: str, period: str, value: float, position: int
) -> None:
    upsert(
        ProfileFigure,
        authority_id=authority_id,
        key=key,
        defaults={
            "label": label,
            "period": period,
            "value": value,
            "source": IMD_SOURCE,
            "position": position,
        },
    )


REGISTER_SOURCE = "mySociety UK local authority names and codes (pop-2020 and area), CC BY 4.0"
IMD_WEIGHTED = "; the population-weighted mean of the council's districts"
IMD_DOMAINS = {
    "Score": ("imd-2019-score", "Deprivation: average score"),
    "Income_Score": ("imd-2019-income", "Deprivation: income (share of people)"),
    "Employment_Score": ("imd-2019-employment", "Deprivation: employment (share of adults)"),
    "Education_Score": ("imd-2019-education", "Deprivation: education, skills and training"),
    "Health_Score": ("imd-2019-health", "Deprivation: health and disability"),
    "Crime_Score": ("imd-2019-crime", "Deprivation: crime"),
    "Housing_and_Access_Score": (
        "imd-2019-housing",
        "Deprivation: barriers to housing and services",
    ),
    "Environment_Score": ("imd-2019-environment", "Deprivation: living environment"),
}


@transaction.atomic
def load_comparator_profiles(data: Path) -> int:
    """The figures nearest neighbours are computed from, for every English council:
    population and density (mySociety's register), and the IMD 2019 average and domain
    scores. The IMD is published for districts and unitaries; a county's figure, and a
    2023 unitary's, is the population-weighted mean of its districts'. Returns how many
    councils have figures."""
    register = [
        r
        for r in _csv(data / "registry" / "uk_local_authorities_future.csv")
        if r["nation"] == "England"
    ]
    codes = dict(Authority.objects.values_list("code", "id"))
    loaded = _load_population(register, codes)
    imd = {r["ltla21_code"]: r for r in _csv(data / "registry" / "imd2019_lad21_england.csv")}
    for row in register:
        scores = _imd_scores(row, imd, register)
        if scores and row["gss-code"] in codes and not row["end-date"]:
            source = IMD_SOURCE if row["gss-code"] in imd else IMD_SOURCE + IMD_WEIGHTED
            for position, (column, value) in enumerate(scores.items(), start=880):
                key, label = IMD_DOMAINS[column]
                upsert(
                    ProfileFigure,
                    authority_id=codes[row["gss-code"]],
                    key=key,
                    defaults={"label": label, "period": "IMD 2019", "value": value}
                    | {"unit": "", "source": source, "position": position},
                )
            loaded.add(row["gss-code"])
    return len(loaded)


def _load_population(register: list[dict[str, str]], codes: dict[str, int]) -> set[str]:
    loaded = set()
    for row in register:
        population, area = _number(row["pop-2020"]), _number(row["area"])
        if row["gss-code"] not in codes or population is None:
            continue
        figures = [("population-2020", "Population", population, "", 800)]
        if area:
            density = population / area
            figures.append(
                ("population-density-2020", "Population density", density, "per km²", 801)
            )
        for key, label, value, unit, position in figures:
            upsert(
                ProfileFigure,
                authority_id=codes[row["gss-code"]],
                key=key,
                defaults={
                    "label": label,
                    "period": "2020",
                    "value": value,
                    "unit": unit,
                    "source": REGISTER_SOURCE,
                    "position": position,
                },
            )
        loaded.add(row["gss-code"])
    return loaded


def _imd_scores(
    row: dict[str, str], imd: dict[str, dict[str, str]], register: list[dict[str, str]]
) -> dict[str, float]:
    """The IMD scores of a district or unitary as published, or of a county (or a unitary
    made from districts) as the population-weighted mean of its districts'."""
    if row["gss-code"] in imd:
        return {column: float(imd[row["gss-code"]][column]) for column in IMD_DOMAINS}
    code = row["local-authority-code"]
    parts = [
        (imd[r["gss-code"]], _number(r["pop-2020"]) or 0.0)
        for r in register
        if r["gss-code"] in imd and (r["county-la"] == code or code in r["replaced-by"].split(","))
    ]
    total = sum(weight for _, weight in parts)
    if not parts or total <= 0:
        return {}
    return {
        column: sum(float(part[column]) * weight for part, weight in parts) / total
        for column in IMD_DOMAINS
    }
