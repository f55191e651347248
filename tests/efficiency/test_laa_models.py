"""Local area agreements in the store: who sees which, the rules of a valid agreement and
target (each refusal naming its field, nothing half-written), and progress and rewards
computed from the stored observations by the engine, with the methodology's settings."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from ambition.assessment.engine.forecast import TREND
from ambition.assessment.methodology import default_method
from ambition.efficiency import agreements
from ambition.efficiency.agreements import AgreementError, due, judge, with_targets
from ambition.efficiency.laa import ACHIEVED, AT_RISK, MISSED, NOT_ENOUGH_DATA
from ambition.efficiency.models import AgreementTarget, LocalAreaAgreement
from ambition.efficiency.models.agreements import reward_rules, rule_choices
from ambition.indicators.models import Indicator, Observation
from ambition.indicators.periods import decimal_year
from ambition.registry.models import Authority

from ..accounts.factories import UserFactory
from ..indicators.factories import IndicatorFactory
from ..registry.factories import CAMDEN, LAMBETH, SOUTHWARK, AuthorityFactory
from .factories import PSA_RULE, AgreementTargetFactory, LocalAreaAgreementFactory

pytestmark = pytest.mark.django_db


def stored(code: str, indicator: str, period: str) -> Decimal:
    found = (
        Observation.public_objects.latest_revision()
        .filter(authority__code=code, indicator__code=indicator, period__label=period)
        .get()
    )
    return Decimal(repr(found.value))


def judged_alone(target: AgreementTarget) -> agreements.TargetProgress:
    one = LocalAreaAgreement.objects.filter(pk=target.agreement_id)
    return judge(with_targets(one))[0].targets[0]


def test_an_officer_sees_their_own_councils_agreements_and_the_office_and_board_all() -> None:
    lambeth = LocalAreaAgreementFactory()
    camden = LocalAreaAgreementFactory(authority=AuthorityFactory(code=CAMDEN))
    for role in ("analyst", "board", "administrator"):
        seen = LocalAreaAgreement.objects.visible_to(UserFactory(roles=[role]))
        assert {lambeth, camden} <= set(seen)
    own = LocalAreaAgreement.objects.visible_to(UserFactory(roles=[f"officer:{LAMBETH}"]))
    assert list(own) == [lambeth]
    other = LocalAreaAgreement.objects.visible_to(UserFactory(roles=[f"officer:{SOUTHWARK}"]))
    assert not other.exists()
    assert not LocalAreaAgreement.objects.visible_to(UserFactory()).exists()


def test_the_policys_codenames_are_the_models_permissions() -> None:
    officer = UserFactory(roles=[f"officer:{LAMBETH}"])
    lambeth = Authority.objects.get(code=LAMBETH)
    southwark = Authority.objects.get(code=SOUTHWARK)
    assert officer.has_perm("efficiency.view_laa", lambeth)
    assert officer.has_perm("efficiency.add_laa", lambeth)
    assert not officer.has_perm("efficiency.add_laa", southwark)
    codenames = {c for c, _ in LocalAreaAgreement._meta.permissions}
    assert {"view_laa", "add_laa"} <= codenames


def fields(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "start_year": 2008,
        "end_year": 2010,
        "title": "Lambeth local area agreement",
        "reward_rule": PSA_RULE,
    }
    return {**values, **changes}


def target(**changes: object) -> dict[str, object]:
    """A target's fields, its indicator named by code (looked up by `stored_in`)."""
    values: dict[str, object] = {
        "indicator": "recycling-rate",
        "baseline": Decimal("25"),
        "baseline_period": "2007/08",
        "stretch": Decimal("30"),
        "target_year": 2010,
        "reward_max": Decimal("100000.00"),
    }
    return {**values, **changes}


def stored_in(fields: dict[str, object]) -> dict[str, object]:
    return {**fields, "indicator": Indicator.objects.get(code=str(fields["indicator"]))}


@pytest.mark.parametrize(
    ("agreement", "targets", "field"),
    [
        (fields(end_year=2007), [], "end_year"),
        (fields(reward_rule="by-the-hour"), [], "reward_rule"),
        (fields(start_year=1990), [], "start_year"),
        (fields(), [target(target_year=2011)], "targets[0].target_year"),
        (fields(), [target(stretch=Decimal("20"))], "targets[0].stretch"),
        (fields(), [target(stretch=Decimal("25"))], "targets[0].stretch"),
        (fields(), [target(reward_max=Decimal("-1.00"))], "targets[0].reward_max"),
        (fields(), [target(reward_max=Decimal("1.001"))], "targets[0].reward_max"),
        (fields(), [target(), target(stretch=Decimal("31"))], "targets[1].indicator"),
    ],
)
def test_a_bad_agreement_is_refused_naming_the_field_and_nothing_is_written(
    agreement: dict[str, object], targets: list[dict[str, object]], field: str
) -> None:
    lambeth = Authority.objects.get(code=LAMBETH)
    partners = [{"kind": "police", "name": "Metropolitan Police Service"}]
    with pytest.raises(AgreementError) as refused:
        agreements.make_agreement(lambeth, agreement, partners, [stored_in(t) for t in targets])
    assert field in refused.value.errors
    assert not LocalAreaAgreement.objects.filter(authority=lambeth).exists()


def test_a_lower_is_better_indicator_wants_a_stretch_below_its_baseline() -> None:
    """The methodology states that less greenhouse gas is better (its source states none):
    a stretch above the baseline is no stretch."""
    gas = Indicator.objects.get(code="ons-greenhouse-gas-per-capita")
    assert gas.polarity == ""
    assert default_method().stated_polarity[gas.code] == "lower"
    lambeth = Authority.objects.get(code=LAMBETH)
    up = target(indicator=gas.code, baseline=Decimal("5.65"), stretch=Decimal("6"))
    with pytest.raises(AgreementError) as refused:
        agreements.make_agreement(lambeth, fields(), [], [stored_in(up)])
    assert "targets[0].stretch" in refused.value.errors
    down = target(indicator=gas.code, baseline=Decimal("5.65"), stretch=Decimal("5"))
    made = agreements.make_agreement(lambeth, fields(), [], [stored_in(down)])
    assert judged_alone(made.targets.get()).direction == -1


def test_a_second_agreement_starting_the_same_year_is_refused_by_its_start_year() -> None:
    LocalAreaAgreementFactory()
    with pytest.raises(AgreementError) as refused:
        agreements.make_agreement(Authority.objects.get(code=LAMBETH), fields(), [], [])
    assert list(refused.value.errors) == ["start_year"]


def test_an_agreements_rule_is_one_of_the_files() -> None:
    assert dict(rule_choices())[PSA_RULE] == reward_rules()[PSA_RULE].name
    assert LocalAreaAgreementFactory().rule.threshold == Decimal("0.60")


def test_progress_and_reward_from_the_stored_recycling_rate() -> None:
    """Lambeth's recycling rate, 25% in 2007/08: a stretch of 30% by 2010-11 is missed at
    28% in 2010/11, 60% of the way, which the rule pays at 60%."""
    made = AgreementTargetFactory(baseline=stored(LAMBETH, "recycling-rate", "2007/08"))
    latest = stored(LAMBETH, "recycling-rate", "2010/11")
    row = judged_alone(made)
    assert (row.status, row.latest_period) == (MISSED, "2010/11")
    assert Decimal(repr(row.latest_value)) == latest
    share = (latest - made.baseline) / (made.stretch - made.baseline)
    assert row.share == share == Decimal("0.6")
    assert row.expected_reward == Decimal("60000.00")
    assert row.forecast is None and row.p_miss is None  # decided: nothing to forecast


def test_a_met_stretch_is_achieved_and_earns_the_whole_reward_no_more() -> None:
    made = AgreementTargetFactory(stretch=Decimal("27"), reward_max=Decimal("123456.78"))
    row = judged_alone(made)
    assert row.status == ACHIEVED and row.share is not None and row.share > 1
    assert row.expected_reward == Decimal("123456.78")


def test_an_open_target_is_judged_by_the_forecast_for_its_year() -> None:
    """An agreement running beyond the stored data: the forecast for the end of its year,
    by the methodology's window, with an interval and the chance of missing."""
    last = (
        Observation.public_objects.latest_revision()
        .filter(authority__code=LAMBETH, indicator__code="recycling-rate")
        .exclude(value__isnull=True)
        .order_by("-period__end")
        .select_related("period")
        .first()
    )
    assert last is not None and last.value is not None
    year = last.period.end.year + 3
    agreement = LocalAreaAgreementFactory(start_year=year - 1, end_year=year)
    made = AgreementTargetFactory(
        agreement=agreement,
        baseline=Decimal(repr(last.value)),
        baseline_period=last.period.label,
        stretch=Decimal(repr(last.value)) + 40,
        target_year=year,
    )
    row = judged_alone(made)
    assert row.status == AT_RISK
    assert row.lower is not None and row.upper is not None and row.forecast is not None
    assert row.lower < row.forecast < row.upper
    assert row.p_miss is not None and 0.5 < row.p_miss <= 1
    assert row.expected_reward == Decimal("0.00")  # the latest value is the baseline
    assert due(year) == decimal_year(datetime.date(year + 1, 3, 31))


def test_no_stored_value_is_not_enough_data_and_earns_nothing_yet() -> None:
    empty = IndicatorFactory(code="laa-test-nothing-stored", polarity="higher")
    row = judged_alone(AgreementTargetFactory(indicator=empty))
    assert row.status == NOT_ENOUGH_DATA
    assert (row.latest_value, row.share, row.expected_reward) == (None, None, Decimal("0.00"))
    assert row.series == []


def test_the_forecast_settings_are_the_methodologys() -> None:
    method = default_method()
    settings = agreements.progress_settings()
    assert settings.window == method.warning_window
    # The methodology warns by a classifier; a target's value is forecast by the trend.
    assert method.warning_method.name == "logistic" and settings.method == TREND


def test_an_agreements_totals_are_its_targets_to_the_penny() -> None:
    agreement = LocalAreaAgreementFactory()
    AgreementTargetFactory(agreement=agreement, reward_max=Decimal("100000.01"))
    employment = Indicator.objects.get(code="ons-employment-rate")
    AgreementTargetFactory(
        agreement=agreement,
        indicator=employment,
        baseline=Decimal("67.8"),
        baseline_period="2007",
        stretch=Decimal("71"),
        reward_max=Decimal("0.99"),
    )
    progress = judge(with_targets(LocalAreaAgreement.objects.filter(pk=agreement.pk)))[0]
    assert progress.reward_max == Decimal("100001.00")
    rewards = [t.expected_reward for t in progress.targets]
    # 60% of 100,000.01 is 60,000.006: half up to the penny, 60,000.01.
    assert rewards == [Decimal("0.99"), Decimal("60000.01")]
    assert progress.expected_reward == Decimal("60001.00")
