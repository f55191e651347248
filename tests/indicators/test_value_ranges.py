"""Values and restricted-until days in range: one rule for each, refused with the field
named wherever they enter (a file, the CLI, the import page, the correction form, the API),
and pages that show any value already stored, however large, answer 200. A percentage is
never negative but may pass 100, as real published rates per hundred do."""

from __future__ import annotations

import datetime
import io
import json
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from hypothesis import example, given
from hypothesis import strategies as st

from ambition.accounts.people import RoleSpec, create_person
from ambition.accounts.tokens import issue_token
from ambition.assessment.models import AssessmentRun
from ambition.indicators.forms import import_file_hint
from ambition.indicators.imports import import_observations
from ambition.indicators.models import ImportBatch, ImportJob, Indicator, Observation
from ambition.indicators.values import (
    MAGNITUDE_LIMIT,
    ValueParseError,
    parse_value,
    restricted_until_problem,
    value_range,
)
from ambition.reports.templatetags.reports import amount, percent
from ambition.web.charts import format_number

from .factories import IndicatorFactory

pytestmark = pytest.mark.django_db
LAMBETH = "E09000022"
PERCENT = "ons-employment-rate"  # unit "%"
POUNDS = "ons-median-weekly-pay"  # unit "£"
SCORE = "ons-wellbeing-happiness"  # unit "score out of 10"
# Not in the shipped catalogue: DfE LAIT's special school suspensions, a share by its words.
SHARE, SHARE_UNIT = "lait-specfixedex", "% of the school population"
NEWHAM = "E09000025"
HUGE = [1e27, -1e27, 1e300, 1.7976931348623157e308]
STORED = [*HUGE, math.inf, -math.inf, math.nan]
CHART_SPEC = re.compile(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', re.S)
TOO_EARLY, TOO_LATE = "1999-12-31", "2101-01-01"


# ---- pages survive any stored value -------------------------------------------------


def store_directly(value: float) -> Observation:
    """A new latest revision written through the ORM, past every check, as an old import
    or a hand-edited database could have left it."""
    old = (
        Observation.private_objects.latest_revision()
        .filter(authority__code=LAMBETH, indicator__code=PERCENT, value__isnull=False)
        .order_by("-period__end")
        .first()
    )
    batch = ImportBatch.objects.create(
        file_name="huge.csv", sha256="0" * 64, size_bytes=1, origin="cli", rows_read=1, revised=1
    )
    Observation.private_objects.filter(pk=old.pk).update(is_latest=False)
    made = Observation.private_objects.create(
        authority=old.authority,
        indicator=old.indicator,
        period=old.period,
        revision=old.revision + 1,
        value=0,
        batch=batch,
    )
    # update() writes past the audit log too, which cannot hold a non-finite number.
    Observation.private_objects.filter(pk=made.pk).update(
        value=value, lower=-abs(value), upper=abs(value)
    )
    made.refresh_from_db()
    return made


def pages(o: Observation) -> list[tuple[str, dict[str, str]]]:
    code, group = PERCENT, {"focus": LAMBETH, "compare": "chosen", "authorities": LAMBETH}
    search = {"q": "Lambeth employment rate"}
    tables = [
        (f"/observations/{o.pk}/", {}),
        (f"/authorities/{LAMBETH}/", {}),
        (f"/indicators/{code}/", group),
        (f"/assessment/indicators/{code}/", {}),
        ("/search/", search),
    ]
    out = [(p, {**q, "format": f}) for p, q in tables for f in ("html", "csv", "json")]
    out += [
        (f"/observations/{o.pk}/revise/", {}),
        (f"/import/{o.batch_id}/", {}),
        (f"/assessment/authorities/{LAMBETH}/", {}),
        (f"/authorities/{LAMBETH}/neighbours/", {}),
        ("/api/v1/observations", {"indicator": code, "authority": LAMBETH}),
        (f"/api/v1/observations/{o.pk}", {}),
    ]
    return out


@pytest.mark.parametrize("value", STORED)
def test_every_page_showing_a_huge_stored_value_answers(analyst: Any, value: float) -> None:
    stored = store_directly(value)
    client = Client()
    client.force_login(analyst)
    answers = {f"{p} {q}": client.get(p, q) for p, q in pages(stored)}
    assert {k: r.status_code for k, r in answers.items()} == dict.fromkeys(answers, 200)
    for name, response in answers.items():
        if response["Content-Type"].startswith("application/json"):
            assert strictly_json(response.content), name
        for spec in CHART_SPEC.findall(response.content.decode()):
            assert strictly_json(spec.encode()), f"a chart on {name}"


def strictly_json(body: bytes) -> bool:
    """Whether `body` is JSON as RFC 8259 has it: NaN and Infinity are Python's, not JSON's."""
    try:
        json.loads(body, parse_constant=lambda constant: 1 / 0)
    except ZeroDivisionError:
        return False
    return True


@given(st.floats(allow_nan=True, allow_infinity=True), st.integers(-400, 400))
def test_formatting_a_number_never_fails(value: float, places: int) -> None:
    text = format_number(value, places)
    assert text is None or text.replace(",", "").lstrip("-").replace(".", "").isdigit()


@given(
    st.one_of(st.floats(), st.decimals(), st.integers(-(10**400), 10**400), st.text(max_size=8)),
    st.sampled_from(["GBP", "days", "items"]),
)
@example(Decimal("1E+999999"), "days")
@example(Decimal("1E+5000"), "GBP")
def test_the_report_filters_never_fail(value: object, unit: str) -> None:
    assert isinstance(amount(value, unit), str) and isinstance(percent(value), str)


@pytest.mark.parametrize("value", [10**400, -(10**400)])
def test_formatting_a_number_beyond_any_float_is_no_value(value: int) -> None:
    assert format_number(value, 1) is None


def test_a_huge_value_is_formatted_in_full() -> None:
    assert format_number(1e27, 1) == "1,000,000,000,000,000,000,000,000,000.0"


# ---- one range rule per unit ---------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "low", "high"),
    [
        ("%", 0, MAGNITUDE_LIMIT),
        ("% of pupils", 0, MAGNITUDE_LIMIT),
        ("Percentage", 0, MAGNITUDE_LIMIT),
        ("per cent of households", 0, MAGNITUDE_LIMIT),
        ("% gap", -MAGNITUDE_LIMIT, MAGNITUDE_LIMIT),
        ("percentage points", -MAGNITUDE_LIMIT, MAGNITUDE_LIMIT),
        ("score out of 10", 0, 10),
        ("£", -MAGNITUDE_LIMIT, MAGNITUDE_LIMIT),
        ("per 100,000 population", -MAGNITUDE_LIMIT, MAGNITUDE_LIMIT),
    ],
)
def test_each_unit_has_one_range(unit: str, low: float, high: float) -> None:
    assert (value_range(unit).low, value_range(unit).high) == (low, high)


@given(st.text(max_size=30), st.floats(allow_nan=True, allow_infinity=True))
def test_the_range_rule_refuses_exactly_what_lies_outside(unit: str, value: float) -> None:
    allowed = value_range(unit)
    inside = math.isfinite(value) and allowed.low <= value <= allowed.high
    assert (allowed.problem(value) is None) == inside
    assert -MAGNITUDE_LIMIT <= allowed.low <= allowed.high <= MAGNITUDE_LIMIT


PERCENTAGE_UNITS = st.sampled_from(
    ["%", " Percent", "per  cent", "PERCENTAGE", "% of pupils", "percentage of households"]
)


@given(PERCENTAGE_UNITS, st.floats(allow_nan=False, allow_infinity=False))
@example("%", 111.4)
@example("% of the school population", 289.55224)
@example("%", -0.0)
def test_a_percentage_is_refused_below_zero_and_never_over_100(unit: str, value: float) -> None:
    problem = value_range(unit).problem(value)
    if value < 0:
        assert problem is not None and problem.endswith(
            "is a percentage under 0: write a value of 0 or more"
        )
    else:
        assert (problem is None) == (value <= MAGNITUDE_LIMIT)


def test_the_import_page_states_the_rule(analyst: Any) -> None:
    assert "may not be negative, but may pass 100" in import_file_hint()
    client = Client()
    client.force_login(analyst)
    assert "may not be negative, but may pass 100" in client.get("/import/").content.decode()


@given(st.text(max_size=40))
def test_parse_value_gives_a_finite_number_or_says_why(text: str) -> None:
    try:
        parsed = parse_value(text)
    except ValueParseError as error:
        assert str(error)
    else:
        assert parsed.value is None or math.isfinite(parsed.value)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_parse_value_reads_back_every_finite_number(value: float) -> None:
    assert parse_value(repr(value)).value == value


def test_the_shipped_data_lies_within_its_ranges() -> None:
    units = dict(Indicator.objects.values_list("id", "unit"))
    rows = Observation.private_objects.values_list("indicator_id", "value", "lower", "upper")
    outside = [
        (units[i], x)
        for i, *numbers in rows.iterator()
        for x in numbers
        if x is not None and value_range(units[i]).problem(x)
    ]
    assert outside == []


# ---- the importer ---------------------------------------------------------------------


def import_rows(tmp_path: Path, rows: str, **options: Any) -> Any:
    path = tmp_path / "values.csv"
    path.write_text("authority,indicator,period,value,lower,upper,restricted until\n" + rows)
    return import_observations(path, origin="cli", **options)


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (f"{LAMBETH},{POUNDS},2031,1e27,,,", "value", "1e+27 is a value over"),
        (f"{LAMBETH},{POUNDS},2031,-1e27,,,", "value", "is a value under"),
        (f"{LAMBETH},{PERCENT},2031,-0.5,,,", "value", "-0.5 is a percentage under 0"),
        (f"{LAMBETH},{SHARE},2031,-2,,,", "value", "-2 is a percentage under 0"),
        (f"{LAMBETH},{SHARE},2031,2e15,,,", "value", "2,000,000,000,000,000 is a percentage over"),
        (f"{LAMBETH},{SCORE},2031,11,,,", "value", "11 is a score over 10"),
        (f"{LAMBETH},{PERCENT},2031,50,-3,60,", "lower", "-3 is a percentage under 0"),
        (f"{LAMBETH},{POUNDS},2031,5,1,1e300,", "upper", "is a value over"),
        (f"{LAMBETH},{PERCENT},2031,50,,,{TOO_EARLY}", "restricted until", TOO_EARLY),
        (f"{LAMBETH},{PERCENT},2031,50,,,{TOO_LATE}", "restricted until", TOO_LATE),
        (f"{LAMBETH},{PERCENT},2031,50,,,0001-01-01", "restricted until", "2000-01-01"),
    ],
)
def test_the_importer_refuses_values_outside_their_range(
    tmp_path: Path, share: Indicator, row: str, column: str, reason: str
) -> None:
    before = Observation.private_objects.count()
    report = import_rows(tmp_path, row + "\n")
    assert [(p.row, p.column) for p in report.problems] == [(2, column)]
    assert reason in report.problems[0].reason
    assert Observation.private_objects.count() == before


@pytest.fixture
def share() -> Indicator:
    return IndicatorFactory(code=SHARE, unit=SHARE_UNIT, polarity="lower")


def test_the_importer_accepts_the_ends_of_each_range(tmp_path: Path, share: Indicator) -> None:
    rows = (
        f"{LAMBETH},{PERCENT},2031,0,0,100,2000-01-01\n{LAMBETH},{PERCENT},2032,1e15,,,2100-12-31\n"
        f"{LAMBETH},{SHARE},2031,0,0,1e15,\n"
        f"{LAMBETH},{POUNDS},2031,1e15,-1e15,1e15,\n{LAMBETH},{SCORE},2031,10,0,10,\n"
    )
    report = import_rows(tmp_path, rows)
    assert report.ok and report.created == 5, report.problems


def test_real_percentages_over_100_import(tmp_path: Path, share: Indicator) -> None:
    """A rate per hundred passes 100: Newham's special school suspensions in 2015/16 as
    LAIT publishes them, and a bare-% value of 111.4."""
    rows = f"{NEWHAM},{SHARE},2015/16,111.42857,,,\n{LAMBETH},{PERCENT},2031,111.4,100.2,122.6,\n"
    report = import_rows(tmp_path, rows)
    assert report.ok and report.created == 2, report.problems
    stored = Observation.private_objects.latest_revision().filter(
        indicator__code__in=[SHARE, PERCENT]
    )
    assert sorted(stored.filter(value__gt=100).values_list("value", flat=True)) == [
        111.4,
        111.42857,
    ]


@pytest.mark.parametrize("until", [datetime.date(1999, 12, 31), datetime.date(2101, 1, 1)])
def test_the_importer_refuses_a_restricted_until_option_out_of_range(
    tmp_path: Path, until: datetime.date
) -> None:
    before = Observation.private_objects.count()
    report = import_rows(tmp_path, f"{LAMBETH},{PERCENT},2031,50,,,\n", restricted_until=until)
    assert [(p.column, p.value) for p in report.problems] == [
        ("restricted until", until.isoformat())
    ]
    assert Observation.private_objects.count() == before


@pytest.mark.parametrize("until", [TOO_EARLY, TOO_LATE])
def test_the_cli_refuses_a_restricted_until_option_out_of_range(tmp_path: Path, until: str) -> None:
    path = tmp_path / "values.csv"
    path.write_text(f"authority,indicator,period,value\n{LAMBETH},{PERCENT},2031,50\n")
    before = Observation.private_objects.count()
    with pytest.raises(CommandError):
        call_command("import_observations", str(path), "--restricted-until", until)
    assert Observation.private_objects.count() == before


@pytest.mark.parametrize("until", [TOO_EARLY, TOO_LATE])
def test_the_import_page_refuses_a_restricted_until_out_of_range(analyst: Any, until: str) -> None:
    rows = f"authority,indicator,period,value\n{LAMBETH},{PERCENT},2031,50\n".encode()
    client = Client()
    client.force_login(analyst)
    jobs = ImportJob.objects.count()
    response = client.post(
        "/import/",
        {"file": SimpleUploadedFile("values.csv", rows), "restricted_until": until},
    )
    assert response.status_code == 200
    assert "2000-01-01" in response.context["form"].errors["restricted_until"][0]
    assert ImportJob.objects.count() == jobs


# ---- the correction form and the API --------------------------------------------------


@pytest.fixture
def officer() -> Any:
    return create_person("lambeth-values", "pw-lambeth-12", [RoleSpec.parse(f"officer:{LAMBETH}")])


def latest(code: str) -> Observation:
    return (
        Observation.private_objects.latest_revision()
        .filter(authority__code=LAMBETH, indicator__code=code, value__isnull=False)
        .order_by("-period__end")
        .first()
    )


REFUSED = [
    (POUNDS, {"value": "1e27"}, "value"),
    (PERCENT, {"value": "-1"}, "value"),
    (PERCENT, {"lower": "-1", "upper": "40"}, "lower"),
    (POUNDS, {"upper": "1e300"}, "upper"),
    (PERCENT, {"restricted_until": TOO_EARLY}, "restricted_until"),
    (PERCENT, {"restricted_until": TOO_LATE}, "restricted_until"),
]


@pytest.mark.parametrize(("code", "change", "field"), REFUSED)
def test_the_correction_form_refuses_out_of_range_fields(
    officer: Any, code: str, change: dict[str, str], field: str
) -> None:
    own = latest(code)
    client = Client()
    client.force_login(officer)
    form = {"value": "33.3", "status": "", "reason": "A typo in the return", **change}
    response = client.post(f"/observations/{own.pk}/revise/", form)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert latest(code).pk == own.pk


def post_revision(officer: Any, pk: int, body: str) -> Any:
    _, raw = issue_token(officer, "script")
    return Client().post(
        f"/api/v1/observations/{pk}/revisions",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )


@pytest.mark.parametrize(("code", "change", "field"), REFUSED)
def test_the_api_refuses_out_of_range_fields(
    officer: Any, code: str, change: dict[str, str], field: str
) -> None:
    own = latest(code)
    as_json = {k: (v if k == "restricted_until" else float(v)) for k, v in change.items()}
    body = json.dumps({"value": 33.3, "reason": "A typo in the return", **as_json})
    response = post_revision(officer, own.pk, body)
    assert response.status_code == 422
    assert field in response.content.decode()
    assert latest(code).pk == own.pk


def test_the_api_accepts_a_percentage_over_100(officer: Any) -> None:
    own = latest(PERCENT)
    body = json.dumps({"value": 111.4, "lower": 100.2, "upper": 122.6, "reason": "Rate per 100"})
    response = post_revision(officer, own.pk, body)
    assert response.status_code == 201, response.content
    assert latest(PERCENT).value == 111.4


@pytest.mark.parametrize("number", ["Infinity", "-Infinity", "NaN", "1e309"])
@pytest.mark.parametrize("field", ["value", "lower", "upper"])
def test_the_api_refuses_non_finite_numbers_with_the_field_named(
    officer: Any, number: str, field: str
) -> None:
    own = latest(PERCENT)
    fields = {"value": "33.3", "reason": '"A typo"', field: number}
    body = "{" + ", ".join(f'"{k}": {v}' for k, v in fields.items()) + "}"
    response = post_revision(officer, own.pk, body)
    assert response.status_code == 422
    assert field in response.content.decode()
    assert latest(PERCENT).pk == own.pk


@given(st.dates())
def test_the_restricted_until_rule_keeps_to_2000_to_2100(day: datetime.date) -> None:
    inside = datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31)
    assert (restricted_until_problem(day) is None) == inside


@pytest.mark.parametrize("value", [1e300, -1e300, math.inf, math.nan])
def test_an_assessment_run_over_a_huge_stored_value_and_its_pages_answer(
    analyst: Any, value: float
) -> None:
    store_directly(value)
    call_command("assess", "--method", "ambition-default", "--period", "2023", stdout=io.StringIO())
    run = AssessmentRun.objects.order_by("-pk").first()
    client = Client()
    client.force_login(analyst)
    paths = [
        f"/assessment/runs/{run.pk}/",
        f"/assessment/authorities/{LAMBETH}/",
        f"/assessment/indicators/{PERCENT}/",
        "/assessment/",
    ]
    answers = {p: client.get(p).status_code for p in paths}
    assert answers == dict.fromkeys(paths, 200)
