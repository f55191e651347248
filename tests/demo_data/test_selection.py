"""The selection file: the shipped one loads; a malformed one says what is wrong where."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.demo_data.selection import DEFAULT_PATH, SelectionError, load_selection

SERVICE_AREA = (
    '[[service_area]]\ncode = "waste"\nname = "Waste"\ndescription = "Bins."\n\n'
    '[[service_area]]\ncode = "adult-social-care"\nname = "Adult"\ndescription = "Care."\n'
)
LAIT = '[[lait.measure]]\nshort = "X"\ncode = "{code}"\nservice_area = "{area}"\nunit = "%"\n'
OFLOG = '[[oflog.measure]]\nsource_code = "ASC1"\ncode = "oflog-a"\nunit = "score"\n'
ONS = '[[ons.indicator]]\ndataset = "d"\nname = "n"\ncode = "ons-a"\nservice_area = "waste"\n'
COPY = '[[copy]]\nsource = "s"\nfile = "f"\ntarget = "registry/f"\n'


def selection_file(
    tmp_path: Path, code: str = "lait-a", area: str = "waste", extra: str = ""
) -> Path:
    path = tmp_path / "selection.toml"
    lait = LAIT.format(code=code, area=area)
    path.write_text("\n".join([SERVICE_AREA, lait, OFLOG, ONS, COPY, extra]), encoding="utf-8")
    return path


def test_the_shipped_selection_loads() -> None:
    selection = load_selection(DEFAULT_PATH)
    assert (len(selection.lait), len(selection.oflog), len(selection.ons)) == (43, 7, 37)
    # 12 copies of registry files, and 30 spending files for the demo's spend.
    assert len(selection.service_areas) == 9 and len(selection.copies) == 42
    assert selection.lait_year_basis["Annual - January"] == "academic"


def test_a_small_selection_loads(tmp_path: Path) -> None:
    selection = load_selection(selection_file(tmp_path))
    assert [m.code for m in selection.lait] == ["lait-a"]
    assert selection.oflog[0].service_area == "adult-social-care"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"code": "Lait A"}, "code 'Lait A' is not lower-case words"),
        ({"code": "ons-a"}, "code 'ons-a' is selected twice"),
        ({"area": "parks"}, "lait-a: unknown service area 'parks'"),
        ({"extra": '[lait.year_basis]\n"Annual" = "fiscal"\n'}, "'fiscal' is not"),
    ],
)
def test_a_bad_selection_is_refused_with_its_reason(
    tmp_path: Path, kwargs: dict[str, str], message: str
) -> None:
    path = selection_file(tmp_path, **kwargs)
    with pytest.raises(SelectionError, match=message) as raised:
        load_selection(path)
    assert str(path) in str(raised.value)


def test_a_missing_or_unknown_field_is_named(tmp_path: Path) -> None:
    path = selection_file(tmp_path)
    path.write_text(path.read_text().replace('unit = "score"', 'units = "score"'))
    with pytest.raises(
        SelectionError,
        match=r"\[\[oflog.measure\]\] entry 1: missing \['unit'\], unknown \['units'\]",
    ):
        load_selection(path)


def test_broken_toml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "selection.toml"
    path.write_text("[[lait.measure]\n")
    with pytest.raises(SelectionError, match=r"selection\.toml"):
        load_selection(path)
