"""The Kaggle "Housing in London" yearly panel: its household recycling rate, dated against
the GLA borough profiles (the panel's own "01/12/YY" dates do not say which year)."""

from __future__ import annotations

import collections
from pathlib import Path

from ..context import Context
from ..files import read_csv
from ..records import OGL, Indicator, ObservationSet, Shipment
from ..text import inferred_decimal_places, is_number

SOURCE = "housing-in-london-kaggle"
FILE = "recycling.csv.gz"
PROFILES = Path("london-borough-profiles") / "london-borough-profiles-2016.csv"
PROFILE_COLUMN = "Household_Waste_Recycling_Rate,_2014/15"


def read(source: Path, context: Context) -> Shipment:
    rows = read_csv(source / "housing_in_london_yearly_variables.csv")
    check_year_alignment(rows, read_csv(context.shared / PROFILES), context)
    observations = ObservationSet(FILE)
    values = []
    for row in rows:
        if not row["code"].startswith("E"):
            continue
        assert context.known(row["code"]), row["code"]
        period = financial_year(row["date"])
        observations.add(row["code"], "recycling-rate", period, row["recycling_pct"])
        values.append(row["recycling_pct"])
    return Shipment(SOURCE, [indicator(values)], observations)


def financial_year(date: str) -> str:
    """'01/12/14' -> '2014/15' (see SOURCE.md for the evidence)."""
    two_digits = int(date[-2:])
    year = 1900 + two_digits if two_digits >= 90 else 2000 + two_digits
    return f"{year}/{(year + 1) % 100:02d}"


def check_year_alignment(
    rows: list[dict[str, str]], profiles: list[dict[str, str]], context: Context
) -> None:
    """Which Kaggle 'date' carries the values the GLA publishes as 2014/15?"""
    published = {p["Code"]: p[PROFILE_COLUMN] for p in profiles}
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
    context.report.add(
        SOURCE,
        "year alignment: Kaggle date with most values equal (after rounding) to the GLA "
        "profiles' 2014/15 recycling rate: " + "; ".join(f"{d} -> {m}/{n}" for d, (m, n) in ranked),
    )
    assert best == "01/12/14" and matches[best][0] == matches[best][1], matches[best]


def indicator(values: list[str]) -> Indicator:
    return Indicator(
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
        file=FILE,
        notes="Kaggle column=recycling_pct; period re-labelled from the Kaggle date 01/12/YY "
        "to financial year YYYY/YY+1 (matched against the GLA borough profiles 2014/15 "
        "column); no polarity: neither source states one",
    )
