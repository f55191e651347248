"""People's labels: the procurement category of one combination of expense type, account,
service and purpose, which overrides the rules for every transaction with that combination
and teaches the category model. A new label replaces the standing one for its combination,
which is kept (`models.replace`). `standing` reads them for `assign`."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import IntegrityError, transaction

from ambition.spend.models import CategoryLabel, replace

from .keys import combination_key
from .rules import FIELDS, LABELS, Rules, shipped

TEXT_LENGTH = 500  # CategoryLabel's fields
FILE_COLUMNS = (*FIELDS, "category", "reason")
LABEL_COLUMNS = {"id": pl.Int64, "key": pl.String, "category": pl.String, "reason": pl.String}


class LabelError(ValueError):
    """A label that cannot be stored; the message says which field and why."""


class LabelFileError(ValueError):
    """A file of labels with problems: every one, by row (as a spreadsheet numbers it) and
    column. Nothing from it was stored."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, eq=False)
class Standing:
    """The standing labels, one per key: `frame` has id, key, category, reason and the four
    fields (blank where not given)."""

    frame: pl.DataFrame

    @classmethod
    def of(cls, rows: Iterable[Mapping[str, Any]]) -> Standing:
        """From rows with the four fields, category and (optionally) id, key and reason: a
        missing key is made from the fields, a missing id numbers the rows from 1; of rows
        with the same key, the latest (highest id) stands."""
        listed = [
            {
                "id": row.get("id") or n,
                "key": row.get("key") or combination_key([row.get(f) for f in FIELDS]),
                "category": row["category"],
                "reason": row.get("reason") or "",
                **{f: row.get(f) or "" for f in FIELDS},
            }
            for n, row in enumerate(rows, start=1)
        ]
        schema = {**LABEL_COLUMNS, **dict.fromkeys(FIELDS, pl.String)}
        frame = pl.DataFrame(listed, schema=schema, orient="row").sort("id")
        # One label stands per key, as the database holds them: the latest.
        return cls(frame.unique("key", keep="last", maintain_order=True))

    @property
    def count(self) -> int:
        return self.frame.height

    @property
    def fingerprint(self) -> tuple[int, int, str]:
        """The latest label's id, the count, and a digest of every id, key and category:
        the same for the same set of standing labels, different for any other."""
        latest = max(self.frame.get_column("id").to_list(), default=0)
        rows = self.frame.select("id", "key", "category").sort("id").write_csv()
        return latest, self.count, hashlib.sha256(rows.encode()).hexdigest()

    def known(self, rules: Rules) -> Standing:
        """Only the labels whose category the rules still have."""
        codes = [c.code for c in rules.categories]
        return Standing(self.frame.filter(pl.col("category").is_in(codes)))


def standing() -> Standing:
    """Every standing label, from the database."""
    fields = ["id", "key", "category", "reason", *FIELDS]
    return Standing.of(CategoryLabel.objects.standing().order_by("id").values(*fields))


def label(
    fields: Mapping[str, str | None],
    category: str,
    reason: str,
    user: Any = None,
    rules: Rules | None = None,
) -> CategoryLabel:
    """Store a label for the combination `fields` gives (the keys of `rules.FIELDS`), in
    place of its standing one, which is kept. Refuses a category the rules do not have, a
    combination with no text, and a text too long to keep."""
    rules = rules or shipped()
    texts = {f: (fields.get(f) or "").strip() for f in FIELDS}
    key = combination_key([texts[f] for f in FIELDS])
    _check(texts, category, rules, key)
    made = CategoryLabel(
        key=key,
        category=category,
        reason=reason.strip(),
        labelled_by=user if getattr(user, "is_authenticated", False) else None,
        **texts,
    )
    try:
        with transaction.atomic():
            old = CategoryLabel.objects.standing().select_for_update().filter(key=key).first()
            replace(old, made)
    except IntegrityError:
        raise LabelError(
            "someone labelled this combination at the same moment: look again and retry"
        ) from None
    return made


def _check(texts: Mapping[str, str], category: str, rules: Rules, key: str) -> None:
    codes = [c.code for c in rules.categories]
    if category not in codes:
        raise LabelError(
            f"category: '{category}' is not a category of the rules; "
            f"choose one of {', '.join(codes)}"
        )
    for field, text in texts.items():
        if len(text) > TEXT_LENGTH:
            raise LabelError(
                f"{LABELS[field]}: {len(text)} characters, more than {TEXT_LENGTH} can be kept"
            )
    if key == combination_key([None] * len(FIELDS)):
        raise LabelError(
            "nothing to label: no expense type, account, service or purpose has any "
            "letters or digits"
        )


def label_file(data: bytes, user: Any = None, rules: Rules | None = None) -> list[CategoryLabel]:
    """Store a CSV file's labels (columns FILE_COLUMNS, UTF-8), in one transaction, each
    as `label` stores one; or, where any row or the header has a problem, none of them."""
    rules = rules or shipped()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LabelFileError([f"not UTF-8 text (byte {error.start})"]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in FILE_COLUMNS if c not in header]
    unknown = [c for c in header if c not in FILE_COLUMNS]
    if missing or unknown:
        raise LabelFileError(
            [f"row 1: missing column {c}" for c in missing]
            + [f"row 1: unknown column {c!r}" for c in unknown]
        )
    reader.fieldnames = header
    rows = list(reader)
    _check_file(rows, rules)
    with transaction.atomic():
        return [
            label(row, (row["category"] or "").strip(), row["reason"] or "", user, rules)
            for row in rows
        ]


def _check_file(rows: list[dict[str, str]], rules: Rules) -> None:
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        if None in row:
            problems.append(f"row {number}: more cells than the header has columns")
            continue
        texts = {f: (row[f] or "").strip() for f in FIELDS}
        key = combination_key([texts[f] for f in FIELDS])
        try:
            _check(texts, (row["category"] or "").strip(), rules, key)
        except LabelError as error:
            problems.append(f"row {number}: {error}")
        if key in seen:
            problems.append(
                f"row {number}: the same combination, as the rules read it, as row {seen[key]}"
            )
        seen.setdefault(key, number)
    if problems:
        raise LabelFileError(problems)
