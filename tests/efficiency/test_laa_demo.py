"""The demo's local area agreements: three boroughs' of 2008-11, illustrative, loaded twice
to the same result, each baseline the stored value of its period, each target judged from
the stored observations."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from ambition.efficiency.agreements import judge, with_targets
from ambition.efficiency.laa import ACHIEVED, MISSED
from ambition.efficiency.models import AgreementPartner, AgreementTarget, LocalAreaAgreement
from ambition.indicators.models import Observation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_slate")]


def counts() -> tuple[int, int, int]:
    return (
        LocalAreaAgreement.objects.count(),
        AgreementPartner.objects.count(),
        AgreementTarget.objects.count(),
    )


def test_the_demo_agreements_load_once_and_again_change_nothing() -> None:
    call_command("load_efficiency_demo", stdout=io.StringIO())
    loaded = counts()
    out = io.StringIO()
    call_command("load_efficiency_demo", stdout=out)
    assert "0 local area agreements" in out.getvalue()
    assert counts() == loaded and loaded[0] == 3
    agreements = LocalAreaAgreement.objects.all()
    assert all(a.illustrative and (a.start_year, a.end_year) == (2008, 2010) for a in agreements)
    assert {p.name for p in AgreementPartner.objects.filter(kind="police")} == {
        "Metropolitan Police Service"
    }


def test_each_baseline_is_the_stored_value_and_each_target_is_judged() -> None:
    call_command("load_efficiency_demo", stdout=io.StringIO())
    for target in AgreementTarget.objects.select_related("agreement__authority", "indicator"):
        stored = Observation.public_objects.latest_revision().get(
            authority=target.agreement.authority,
            indicator=target.indicator,
            period__label=target.baseline_period,
        )
        assert target.baseline == Decimal(repr(stored.value)).quantize(Decimal("0.000001"))
    judged = judge(with_targets(LocalAreaAgreement.objects.all()))
    statuses = {t.status for p in judged for t in p.targets}
    assert statuses == {ACHIEVED, MISSED}  # 2008-11 is over, and its figures are in
    assert all(p.expected_reward <= p.reward_max for p in judged)
    assert sum(p.expected_reward for p in judged) > 0
