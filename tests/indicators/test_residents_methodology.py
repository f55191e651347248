"""Residents' measures count like any other indicator: a methodology may score a service area
of them and set the partnership a target on one, while the default methodology, which names
no such area, is unchanged by their being in the store."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from ambition.assessment.making import make_run
from ambition.assessment.methodology import load
from ambition.assessment.models import RunArea, RunIndicator
from ambition.indicators.models import Indicator

pytestmark = pytest.mark.django_db
CAMDEN = "E09000007"
TARGET = 60.0
EXTRA = f"""
[[areas]]
code = "residents-views"

[targets.indicators]
residents-satisfied-council = {TARGET}
"""


@pytest.fixture
def with_residents_method(tmp_path: Path, settings: Any) -> str:
    """The shipped data with one more methodology: the default plus a residents' area and a
    target on satisfaction with the council. (The default already states that higher life
    satisfaction is better, so a residents' measure counts in its health area.)"""
    shipped = Path(settings.DATA_DIR)
    for entry in shipped.iterdir():
        if entry.name != "methodologies":
            (tmp_path / entry.name).symlink_to(entry)
    methods = tmp_path / "methodologies"
    shutil.copytree(shipped / "methodologies", methods)
    text = (methods / "ambition-default.toml").read_text(encoding="utf-8")
    text = text.replace('name = "ambition-default"', 'name = "residents-test"', 1)
    (methods / "residents-test.toml").write_text(text + EXTRA, encoding="utf-8")
    settings.DATA_DIR = tmp_path
    return "residents-test"


def test_a_methodology_scores_a_residents_area_and_sets_a_target_on_one(
    with_residents_method: str,
) -> None:
    method = load(with_residents_method)
    assert method.indicator_targets == {"residents-satisfied-council": TARGET}
    run = make_run(with_residents_method, datetime.date.today())
    area = RunArea.objects.get(run=run, authority__code=CAMDEN, area__code="residents-views")
    assert area.score is not None and area.indicators == 6
    council = RunIndicator.objects.get(
        run=run, authority__code=CAMDEN, indicator__code="residents-satisfied-council"
    )
    assert council.target == TARGET and council.quartile is not None
    assert council.gap == pytest.approx(council.value - TARGET)
    wellbeing = RunIndicator.objects.get(
        run=run, authority__code=CAMDEN, indicator__code="ons-wellbeing-life-satisfaction"
    )
    assert wellbeing.quartile is not None
    assert Indicator.objects.get(code="ons-wellbeing-life-satisfaction").residents_view


def test_the_default_methodology_leaves_residents_measures_out() -> None:
    """Its areas are named, and none of them is residents' views: its results are as before."""
    assert "residents-views" not in {a.code for a in load("ambition-default").areas}
    run = make_run("ambition-default", datetime.date.today())
    assert not RunIndicator.objects.filter(run=run, indicator__code__startswith="residents-")
    assert not RunArea.objects.filter(run=run, area__code="residents-views")
    assert settings.DATA_DIR  # the shipped data, untouched by the test above
