"""The notes shipped beside the data: README.md, indicators/SUMMARY.md and each source's
SOURCE.md with a "What Ambition ships" section. The prose is in templates/; this module
fills in the counts and tables that depend on the build."""

from __future__ import annotations

import collections
import re
import statistics
from pathlib import Path
from string import Template

from .checks import MIN_LONDON_PERIODS, qualifying
from .files import read_csv_gz
from .records import Indicator, Report
from .selection import Selection

TEMPLATES = Path(__file__).with_name("templates")
SOURCE_NOTES = TEMPLATES / "source"


def fill(name: str, **values: object) -> str:
    """A template with every `$name` filled; a missing value is an error, not a blank."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    return Template(text).substitute({k: str(v) for k, v in values.items()})


def documented_sources() -> list[str]:
    """The source folders the build writes a SOURCE.md for (and so owns in data/)."""
    return sorted(path.stem for path in SOURCE_NOTES.glob("*.md"))


def write_source_notes(shared: Path, out: Path, selection: Selection, report: Report) -> None:
    """The source's own SOURCE.md, then what the build took from it and its build log."""
    datasets = selection.ons_datasets
    for folder in documented_sources():
        text = fill(
            f"source/{folder}.md",
            build_log="\n".join(f"- {line}" for line in report.lines[folder]),
            measures=len(selection.lait),
            indicators=len(selection.ons),
            dataset_count=len(datasets),
            datasets=", ".join(datasets),
        ).removesuffix("\n")
        original = (shared / folder / "SOURCE.md").read_text(encoding="utf-8").rstrip()
        target = out / folder / "SOURCE.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"{original}\n\n## What Ambition ships\n\n{text}\n", encoding="utf-8")


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


def write_readme(
    out: Path, indicators: list[Indicator], selection: Selection, row_counts: dict[str, int]
) -> None:
    shapes = period_shapes(out, sorted(row_counts))
    text = fill(
        "README.md",
        lait_measures=len(selection.lait),
        ons_indicators=len(selection.ons),
        files=", ".join(f"`{n}` ({r} rows)" for n, r in sorted(row_counts.items())),
        shapes="\n".join(f"  | {f} | `{s}` | {n} | `{example}` |" for f, s, n, example in shapes),
        indicator_count=len(indicators),
    )
    (out / "README.md").write_text(text, encoding="utf-8")


def write_summary(
    out: Path,
    indicators: list[Indicator],
    selection: Selection,
    counts: dict[str, list[int]],
    row_counts: dict[str, int],
) -> None:
    kept = qualifying(indicators, counts)
    text = fill(
        "SUMMARY.md",
        indicator_count=len(indicators),
        min_periods=MIN_LONDON_PERIODS,
        qualifying=len(kept),
        qualifying_areas=len({i.service_area for i in kept}),
        row_total=sum(row_counts.values()),
        areas=area_rows(indicators, selection, kept),
        files="\n".join(
            f"| observations/{name} | {rows} | {sum(i.file == name for i in indicators)} |"
            for name, rows in sorted(row_counts.items())
        ),
        higher=sum(i.polarity == "higher" for i in indicators),
        lower=sum(i.polarity == "lower" for i in indicators),
        unknown=sum(not i.polarity for i in indicators),
        bases=basis_rows(indicators),
        periods=period_rows(indicators, counts),
    )
    (out / "indicators" / "SUMMARY.md").write_text(text, encoding="utf-8")


def area_rows(indicators: list[Indicator], selection: Selection, kept: list[Indicator]) -> str:
    lines = []
    for area in selection.service_areas:
        members = [i for i in indicators if i.service_area == area.code]
        lines.append(
            f"| {area.code} | {len(members)} | {sum(i in kept for i in members)} | "
            f"{sum(bool(i.polarity) for i in members)} |"
        )
    return "\n".join(lines)


def basis_rows(indicators: list[Indicator]) -> str:
    """How many polarities each kind of source statement gave ("none" for unknown)."""
    basis = collections.Counter(
        re.sub(r"=.*", "", i.polarity_basis) if i.polarity else "none" for i in indicators
    )
    return "\n".join(f"| {b} | {n} |" for b, n in sorted(basis.items()))


def period_rows(indicators: list[Indicator], counts: dict[str, list[int]]) -> str:
    lines = []
    for i in sorted(indicators, key=lambda x: (x.service_area, x.code)):
        c = counts[i.code]
        lines.append(
            f"| {i.code} | {i.service_area} | {i.polarity or '-'} | {i.year_basis} | "
            f"{c[0]} | {statistics.median(c):g} | {c[-1]} |"
        )
    return "\n".join(lines)
