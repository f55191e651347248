"""The national workload: every DfE LAIT indicator (434) for every English authority and
period, about 640,000 observations, assessed end to end on SQLite, from the database to
stored results, with positions among every English council. Goal: under 5 s.

Set-up, timed but not the workload: a data folder in a temp dir that is the shipped one
with a catalogue of every LAIT indicator (polarity from the LAIT data dictionary, as
`scripts/demo_data` does for the demo's 43) and the default method compared with
England; then `ambition migrate`, `load-demo --reference-only` and `import-observations` of
the whole LAIT big data set. The workload is `make_run()` in a child process, its stages
timed through its progress callback; the same run through `ambition assess` is timed too,
Django start-up included.

Run by `make bench`, or alone: `.venv/bin/python bench/assessment_national.py`."""

from __future__ import annotations

import collections
import csv
import datetime
import gzip
import json
import os
import re
import resource
import shutil
import sys
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from common import ROOT, ambition, environment, run_child, scratch, sqlite_url

# The demo-data build's records and selection are reused (`python -m scripts.demo_data`).
sys.path.insert(0, str(ROOT))
from scripts.demo_data.files import read_csv, write_csv
from scripts.demo_data.records import CATALOGUE_HEADER, OBS_HEADER, OGL, Indicator
from scripts.demo_data.selection import load_selection
from scripts.demo_data.text import inferred_decimal_places, one_line, tidy_text

# The collected sources, beside the checkout as in `scripts.demo_data --shared ../shared/data`.
LAIT = ROOT.parent / "shared" / "data" / "dfe-lait-children-services"
GOAL_S = 5.0
SELECTION = load_selection()
METHOD = "ambition-default-england"
# LAIT topics to our service areas; the demo's 43 keep the area the demo gives them.
TOPIC_AREAS = {
    "Health and Wellbeing": "health",
    "Economic Factors": "economy",
    **dict.fromkeys(
        [
            "Key Stage 1 and Phonics",
            "Key Stage 2",
            "Key Stage 4",
            "Key Stage 5",
            "Foundation Stage",
            "Early Years",
            "All Pupil Absence & Exclusions",
            "Attainment by age 19",
            "Further & Higher Education",
        ],
        "education",
    ),
}


# ----------------------------------------------------------------------------- the data
def big_data_set() -> Iterator[dict[str, str]]:
    with gzip.open(LAIT / "bds_long.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@cache
def lait_code(short: str) -> str:
    """`LAC_ceased_SGO%` -> `lait-lac-ceased-sgo-pct`: the demo's code where it has one."""
    shipped = {m.short: m.code for m in SELECTION.lait}
    if short in shipped:
        return shipped[short]
    return "lait-" + re.sub(r"[^a-z0-9]+", "-", short.lower().replace("%", " pct")).strip("-")


def dictionary_entries() -> dict[str, dict[str, str]]:
    """One data dictionary row per measure. The 14 measures listed under two topics agree
    on polarity and year type; the first row with stated decimal places is kept."""
    entries: dict[str, dict[str, str]] = {}
    for row in read_csv(LAIT / "lait_data_dictionary.csv"):
        kept = entries.get(row["Measure_short"])
        if kept is None or (not kept["dps"].isdigit() and row["dps"].isdigit()):
            entries[row["Measure_short"]] = row
    return entries


def write_observations(path: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Every row of the big data set in our long layout, LA numbers as GSS codes; the one
    label `0` (no period at all) is left out. Returns code -> LAIT short, and the values."""
    gss = {
        row["LA Number"]: row["gss_code"]
        for row in read_csv(ROOT / "data" / "registry" / "dfe_la_code_list.csv")
    }
    shorts: dict[str, str] = {}
    values: dict[str, list[str]] = collections.defaultdict(list)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(OBS_HEADER)
        for row in big_data_set():
            if row["Years"].strip() == "0":
                continue
            code = lait_code(row["Short Desc"])
            shorts.setdefault(code, row["Short Desc"])
            out.writerow([gss[row["LA Number"]], code, row["Years"], row["Values"], "", "", ""])
            values[code].append(row["Values"])
    return shorts, values


def lait_indicator(code: str, short: str, meta: dict[str, str], values: list[str]) -> Indicator:
    shipped = {m.short: (m.service_area, m.unit) for m in SELECTION.lait}
    area, unit = shipped.get(short, (TOPIC_AREAS.get(meta["Topic"], "childrens-services"), ""))
    polarity = {"High": "higher", "Low": "lower"}.get(meta["Polarity"], "")
    places = meta["dps"] if meta["dps"].isdigit() else str(inferred_decimal_places(values))
    return Indicator(
        code=code,
        name=one_line(meta["Chart_title"]),
        service_area=area,
        unit=unit or one_line(meta["y_axis_name"]),
        polarity=polarity,
        polarity_basis=f"LAIT data dictionary Polarity={meta['Polarity']}" if polarity else "",
        year_basis=SELECTION.lait_year_basis[meta["Year_Type"]],
        definition=tidy_text(meta["Description"]),
        source="Department for Education, Local Authority Interactive Tool (LAIT)",
        source_url="https://www.gov.uk/government/publications/local-authority-interactive-tool-lait",
        licence=OGL,
        decimal_places=places,
        file="lait-national.csv",
        notes=f"LAIT Short Desc={short}; LAIT Topic={meta['Topic']}",
    )


def write_catalogue(folder: Path, shorts: dict[str, str], values: dict[str, list[str]]) -> int:
    entries = dictionary_entries()
    indicators = [
        lait_indicator(code, short, entries[short], values[code])
        for code, short in sorted(shorts.items())
    ]
    write_csv(folder / "catalogue.csv", CATALOGUE_HEADER, [i.row() for i in indicators])
    return len(indicators)


def national_method(folder: Path) -> None:
    """The default method, its positions among every English council, not the members."""
    text = (ROOT / "data" / "methodologies" / "ambition-default.toml").read_text()
    text = text.replace('name = "ambition-default"', f'name = "{METHOD}"', 1)
    text, changed = re.subn(r'(?m)^group = "members"$', 'group = "england"', text, count=1)
    assert changed == 1, "the default method's comparator group is no longer `members`"
    (folder / f"{METHOD}.toml").write_text(text)


def data_folder(work: Path, observations: Path) -> tuple[Path, int]:
    """The shipped data folder, but with every LAIT indicator in the catalogue and the
    national method beside the shipped ones."""
    data = work / "data"
    data.mkdir()
    for entry in (ROOT / "data").iterdir():
        if entry.name not in ("indicators", "methodologies"):
            (data / entry.name).symlink_to(entry)
    shutil.copytree(ROOT / "data" / "methodologies", data / "methodologies")
    national_method(data / "methodologies")
    (data / "indicators").mkdir()
    shutil.copy(ROOT / "data" / "indicators" / "service_areas.csv", data / "indicators")
    shorts, values = write_observations(observations)
    return data, write_catalogue(data / "indicators", shorts, values)


# ----------------------------------------------------------------------------- the child
def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_import(path: str) -> None:
    import django

    django.setup()
    from ambition.indicators.imports import import_observations

    started = time.perf_counter()
    report = import_observations(Path(path), origin="cli")
    seconds = time.perf_counter() - started
    if not report.ok:
        shown = "; ".join(
            f"row {p.row} {p.column}={p.value!r}: {p.reason}" for p in report.problems[:5]
        )
        raise SystemExit(f"{report.summary()} {shown}")
    print(json.dumps({"seconds": seconds, "rows": report.created, "peak_mb": peak_mb()}))


def measure_run(as_of: str) -> None:
    """make_run() in-process, each stage stamped (wall and CPU clocks) when the progress
    callback names it."""
    import django

    django.setup()
    from ambition.assessment.making import make_run
    from ambition.assessment.models import RunArea, RunIndicator, RunRating, RunWarning

    before = peak_mb()
    stamps = [("Loading the method", *clocks())]
    run = make_run(
        METHOD,
        datetime.date.fromisoformat(as_of),
        via="bench",
        scope="england",
        progress=lambda stage: stamps.append((stage, *clocks())),
    )
    stamps.append(("", *clocks()))
    counts = {
        "ratings": RunRating.objects.filter(run=run).count(),
        "rated": RunRating.objects.filter(run=run, stars__isnull=False).count(),
        "indicators": RunIndicator.objects.filter(run=run).count(),
        "areas": RunArea.objects.filter(run=run).count(),
        "warnings": RunWarning.objects.filter(run=run).count(),
    }
    result = {
        "coverage": rating_coverage(run),
        "seconds": stamps[-1][1] - stamps[0][1],
        "cpu": stamps[-1][2] - stamps[0][2],
        "stages": stage_seconds(stamps),
        "observations": run.observations,
        "counts": counts,
        "peak_mb": peak_mb(),
        "before_mb": before,
    }
    print(json.dumps(result))


def rating_coverage(run: Any) -> dict[str, Any]:
    """Why councils are rated or not: the method's service areas that the catalogue gives
    enough polarised indicators to score (`min_indicators`), the most areas any council had
    scored, and each star level's `min_scored`. With LAIT alone few areas can be scored, so
    "0 rated" is the method's coverage rule at work, not a broken run."""
    from ambition.assessment.engine.run import weights_frame
    from ambition.assessment.frames import indicator_frame
    from ambition.assessment.methodology import load
    from ambition.assessment.models import RunArea

    method = load(METHOD)
    rules = method.rules()
    weights = weights_frame(rules, indicator_frame(stated=method.stated_polarity))
    counts = collections.Counter(weights["area"].to_list())
    scored = collections.Counter(
        RunArea.objects.filter(run=run, score__isnull=False).values_list("authority_id", flat=True)
    )
    return {
        "areas": sorted(rules.areas),
        "scorable": sorted(a for a in rules.areas if counts[a] >= rules.min_indicators),
        "most_scored": max(scored.values(), default=0),
        "levels": {
            name: [level.min_scored, len(level.members)]
            for name, level in rules.stars.levels.items()
        },
    }


def clocks() -> tuple[float, float]:
    """Wall and CPU (all threads) seconds: CPU time shows what other work on the machine
    did to the wall time."""
    return time.perf_counter(), time.process_time()


def stage_seconds(stamps: list[tuple[str, float, float]]) -> dict[str, tuple[float, float]]:
    """Wall and CPU seconds from each stage's stamp to the next."""
    return {
        name: (stamps[i + 1][1] - wall, stamps[i + 1][2] - cpu)
        for i, (name, wall, cpu) in enumerate(stamps[:-1])
    }


# ----------------------------------------------------------------------------- the bench
def timed_command(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    ambition(env, *args)
    return time.perf_counter() - started


def set_up(work: Path) -> tuple[dict[str, str], list[str], Path]:
    observations = work / "lait-national.csv"
    started = time.perf_counter()
    data, indicators = data_folder(work, observations)
    converted = time.perf_counter() - started
    env = environment(sqlite_url(work), work / "var")
    env["AMBITION_DATA_DIR"] = str(data)
    migrate = timed_command(env, "migrate")
    reference = timed_command(env, "load-demo", "--reference-only")
    lines = [
        f"  set-up: LAIT big data set converted in {converted:.1f} s "
        f"({indicators} indicators in the catalogue); migrate {migrate:.1f} s, "
        f"load-demo --reference-only {reference:.1f} s"
    ]
    return env, lines, observations


def report_run(run: dict[str, Any]) -> list[str]:
    verdict = "meets" if run["seconds"] < GOAL_S else "MISSES"
    counts = run["counts"]
    stages = ", ".join(
        f"{name.lower()} {wall:.2f} s ({cpu:.2f})" for name, (wall, cpu) in run["stages"].items()
    )
    return [
        f"  make_run(scope=england, group=england): {run['seconds']:.2f} s "
        f"(goal < {GOAL_S:.0f} s: {verdict}; CPU {run['cpu']:.2f} s); "
        f"peak memory {run['peak_mb']:.0f} MB ({run['before_mb']:.0f} MB before the run)",
        f"    stages, wall (CPU) seconds: {stages}",
        f"    read {run['observations']:,} observations; stored {counts['indicators']:,} "
        f"indicator results, {counts['areas']:,} area scores, {counts['ratings']:,} ratings "
        f"({counts['rated']:,} rated), {counts['warnings']:,} early warnings",
        f"    {coverage_line(run['coverage'], counts['rated'])}",
    ]


def coverage_line(coverage: dict[str, Any], rated: int) -> str:
    """The areas the catalogue can score against what the star table needs to rate."""
    scorable, areas = coverage["scorable"], coverage["areas"]
    levels = "; ".join(
        f'level "{name}" needs {needs} of its {size} scored'
        for name, (needs, size) in coverage["levels"].items()
    )
    return (
        f"{'why none is rated' if rated == 0 else 'rating coverage'}: the catalogue's "
        f"indicators can score {len(scorable)} of the method's {len(areas)} service areas "
        f"({', '.join(scorable) or 'none'}), at most {coverage['most_scored']} for any "
        f"council; the star table's {levels}"
    )


def main() -> list[str]:
    load = os.getloadavg()[0]
    work = scratch()
    env, lines, observations = set_up(work)
    imported = json.loads(run_child(env, __file__, "import", str(observations)))
    lines.append(
        f"  set-up: import-observations {imported['rows']:,} rows in {imported['seconds']:.1f} s"
        f" ({imported['rows'] / imported['seconds']:,.0f} rows/s, peak {imported['peak_mb']:.0f} MB)"
    )
    as_of = datetime.date.today().isoformat()
    run = json.loads(run_child(env, __file__, "run", as_of))
    command = timed_command(
        env, "assess", "--method", METHOD, "--scope", "england", "--period", as_of
    )
    shutil.rmtree(work, ignore_errors=True)
    return [
        "national workload: every DfE LAIT indicator, every English authority and period, "
        f"SQLite (load average {load:.1f} on {os.cpu_count()} cores at the start)",
        *lines,
        *report_run(run),
        f"  the same through `ambition assess` (Django start-up included): {command:.2f} s",
    ]


if __name__ == "__main__":
    if len(sys.argv) == 3:
        {"import": measure_import, "run": measure_run}[sys.argv[1]](sys.argv[2])
    else:
        print("\n".join(main()))
