"""The whole read, on small files made here: encodings, line endings, compression,
workbooks, preambles, mappings (automatic, ambiguous and saved) and row problems."""

from __future__ import annotations

import codecs
import gzip
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]

from ambition.spend.reading import Reading, UnreadableFile, read_spend
from ambition.spend.reading.decoding import decoded, repaired
from ambition.spend.reading.fields import AmountKind, Field
from ambition.spend.reading.headers import NoHeader
from ambition.spend.reading.mapping import Question
from ambition.spend.reading.tables import tables

CSV = 'Supplier,Amount,Date\r\nAcme Ltd,"£1,234.50",02/04/2013\r\nREDACTED,(12.00),03/04/2013\r\n'


def fields_of(reading: Reading) -> dict[str, str]:
    mapping = reading.layouts[0].mapping
    return {mapping.labels[i]: name.value for i, name in mapping.fields.items()}


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        lambda text: text.encode("cp1252"),
        lambda text: gzip.compress(text.encode("cp1252")),
        lambda text: text.replace("\r\n", "\r").encode("utf-8"),  # old Mac
        lambda text: text.replace("\r\n", "\n").encode("utf-8"),
    ],
)
def test_every_encoding_and_line_ending_reads_the_same(encode: object) -> None:
    text = 'Supplier,Amount,Date\r\nCafé £ Ltd,"£1,234.50",02/04/2013\r\n'
    reading = read_spend(encode(text))  # type: ignore[operator]
    [record] = reading.records
    assert (record.supplier, record.amount, record.date) == (
        "Café £ Ltd",
        Decimal("1234.50"),
        date(2013, 4, 2),
    )
    assert record.row == 2


def test_a_quoted_line_break_is_one_spreadsheet_row() -> None:
    data = b'Supplier,Amount,Date\n"Acme\nLtd",1,02/04/2013\nBeta,2,02/04/2013\n'
    assert [r.row for r in read_spend(data).records] == [2, 3]


def test_a_gzip_bomb_is_refused_before_it_expands() -> None:
    bomb = gzip.compress(b"0" * (4 << 20))
    with pytest.raises(UnreadableFile, match="expands to more than"):
        decoded(bomb, limit=1 << 20)


def test_a_cut_gzip_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="cut short"):
        decoded(gzip.compress(CSV.encode())[:-12])


def test_wrong_decodings_are_undone() -> None:
    assert repaired("DU PR\u00c3\x89 PLC") == "DU PR\u00c9 PLC"
    assert repaired("INSTITUTO SUPERIOR T\u00c3\x83\u00c2\x89CNICO") == "INSTITUTO SUPERIOR TÉCNICO"
    assert repaired("Children\x92s services") == "Children\u2019s services"
    assert repaired("Plain £ text") == "Plain £ text"


def test_header_under_a_preamble_and_an_sql_query() -> None:
    text = (
        "Payments over £500,,\n"
        '"SELECT supplier_name, amount, payment_date FROM ap_payments WHERE amount > 500",,\n'
        "Report date: 02/07/2012,,\n,,\n"
        "Payee,Net Amount,Payment Date\n"
        "Acme Ltd,100.00,02/04/2013\n"
    )
    reading = read_spend(text.encode())
    assert reading.layouts[0].header_row == 5
    assert reading.layouts[0].mapping.amount_kind is AmountKind.NET
    assert [record.row for record in reading.records] == [6]


def test_no_header_is_a_clear_error() -> None:
    with pytest.raises(NoHeader, match="no header row was found"):
        read_spend(b"just,some\nwords,here\n")


def test_totals_blanks_and_notes_are_not_spend() -> None:
    text = (
        "Supplier,Amount,Date\nAcme Ltd,100.00,02/04/2013\n,,\n"
        "Total Hygiene Ltd,50.00,02/04/2013\nGrand Total,150.00,\n"
        "Figures exclude VAT,,\n"
    )
    reading = read_spend(text.encode())
    assert [r.supplier for r in reading.records] == ["Acme Ltd", "Total Hygiene Ltd"]
    assert [(t.row, t.label, t.amount) for t in reading.totals] == [
        (5, "Grand Total", Decimal("150.00"))
    ]
    assert reading.notes == [("", 6)] and not reading.problems


def test_a_one_cell_row_inside_the_data_is_a_problem_not_a_note() -> None:
    text = "Supplier,Amount,Date\nAcme Ltd,1,02/04/2013\nInter High Academy21740\nB,2,02/04/2013\n"
    problems = read_spend(text.encode()).problems
    assert [(p.row, p.column) for p in problems] == [(3, "Amount"), (3, "Date")]
    assert problems[0].reason == "there is no amount"


def test_problems_name_row_column_value_and_reason() -> None:
    text = (
        "Supplier,Amount,Date\nAcme Ltd,12.5.0,02/04/2013\n,10,02/04/2013\n"
        "Beta,10,31/02/2013\nGamma,10,02/04/2013,stray\n"
    )
    reading = read_spend(text.encode())
    found = {(p.row, p.column, p.value) for p in reading.problems}
    assert found == {
        (2, "Amount", "12.5.0"),
        (3, "Supplier", ""),
        (4, "Date", "31/02/2013"),
        (5, "column D", "stray"),
    }
    assert [r.supplier for r in reading.records] == ["Gamma"]


def test_redacted_suppliers_are_marked() -> None:
    [named, redacted] = read_spend(CSV.encode()).records
    assert (named.redacted, redacted.redacted) == (False, True)
    assert redacted.amount == Decimal("-12.00")


def test_a_file_period_stands_in_for_missing_dates() -> None:
    from ambition.spend.reading.values import parse_spend_period

    text = b"Supplier Name,Total\nAcme Ltd,10.00\n"
    unread = read_spend(text)
    assert [(a.field, a.question) for _, a in unread.ambiguities] == [
        (Field.DATE, Question.MISSING)
    ]
    assert not unread.records  # asked, not guessed
    period = parse_spend_period("January 2011")
    [record] = read_spend(text, period=period).records
    assert (record.date, record.period) == (None, period)


def test_a_period_column() -> None:
    text = b"Supplier,Amount,Period\nAcme Ltd,10,July 2010-September 2010\n"
    [record] = read_spend(text).records
    assert record.period is not None and record.date is None
    assert (record.period.start, record.period.end) == (date(2010, 7, 1), date(2010, 9, 30))


def test_two_amount_columns_are_asked_not_guessed() -> None:
    text = b"Supplier,Net Amount,Gross Amount,Date\nAcme Ltd,10.00,12.00,02/04/2013\n"
    reading = read_spend(text)
    [(_, ambiguity)] = reading.ambiguities
    assert ambiguity.question is Question.CONTESTED
    assert set(ambiguity.columns) == {"Net Amount", "Gross Amount"}
    assert not reading.records


def test_a_saved_mapping_settles_it_for_the_next_file() -> None:
    text = b"Supplier,Net Amount,Gross Amount,Date\nAcme Ltd,10.00,12.00,02/04/2013\n"
    saved = {"Supplier": "supplier", "Net Amount": "amount", "Gross Amount": None, "Date": "date"}
    reading = read_spend(text, saved=saved)
    assert reading.layouts[0].mapping.saved
    assert [r.amount for r in reading.records] == [Decimal("10.00")]
    assert reading.layouts[0].mapping.amount_kind is AmountKind.NET
    other = b"Payee,Value,When\nAcme Ltd,10.00,02/04/2013\n"  # other headings: not applied
    assert not read_spend(other, saved=saved).layouts[0].mapping.saved


def test_a_mapping_round_trips_through_its_saved_form() -> None:
    reading = read_spend(CSV.encode())
    saved = reading.layouts[0].mapping.as_saved()
    assert saved == {"Supplier": "supplier", "Amount": "amount", "Date": "date"}
    again = read_spend(CSV.encode(), saved=saved)
    assert again.records == reading.records


def test_columns_named_by_content_when_no_heading_does() -> None:
    text = (
        "Supplier,Paid on,Sum,Reg\n"
        "Acme Ltd,02/04/2013,10.00,01234567\nBeta Ltd,03/04/2013,20.00,SC123456\n"
    )
    reading = read_spend(text.encode())
    assert fields_of(reading) == {
        "Supplier": "supplier", "Paid on": "date", "Sum": "amount", "Reg": "company_number",
    }  # fmt: skip
    confidence = reading.layouts[0].mapping.confidence
    assert confidence[0] == 1.0 and confidence[1] <= 0.5  # by content alone, and less sure


def workbook_bytes() -> bytes:
    book = Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["This workbook lists payments over £500"])
    spend = book.create_sheet("June 2012")
    spend.append(["Council of Somewhere: payments"])
    spend.append([])
    spend.append(["Supplier", "Amount", "Payment Date", "Service"])
    spend.append(["Acme Ltd", 1234.5, datetime(2012, 6, 8), "Adults"])
    spend.append(["Beta Ltd", -10, 41068, "Children"])  # a date saved as its serial
    spend.append(["Gamma Ltd", "=1+1", datetime(2012, 6, 9), "Housing"])  # no saved value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_reads_every_sheet_with_its_row_numbers() -> None:
    data = workbook_bytes()
    assert [table.sheet for table in tables(data)] == ["Notes", "June 2012"]
    reading = read_spend(data)
    assert reading.unread_sheets == ["Notes"]
    assert reading.layouts[0].header_row == 3
    acme, beta = reading.records
    assert (acme.sheet, acme.row, acme.amount, acme.date) == (
        "June 2012",
        4,
        Decimal("1234.5"),
        date(2012, 6, 8),
    )
    assert (beta.row, beta.amount, beta.date) == (5, Decimal("-10"), date(2012, 6, 8))
    assert acme.fields == {"service": "Adults"}
    [problem] = reading.problems  # a formula saved without its value is not a zero
    assert (problem.sheet, problem.row, problem.column) == ("June 2012", 6, "Amount")
