"""The layout of an import file is recognised from its header."""

import pytest

from ambition.indicators.layouts import LayoutError, column_letter, detect_layout


def is_year(text: str) -> bool:
    return text[:4].isdigit()


def test_long_layout_with_source_column_names() -> None:
    header = [
        "areacd",
        "areanm",
        "indicator",
        "period",
        "observation",
        "lci_95",
        "uci_95",
        "status",
    ]
    layout = detect_layout(header, is_year, has_indicator=False)
    assert layout.kind == "long"
    record = next(
        layout.records(
            iter([(2, ["E09000001", "City", "emp", "2004-01-01/P1Y", "70", "65", "75", "p"])]), ""
        )
    )
    assert (record.authority, record.indicator, record.period, record.value) == (
        "E09000001",
        "emp",
        "2004-01-01/P1Y",
        "70",
    )
    assert (record.lower, record.upper, record.status, record.row) == ("65", "75", "p", 2)


def test_wide_layout_melts_one_record_per_period_column() -> None:
    layout = detect_layout(
        ["LA code", "LA name", "2018/19", "2019/20"], is_year, has_indicator=True
    )
    assert layout.kind == "wide"
    records = list(layout.records(iter([(2, ["301", "Barking", "1.5", "x"])]), "cla-rate"))
    assert [(r.period, r.value, r.indicator, r.value_column) for r in records] == [
        ("2018/19", "1.5", "cla-rate", "2018/19"),
        ("2019/20", "x", "cla-rate", "2019/20"),
    ]


def test_missing_indicator_column_is_explained() -> None:
    with pytest.raises(LayoutError, match="indicator"):
        detect_layout(["authority", "period", "value"], is_year, has_indicator=False)


def test_neither_layout_is_explained() -> None:
    with pytest.raises(LayoutError, match="neither layout"):
        detect_layout(["authority", "indicator", "colour"], is_year, has_indicator=False)


def test_a_heading_repeated_in_another_case_or_spacing_is_refused_naming_both() -> None:
    with pytest.raises(LayoutError, match=r"columns A and E \('authority' and 'AUTHORITY'\)"):
        detect_layout(["authority", "indicator", "period", "value", " AUTHORITY"], is_year, False)


def test_a_code_and_a_name_column_for_the_authority_are_not_a_repeat() -> None:
    layout = detect_layout(["areacd", "areanm", "period", "value"], is_year, True)
    assert layout.kind == "long" and layout.columns["authority"] == 0


def test_a_wide_file_naming_one_period_twice_is_refused_naming_both_columns() -> None:
    with pytest.raises(LayoutError, match=r"columns C and E \('2019' and '2019'\) name the same"):
        detect_layout(["authority", "indicator", "2019", "2020", "2019"], is_year, False)


def test_a_long_file_with_columns_headed_like_periods_is_refused_naming_them() -> None:
    with pytest.raises(LayoutError, match=r"'2020' \(column E\)"):
        detect_layout(["authority", "indicator", "period", "value", "2020"], is_year, False)


def test_columns_are_named_as_a_spreadsheet_names_them() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
