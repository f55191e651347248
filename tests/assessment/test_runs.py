"""Assessment runs on the shipped data: reproducible to the byte, never edited, judgement
recorded with who and why, and every number traceable to the rows behind it."""

from __future__ import annotations

import datetime
import io
import json
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.core.management import call_command

from ambition.accounts.people import RoleSpec, create_person
from ambition.assessment.engine.run import area_scores, assess, band, current_periods
from ambition.assessment.engine.trends import trends
from ambition.assessment.frames import indicator_frame, observation_frame
from ambition.assessment.making import make_run, member_codes, neighbour_peers, parse_as_of
from ambition.assessment.methodology import MethodologyError, load, parse
from ambition.assessment.models import AssessmentRun, Judgement, RunArea, RunIndicator, RunRating
from ambition.indicators.models import Observation
from ambition.registry.models import Authority

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
LAMBETH = "E09000022"


def test_the_same_inputs_give_byte_identical_results() -> None:
    first = make_run("ambition-default", TODAY)
    second = make_run("ambition-default", TODAY)
    assert first.pk != second.pk
    assert first.results_sha256 == second.results_sha256
    assert first.data_fingerprint == second.data_fingerprint
    assert first.method_sha256 == load("ambition-default").sha256
    rows = [
        list(
            RunRating.objects.filter(run=run)
            .order_by("authority__code")
            .values_list("authority__code", "stars", "direction", "weak_areas", "held_back")
        )
        for run in (first, second)
    ]
    assert rows[0] == rows[1]


def test_a_run_is_never_edited() -> None:
    run = make_run("ambition-default", TODAY)
    run.method_version = "changed"
    with pytest.raises(ValueError, match="never changed"):
        run.save()
    assert AssessmentRun.objects.get(pk=run.pk).method_version != "changed"


def test_an_earlier_period_reads_only_data_to_its_end() -> None:
    run = make_run("ambition-default", datetime.date(2019, 12, 31))
    assert run.observations == observation_frame(until=datetime.date(2019, 12, 31)).height
    assert run.observations < observation_frame().height
    assert run.data_fingerprint != make_run("ambition-default", TODAY).data_fingerprint


def test_every_member_gets_a_rating_row_and_scores_follow_the_bands() -> None:
    run = make_run("ambition-default", TODAY)
    assert set(RunRating.objects.filter(run=run).values_list("authority__code", flat=True)) == set(
        member_codes()
    )
    bands = load("ambition-default").score_bands
    for area in RunArea.objects.filter(run=run, score__isnull=False):
        expected = (
            4
            if area.mean_quartile >= bands[0]
            else 3
            if area.mean_quartile >= bands[1]
            else 2
            if area.mean_quartile >= bands[2]
            else 1
        )
        assert area.score == expected
        assert area.coverage >= 0.5


def test_an_area_score_is_the_weighted_mean_of_the_indicator_quartiles_behind_it() -> None:
    run = make_run("ambition-default", TODAY)
    area = RunArea.objects.filter(run=run, authority__code=LAMBETH, score__isnull=False).first()
    assert area is not None
    quartiles = RunIndicator.objects.filter(
        run=run,
        authority__code=LAMBETH,
        indicator__service_area=area.area,
        quartile__isnull=False,
    ).values_list("quartile", flat=True)
    assert len(quartiles) == area.indicators
    assert area.mean_quartile == pytest.approx(sum(quartiles) / len(quartiles))


def test_the_gla_and_fire_authority_are_not_rated_and_say_why() -> None:
    run = make_run("ambition-default", TODAY)
    for code in ("E61000001", "E31000046"):
        rating = RunRating.objects.get(run=run, authority__code=code)
        assert rating.stars is None and rating.missing


def test_a_rating_explains_itself() -> None:
    run = make_run("ambition-default", TODAY)
    rated = RunRating.objects.filter(run=run, stars__isnull=False)
    assert rated.count() >= 30
    for rating in rated:
        assert rating.rule_id and rating.rule_text
        assert rating.direction
        if rating.stars < 4:
            assert rating.to_next_star, rating.authority_id
            assert all(n["stars"] > rating.stars for n in rating.to_next_star)


def test_cpa_needs_the_office_s_judgements_and_records_who_gave_them() -> None:
    analyst = create_person("judge", "judge-password-1", [RoleSpec.parse("analyst")])
    lambeth = Authority.objects.get(code=LAMBETH)
    before = make_run("cpa-2005", TODAY)
    assert RunRating.objects.get(run=before, authority=lambeth).stars is None
    for key, score in (("corporate_assessment", 3), ("use_of_resources", 3)):
        Judgement.objects.create(
            authority=lambeth,
            method="cpa-2005",
            key=key,
            score=score,
            reason="Corporate assessment inspection, March",
            entered_by=analyst,
        )
    after = make_run("cpa-2005", TODAY)
    rating = RunRating.objects.get(run=after, authority=lambeth)
    assert rating.stars is not None
    assert {p["key"] for p in rating.judgement_parts} == {
        "corporate_assessment",
        "use_of_resources",
    }
    assert [j["entered_by"] for j in after.judgements_used] == ["judge", "judge"]
    assert before.results_sha256 != after.results_sha256


def test_the_command_prints_the_run_and_its_provenance() -> None:
    out = io.StringIO()
    call_command("assess", "--method", "ambition-default", "--period", "2023", stdout=out)
    run = AssessmentRun.objects.order_by("-pk").first()
    text = out.getvalue()
    assert f"Assessment run {run.pk}" in text
    assert run.method_sha256 in text and run.data_fingerprint in text
    assert run.as_of == datetime.date(2023, 12, 31)


@pytest.mark.parametrize(
    ("text", "day"),
    [("2023", datetime.date(2023, 12, 31)), ("2021-03-31", datetime.date(2021, 3, 31))],
)
def test_periods_are_years_or_dates(text: str, day: datetime.date) -> None:
    assert parse_as_of(text) == day


def test_a_bad_period_or_method_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="not a year"):
        parse_as_of("last year")
    with pytest.raises(MethodologyError, match="there are: ambition-default, cpa-2005"):
        load("cpa-2099")


def test_a_methodology_missing_a_field_names_it(tmp_path: object) -> None:
    method = load("ambition-default")
    path = method.path.parent / "broken.toml"
    shutil.copytree(method.path.parent, tmp_path / "methods")  # type: ignore[operator]
    path = tmp_path / "methods" / "broken.toml"  # type: ignore[operator]
    path.write_text(method.text.replace("coverage = 0.5\n", ""))
    with pytest.raises(MethodologyError, match=r"broken.toml \[scores\]: `coverage` is missing"):
        parse(path)


# The engine alone, on small frames whose answers can be worked by hand.


def test_current_period_ignores_a_first_early_return() -> None:
    obs = pl.DataFrame(
        {
            "authority": ["A", "B", "C", "A"],
            "indicator": ["x"] * 4,
            "period": ["2020", "2020", "2020", "2021"],
            "t": [2020.99, 2020.99, 2020.99, 2021.99],
            "value": [1.0, 2.0, 3.0, 4.0],
        }
    )
    assert current_periods(obs)["period"].to_list() == ["2020"]


def test_bands_give_the_nearest_whole_score() -> None:
    frame = pl.DataFrame({"m": [1.0, 1.49, 1.5, 2.5, 3.49, 3.5, 4.0]})
    scored = frame.select(score=band(pl.col("m"), (3.5, 2.5, 1.5)))
    assert scored["score"].to_list() == [1, 1, 2, 3, 3, 4, 4]


def test_an_area_below_its_coverage_is_insufficient_data_not_a_score() -> None:
    rules = load("ambition-default").rules()
    weights = pl.DataFrame(
        {"indicator": ["a", "b", "c", "d"], "area": ["health"] * 4, "weight": [1.0] * 4}
    )
    results = pl.DataFrame(
        {
            "authority": ["X", "X", "Y", "Y", "Y", "Y"],
            "indicator": ["a", "b", "a", "b", "c", "d"],
            "n": [10] * 6,
            "quartile": [4, None, 4, 3, 2, 1],
            "persistent_bottom": [False] * 6,
        },
        schema_overrides={"quartile": pl.Int64},
    )
    areas = area_scores(results, weights, ["X", "Y"], rules).filter(pl.col("area") == "health")
    scores = dict(areas.select("authority", "score").rows())
    assert scores == {"X": None, "Y": 3}  # X: 1 of 4 indicators; Y: mean 2.5 rounds up to 3


def test_the_engine_is_a_pure_function_of_its_frames() -> None:
    obs, indicators = observation_frame(), indicator_frame()
    members = member_codes()
    rules = load("ambition-default").rules()
    once = assess(obs, indicators, members, members, rules)
    shuffled = obs.sample(fraction=1.0, shuffle=True, seed=7)
    assert assess(shuffled, indicators, members, members, rules).digest() == once.digest()
    assert json.loads(once.targets["holding_back"][0]) == sorted(
        once.ratings.filter(pl.col("stars") < 2)["authority"].to_list()
    )


def test_a_method_may_place_each_council_among_its_own_nearest_neighbours(
    tmp_path: Path, settings: Any
) -> None:
    shutil.copytree(Path(settings.DATA_DIR) / "methodologies", tmp_path / "methodologies")
    path = tmp_path / "methodologies" / "ambition-default.toml"
    path.write_text(
        path.read_text().replace('group = "members"', 'group = "nearest-neighbours"\nk = 5')
    )
    settings.DATA_DIR = tmp_path
    run = make_run("ambition-default", TODAY)
    row = RunIndicator.objects.filter(run=run, authority__code=LAMBETH, n__isnull=False).first()
    assert row is not None and row.n <= 6  # Lambeth and its five nearest
    assert RunRating.objects.filter(run=run).count() == len(member_codes())
    # Children's services name their own neighbours (alike in their children): ranked among them.
    peers = neighbour_peers([LAMBETH], load("ambition-default"))
    own = set(peers.filter(pl.col("area") == "childrens-services")["peer"])
    general = set(peers.filter(pl.col("area") == "")["peer"])
    assert len(own) == len(general) == 5 and own != general
    child = RunIndicator.objects.filter(
        run=run,
        authority__code=LAMBETH,
        indicator__service_area__code="childrens-services",
        n__isnull=False,
    ).first()
    reported = Observation.private_objects.latest_revision().filter(
        indicator=child.indicator,
        period__label=child.period,
        value__isnull=False,
        authority__code__in=[LAMBETH, *own],
    )
    assert child.n == reported.count()


def test_an_indicator_target_is_measured_and_names_who_misses_it(
    tmp_path: Path, settings: Any
) -> None:
    shutil.copytree(Path(settings.DATA_DIR) / "methodologies", tmp_path / "methodologies")
    path = tmp_path / "methodologies" / "ambition-default.toml"
    code = "lait-agency-social-workers"  # lower is better
    path.write_text(path.read_text() + f'\n[targets.indicators]\n"{code}" = 15.0\n')
    settings.DATA_DIR = tmp_path
    run = make_run("ambition-default", TODAY)
    rows = RunIndicator.objects.filter(run=run, indicator__code=code, value__isnull=False)
    missing = sorted(r.authority.code for r in rows if r.value > 15.0)
    assert all(r.target == 15.0 and r.gap == pytest.approx(15.0 - r.value) for r in rows)
    target = run.targets.get(target__startswith=code)
    assert target.holding_back == missing
    assert target.value == pytest.approx((rows.count() - len(missing)) / rows.count())


def test_the_source_s_intervals_decide_a_trend_where_it_gives_them() -> None:
    obs = observation_frame(indicators=["ons-employment-rate"], authorities=[LAMBETH])
    assert obs["lower"].is_not_null().any()
    indicators = indicator_frame(["ons-employment-rate"]).with_columns(
        polarity=pl.lit(1, dtype=pl.Int8)  # the source states none; given one for the test
    )
    assert trends(obs, indicators)["evidence"].to_list() == ["confidence intervals"]
