"""A CSV file read in two parts (its head by Python's csv, the body under its header by
Arrow where Arrow reads it as csv does) gives the rows the whole file read by Python's csv
gives: the same cells, the same row numbers, blank rows left out, whatever the quoting,
the line endings and the widths. Where Arrow would read it otherwise (a quoted line break,
rows of other widths, a NUL), the body is read by Python's csv."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ambition.spend.reading.bodies import ArrowBody, RowBody
from ambition.spend.reading.headers import LOOK_BELOW, PREAMBLE_LIMIT
from ambition.spend.reading.tables import HEAD, Table, UnreadableFile, tables

# Cells as files hold them, quoting and all: plain, quoted, doubled quotes, a quote inside
# an unquoted cell, a comma or a line break in quotes, spaces, `£` and a stray separator.
CELLS = [
    "", "", "Acme Ltd", "12.50", " ", '"Quoted, with comma"', '"say ""hi"""', 'a"b',
    '"x\r\ny"', '"two\nlines"', "  padded  ", "\u00a3100", '"" ', "\x1c", "\t", '"a"b',
]  # fmt: skip
ENDINGS = ["\r\n", "\n", "\r"]


@st.composite
def texts(draw: st.DrawFn) -> str:
    width = draw(st.integers(1, 5))
    even = draw(st.booleans())  # every line as wide: what Arrow takes
    ending = draw(st.sampled_from(ENDINGS))
    lines = ["Supplier" + ",Amount" * (width - 1)]
    for _ in range(draw(st.integers(0, 25))):
        count = width if even else draw(st.integers(0, width + 1))
        lines.append(",".join(draw(st.sampled_from(CELLS)) for _ in range(count)))
    text = ending.join(lines)
    return text + draw(st.sampled_from(["", ending, ending * 2]))


def both(text: str) -> tuple[list[tuple[int, list[str]]], list[tuple[int, list[str]]]]:
    data = text.encode("utf-8")
    [parts] = tables(data)
    [whole] = tables(data, whole=True)
    return [parts.rows[0], *parts.body(0)], whole.rows


@settings(max_examples=300)
@given(texts())
def test_the_two_parts_read_what_the_whole_file_reads(text: str) -> None:
    try:
        [whole] = tables(text.encode("utf-8"), whole=True)
    except UnreadableFile:
        with pytest.raises(UnreadableFile):
            both(text)
        return
    read, expected = both(text)
    assert read == whole.rows == expected


def test_arrow_reads_an_even_body_and_python_the_rest() -> None:
    def body_of(text: str) -> object:
        [table] = tables(text.encode("utf-8"))
        return table.body(0)

    assert isinstance(body_of("Supplier,Amount\r\nAcme,1\r\n,\r\nBeta,2\r\n"), ArrowBody)
    assert isinstance(body_of("Supplier,Amount\rAcme,1\rBeta,2\r"), ArrowBody)  # old Mac
    assert isinstance(body_of("Supplier,Amount\nAcme,1\nTotal\n"), RowBody)  # run short
    assert isinstance(body_of('Supplier,Amount\nAcme,"1\n2"\nBeta,2\n'), RowBody)  # line break
    assert isinstance(body_of("Supplier,Amount\nAc\x00me,1\n"), RowBody)  # NUL
    rows = list(body_of('Supplier,Amount\r\n\r\n"Acme, Ltd",1\r\n , \r\nBeta,"2"\r\n'))  # type: ignore[call-overload]
    assert rows == [(3, ["Acme, Ltd", "1"]), (5, ["Beta", "2"])]


def test_the_head_holds_every_row_the_header_is_looked_for_in() -> None:
    assert HEAD >= PREAMBLE_LIMIT + LOOK_BELOW + 1
    preamble = "".join(f"Note {i}\r\n" for i in range(PREAMBLE_LIMIT - 1))
    text = preamble + "Supplier,Amount,Date\r\n" + "Acme,1.00,02/04/2015\r\n" * 5000
    [table] = tables(text.encode())
    [whole] = tables(text.encode(), whole=True)
    assert isinstance(table, Table) and table.rows == whole.rows[:HEAD]
    body = table.body(PREAMBLE_LIMIT - 1)
    assert list(body) == whole.rows[PREAMBLE_LIMIT:]
    assert body[0] == (PREAMBLE_LIMIT + 1, ["Acme", "1.00", "02/04/2015"])
    # A head whose rows run past the text it is first looked for in is read from all of it.
    long = "Supplier,Amount\r\n" + "".join(f'"{"x" * 5000}\r\n{i}",1\r\n' for i in range(150))
    [table] = tables(long.encode())
    [whole] = tables(long.encode(), whole=True)
    assert table.rows == whole.rows[:HEAD] and list(table.body(0)) == whole.rows[1:]
