"""Forms of the spend pages: the upload of spending files, and the mapping's questions
asked of a person (each column that could be more than one field, or the field no column
was found for)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from ambition.accounts.backends import scope_of
from ambition.indicators.periods import Period
from ambition.registry.models import Authority

from .console import SUFFIXES
from .models import IMPORT_SPEND
from .reading import Ambiguity
from .reading.fields import REQUIRED, WORDS, Field, folded
from .reading.rows import Layout
from .reading.tables import tables
from .reading.values import ValueRefused, parse_spend_period
from .store import Answers

LEAVE_OUT = "leave-out"  # the answer that leaves a column out of the mapping (no field)
SAMPLES = 3  # the values shown beside a column's heading
# Columns not offered for a missing field: they hold a field every record needs already.
SETTLED = frozenset({*REQUIRED, Field.DATE, Field.PERIOD})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files from one input."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(one, initial) for one in files]


class UploadForm(forms.Form):
    authority = forms.ModelChoiceField(queryset=Authority.objects.none(), empty_label=None)
    files = MultipleFileField(
        label="Spending files",
        help_text="CSV, gzip-compressed CSV (.csv.gz) or Excel (.xlsx); choose one or more",
    )
    period = forms.CharField(
        label="Period (optional)",
        required=False,
        max_length=100,
        help_text="For files whose rows give no date: a month (April 2013), a quarter, or a "
        "span (2013-04-01/2013-04-27). Left empty, a month in a file's name is used.",
    )
    accept_errors = forms.BooleanField(
        label="Store the good rows even if some are refused",
        required=False,
        help_text="The refused rows are listed and kept with the file",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_of(user, IMPORT_SPEND)
        found = Authority.objects.order_by("name")
        field = self.fields["authority"]
        field.queryset = found if scope is None else found.filter(pk__in=scope)  # type: ignore[attr-defined]

    def clean_files(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data["files"]
        if wrong := [f.name for f in files if not (f.name or "").lower().endswith(SUFFIXES)]:
            raise forms.ValidationError(
                f"{', '.join(map(str, wrong))}: choose CSV, .csv.gz or XLSX files"
            )
        return files

    def clean_period(self) -> Period | None:
        return clean_period_text(self.cleaned_data["period"])


def clean_period_text(text: str) -> Period | None:
    """The period a person typed, read as `ambition import-spend --period` reads it."""
    if not text.strip():
        return None
    try:
        return parse_spend_period(text)
    except ValueRefused as error:
        raise forms.ValidationError(str(error)) from None


@dataclass
class ColumnQuestion:
    """One column a person must decide: the fields it could be, beside some of its values."""

    heading: str
    sheet: str
    samples: list[str]
    fields: list[Field] = field(default_factory=list)
    current: Field | None = None  # what the column was read as, if anything

    @property
    def choices(self) -> list[Field]:
        kept = [self.current] if self.current and self.current not in self.fields else []
        return [*kept, *self.fields]


def mapping_questions(
    data: bytes, layouts: Sequence[Layout], ambiguities: Sequence[tuple[str, Ambiguity]]
) -> list[ColumnQuestion]:
    """The columns to ask about: the rivals for a contested field; and, where a needed field
    has no column, every column but those read as a needed field or a date (a column read as,
    say, a reference may be the supplier's name)."""
    by_sheet = {layout.sheet: layout for layout in layouts}
    asked: dict[str, ColumnQuestion] = {}
    for sheet, ambiguity in ambiguities:
        layout = by_sheet.get(sheet)
        read = _read_as(layout)
        columns = ambiguity.columns or [h for h, f in read.items() if f not in SETTLED]
        for heading in columns:
            question = asked.setdefault(
                folded(heading), ColumnQuestion(heading, sheet, [], current=read.get(heading))
            )
            if ambiguity.field not in question.fields:
                question.fields.append(ambiguity.field)
    _add_samples(data, by_sheet, list(asked.values()))
    return list(asked.values())


def _read_as(layout: Layout | None) -> dict[str, Field | None]:
    """Each column's heading and the field it was read as (None: no field)."""
    if layout is None:
        return {}
    mapping = layout.mapping
    return {label: mapping.fields.get(i) for i, label in enumerate(mapping.labels)}


def _add_samples(data: bytes, by_sheet: dict[str, Layout], asked: list[ColumnQuestion]) -> None:
    rows = {table.sheet: table.rows for table in tables(data, whole=True)}
    for question in asked:
        layout = by_sheet.get(question.sheet)
        if layout is None or question.heading not in layout.mapping.labels:
            continue
        index = layout.mapping.labels.index(question.heading)
        body = (
            cells for number, cells in rows.get(question.sheet, []) if number > layout.header_row
        )
        values = (cells[index].strip() for cells in body if index < len(cells))
        question.samples = _first_distinct((v for v in values if v), SAMPLES)


def _first_distinct(values: Any, count: int) -> list[str]:
    found: list[str] = []
    for value in values:
        if value not in found:
            found.append(value)
        if len(found) == count:
            break
    return found


class QuestionsForm(forms.Form):
    """One choice per column asked about: one of its possible fields, or leave it out."""

    def __init__(self, *args: Any, questions: list[ColumnQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions):
            choices = [(f.value, field_words(f)) for f in question.choices]
            self.fields[f"column_{number}"] = forms.ChoiceField(
                label=question.heading,
                choices=[*choices, (LEAVE_OUT, "Leave this column out")],
                # What it was read as stands until changed; any other column must be answered.
                initial=question.current.value if question.current else None,
                widget=forms.RadioSelect,
                error_messages={"required": f"Say what the column {question.heading!r} holds"},
            )

    def bound_questions(self) -> list[tuple[ColumnQuestion, forms.BoundField]]:
        return [(q, self[f"column_{n}"]) for n, q in enumerate(self.questions)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given: dict[str, list[str]] = {}
        for number, question in enumerate(self.questions):
            if (name := data.get(f"column_{number}")) and name != LEAVE_OUT:
                given.setdefault(name, []).append(question.heading)
        for name, headings in given.items():
            if len(headings) > 1:
                raise forms.ValidationError(
                    f"Only one column can be the {field_words(Field(name))}: "
                    f"{' and '.join(map(repr, headings))} both are"
                )
        return data

    def answers(self) -> Answers:
        return {
            question.heading: _field_or_none(self.cleaned_data[f"column_{number}"])
            for number, question in enumerate(self.questions)
        }


def _field_or_none(answer: str) -> str | None:
    return None if answer == LEAVE_OUT else answer


def field_words(name: Field) -> str:
    return WORDS[name]
