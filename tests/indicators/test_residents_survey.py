"""A council's own residents' survey: the counts per answer become shares with Wilson
intervals, stored as observations of residents' indicators with the counts kept; bad files
are refused whole, with every problem's row and column; a re-run changes nothing; the demo's
made-up surveys say they are illustrative on every page that shows them."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambition.indicators.intervals import wilson_interval
from ambition.indicators.models import (
    ImportBatch,
    Indicator,
    Observation,
    ResidentsSurvey,
    SurveyAnswerCount,
)
from ambition.indicators.residents import (
    columns_of,
    definition,
    import_residents_survey,
    parse_survey,
)
from ambition.indicators.validation import ImportReport
from ambition.registry.models import Authority
from tests.pages import page

LAMBETH = "E09000022"
DEMO = Path(__file__).resolve().parents[2] / "data" / "residents-surveys"


def write(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["period", "question", "answer", "respondents"], *rows])
    return path


def full_survey(period: str = "2024/25", seed: int = 1) -> list[list[object]]:
    rng = random.Random(seed)
    return [
        [period, q.key, answer, rng.randint(0, 400)]
        for q in definition().questions
        for answer in q.answers
    ]


def observations(authority: str = LAMBETH) -> dict[str, Observation]:
    found = Observation.public_objects.latest_revision().filter(
        authority__code=authority, indicator__code__startswith="residents-"
    )
    return {o.indicator.code: o for o in found.select_related("indicator")}


# The parser alone.


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["2023/24", "2024/25"]),
            st.sampled_from([q.key for q in definition().questions]),
            st.integers(min_value=0, max_value=10**6),
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda t: (t[0], t[1]),
    )
)
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_the_parser_reads_back_every_count_in_any_order(cases: list) -> None:  # type: ignore[type-arg]
    survey = definition()
    rows, expected = [], {}
    for period, key, base in cases:
        question = survey.find(key)
        assert question is not None
        counts = {a: base % (i + 7) + i for i, a in enumerate(question.answers)}
        expected[(period, key)] = counts
        rows.extend([period, key, a.upper(), f"{n:,}"] for a, n in counts.items())
    random.Random(len(rows)).shuffle(rows)
    report = ImportReport("t.csv")
    header = ["Respondents", "answer", "QUESTION", "period"]
    where = columns_of(header, report)
    assert where is not None
    numbered = [(i, [r[3], r[2], r[1], r[0]]) for i, r in enumerate(rows, start=2)]
    tallies = parse_survey(numbered, where, report, survey)
    assert report.ok, report.problems
    assert {k: t.counts for k, t in tallies.items()} == expected
    for tally in tallies.values():
        value, lower, upper = tally.share()
        assert 0 <= lower <= value <= upper <= 100


@given(st.lists(st.text(max_size=12), max_size=5))
def test_the_parser_never_crashes_and_reports_rows_it_refuses(cells: list[str]) -> None:
    report = ImportReport("t.csv")
    where = {"period": 0, "question": 1, "answer": 2, "respondents": 3}
    tallies = parse_survey([(2, cells)], where, report, definition())
    assert all(p.row == 2 for p in report.problems)
    assert report.ok or not tallies


# The import.


@pytest.mark.django_db
def test_a_survey_imports_as_shares_with_wilson_intervals_and_keeps_the_counts(
    tmp_path: Path,
) -> None:
    rows = full_survey()
    report = import_residents_survey(write(tmp_path / "s.csv", rows), LAMBETH, origin="cli")
    assert report.ok, report.problems
    assert (report.created, report.revised, report.observations) == (6, 0, 6)
    found = observations()
    assert len(found) == 6
    for q in definition().questions:
        counts = {r[2]: int(r[3]) for r in rows if r[1] == q.key}  # type: ignore[call-overload]
        positive, n = sum(counts[a] for a in q.positive), sum(counts.values())
        lower, upper = wilson_interval(positive, n)
        o = found[q.indicator]
        assert o.value == pytest.approx(100 * positive / n)
        assert (o.lower, o.upper) == pytest.approx((100 * lower, 100 * upper))
        kept = SurveyAnswerCount.objects.filter(
            survey__batch=o.batch, survey__authority=o.authority, indicator=o.indicator
        )
        assert {c.answer: c.respondents for c in kept} == counts
        assert {c.answer for c in kept if c.positive} == q.positive
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert batch.layout == "survey" and batch.file_name == "s.csv"
    assert not ResidentsSurvey.objects.get(batch=batch).illustrative


@pytest.mark.django_db
def test_a_rerun_changes_nothing_and_a_changed_count_is_a_revision(tmp_path: Path) -> None:
    rows = full_survey()
    path = write(tmp_path / "s.csv", rows)
    first = import_residents_survey(path, LAMBETH, origin="cli")
    again = import_residents_survey(path, LAMBETH, origin="cli")
    assert (again.created, again.revised, again.unchanged, again.batch_id) == (0, 0, 6, None)
    assert ResidentsSurvey.objects.filter(authority__code=LAMBETH).count() == 1
    trust = next(i for i, r in enumerate(rows) if r[1] == "trust" and r[2] == "a great deal")
    rows[trust][3] = int(rows[trust][3]) + 25  # type: ignore[call-overload]
    revised = import_residents_survey(write(path, rows), LAMBETH, origin="cli")
    assert (revised.created, revised.revised, revised.unchanged) == (0, 1, 5)
    o = observations()["residents-trust-council"]
    assert o.revision == 2
    # The new counts are with the new batch; the old ones stay with the old.
    new = SurveyAnswerCount.objects.get(survey__batch=o.batch, answer="a great deal")
    old = SurveyAnswerCount.objects.get(
        survey__batch_id=first.batch_id, indicator=o.indicator, answer="a great deal"
    )
    assert new.respondents == old.respondents + 25


@pytest.mark.django_db
def test_every_problem_is_reported_with_its_row_and_column_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    rows: list[list[object]] = [
        ["2024/25", "trust", "a great deal", "10"],
        ["2024/25", "trust", "a little", "3"],  # row 3: not an answer
        ["2024/25", "happiness", "very", "3"],  # row 4: not a question
        ["2024/25", "council", "very satisfied", "ten"],  # row 5: not a number
        ["2024/25", "trust", "A great deal", "4"],  # row 6: given twice
        ["", "council", "very satisfied", "4"],  # row 7: no period
        ["2024/25", "keeps-informed", "don't know", "0"],  # row 8: no one answered
        ["1999/99", "local-area", "very satisfied", "4"],  # row 9: not a period
    ]
    before = Observation.private_objects.count(), SurveyAnswerCount.objects.count()
    report = import_residents_survey(write(tmp_path / "bad.csv", rows), LAMBETH, origin="cli")
    assert not report.ok
    found = {(p.row, p.column) for p in report.problems}
    assert {
        (3, "answer"),
        (4, "question"),
        (5, "respondents"),
        (6, "answer"),
        (7, "period"),
        (8, "respondents"),
    } <= found
    assert (Observation.private_objects.count(), SurveyAnswerCount.objects.count()) == before
    # Once the rows read, a period the store cannot read is reported at its survey row.
    only_period = import_residents_survey(
        write(tmp_path / "p.csv", [rows[-1]]), LAMBETH, origin="cli"
    )
    assert [(p.row, p.column) for p in only_period.problems] == [(2, "period")]


@pytest.mark.django_db
def test_a_file_without_the_columns_or_for_an_unknown_authority_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("period,question,count\n2024/25,trust,3\n", encoding="utf-8")
    report = import_residents_survey(path, LAMBETH, origin="cli")
    assert [(p.row, p.column) for p in report.problems] == [(1, "answer"), (1, "respondents")]
    unknown = import_residents_survey(
        write(tmp_path / "s.csv", full_survey()), "E09999999", origin="cli"
    )
    assert {p.column for p in unknown.problems} == {"authority"}
    assert not observations("E09999999")


@pytest.mark.django_db
def test_a_council_officer_imports_only_for_their_own_council(tmp_path: Path) -> None:
    """`writable`, as the import page gives it for a council officer: their own council."""
    lambeth = Authority.objects.get(code=LAMBETH)
    path = write(tmp_path / "s.csv", full_survey())
    mine = frozenset([lambeth.pk])
    refused = import_residents_survey(path, "E09000007", origin="page", writable=mine)
    assert {(p.row, p.reason) for p in refused.problems} == {
        (0, "you may not write for this authority")
    }
    assert import_residents_survey(path, LAMBETH, origin="page", writable=mine).ok


@pytest.mark.django_db
def test_the_command_imports_and_refuses_with_the_problems(tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", full_survey())
    call_command("import_residents_survey", LAMBETH, str(path), "--dry-run", stdout=io.StringIO())
    assert not observations()
    call_command("import_residents_survey", LAMBETH, str(path), stdout=io.StringIO())
    assert len(observations()) == 6
    bad = write(tmp_path / "bad.csv", [["2024/25", "trust", "maybe", "3"]])
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_residents_survey", LAMBETH, str(bad), stdout=io.StringIO())


# The shipped catalogue and the demo.


@pytest.mark.django_db
def test_the_survey_based_indicators_carry_their_intervals_and_method_notes() -> None:
    survey_based = Indicator.objects.exclude(survey="")
    assert {
        "ons-wellbeing-life-satisfaction",
        "ons-employment-rate",
        "ons-median-weekly-pay",
    } <= set(survey_based.values_list("code", flat=True))
    assert all(i.method_note for i in survey_based)
    views = set(Indicator.objects.filter(residents_view=True).values_list("code", flat=True))
    assert "ons-wellbeing-anxiety" in views and "ons-median-weekly-pay" not in views
    assert {q.indicator for q in definition().questions} <= views
    # The ONS survey estimates keep the source's intervals.
    for code in ("ons-wellbeing-life-satisfaction", "ons-employment-rate", "ons-adult-obesity"):
        shown = Observation.public_objects.latest_revision().filter(
            indicator__code=code, value__isnull=False
        )
        assert shown.filter(lower__isnull=False, upper__isnull=False).count() > 0.9 * shown.count()


@pytest.mark.django_db
def test_the_demo_surveys_are_illustrative_and_their_shares_are_their_counts() -> None:
    files = sorted(DEMO.glob("E*.csv"))
    assert len(files) >= 3
    surveys = ResidentsSurvey.objects.filter(illustrative=True)
    assert {s.authority.code for s in surveys} == {f.name.split("-")[0] for f in files}
    for o in Observation.public_objects.latest_revision().filter(
        indicator__code__startswith="residents-"
    ):
        counts = SurveyAnswerCount.objects.filter(
            survey__batch=o.batch,
            survey__authority=o.authority,
            survey__period=o.period,
            indicator=o.indicator,
        )
        positive = sum(c.respondents for c in counts if c.positive)
        assert o.value == pytest.approx(100 * positive / sum(c.respondents for c in counts))


@pytest.mark.django_db
def test_every_page_showing_the_demo_survey_says_it_is_illustrative(client: Client) -> None:
    o = observations("E09000007")["residents-trust-council"]
    for url in (
        o.indicator.get_absolute_url(),
        f"/observations/{o.pk}/",
        "/authorities/E09000007/",
    ):
        assert page(client, url).find_all("div", data_illustrative=""), url
    # A page without made-up values does not say so.
    assert not page(client, "/authorities/E09000001/").find_all("div", data_illustrative="")


@pytest.mark.django_db
def test_the_indicator_page_shows_the_method_note_and_the_answers_behind_a_share(
    client: Client,
) -> None:
    satisfaction = page(client, "/indicators/ons-wellbeing-life-satisfaction/")
    method = satisfaction.find("div", data_section="method").text
    assert "Residents' view" in method and "Annual Population Survey" in method
    o = observations("E09000007")["residents-satisfied-local-area"]
    answers = page(client, f"/observations/{o.pk}/").find("table", data_table="answers")
    assert "Very satisfied" in answers.text and "Don't know" in answers.text
    download = client.get(f"/observations/{o.pk}/?table=answers&format=csv")
    assert download.status_code == 200
    assert download.content.decode().count("\n") == 1 + 6
