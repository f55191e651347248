"""A local area agreement target's chart is valid Vega-Lite, draws, carries its
description, shows the forecast while the target is open, and copes with no data."""

from __future__ import annotations

from decimal import Decimal

import altair as alt
import jsonschema
import pytest
import vl_convert

from ambition.efficiency.agreement_charts import target_chart
from ambition.efficiency.agreements import TargetProgress, judge, with_targets
from ambition.efficiency.models import AgreementTarget, LocalAreaAgreement

from ..indicators.factories import IndicatorFactory
from .factories import AgreementTargetFactory, LocalAreaAgreementFactory

pytestmark = pytest.mark.django_db
SCHEMA = alt.vegalite.schema.core.load_schema()


def judged(target: AgreementTarget) -> TargetProgress:
    one = LocalAreaAgreement.objects.filter(pk=target.agreement_id)
    return judge(with_targets(one))[0].targets[0]


def test_a_decided_targets_chart_is_valid_and_says_what_it_shows() -> None:
    spec = target_chart(judged(AgreementTargetFactory()), "Recycling")
    jsonschema.validate(spec, SCHEMA)
    assert "baseline 25 and the stretch target 30 for 2010-11" in spec["description"]
    assert "Forecast" not in spec["description"]
    assert vl_convert.vegalite_to_svg(spec).startswith("<svg")


def test_an_open_targets_chart_shows_the_forecast_and_its_interval() -> None:
    agreement = LocalAreaAgreementFactory(start_year=2040, end_year=2041)
    target = AgreementTargetFactory(agreement=agreement, target_year=2041, stretch=Decimal("90"))
    spec = target_chart(judged(target), "Recycling")
    jsonschema.validate(spec, SCHEMA)
    assert "Forecast for the end of the target year" in spec["description"]
    assert vl_convert.vegalite_to_svg(spec).startswith("<svg")


def test_a_target_with_no_values_charts_no_data() -> None:
    empty = IndicatorFactory(code="laa-chart-nothing-stored", polarity="higher")
    spec = target_chart(judged(AgreementTargetFactory(indicator=empty)), "Nothing")
    jsonschema.validate(spec, SCHEMA)
    assert "No data" in spec["description"]
