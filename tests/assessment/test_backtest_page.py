"""The early-warning backtest page: the performance office sees every method against the naive
rule, the pick, and a calibration chart with its table; the figures are the engine's and
downloadable; the second visit is served from the cache; no one else may see it."""

from __future__ import annotations

import json
import time
from typing import Any

import polars as pl
import pytest
from django.core.cache import cache
from django.test import Client

from ambition.accounts.people import RoleSpec, create_person
from ambition.assessment.engine.forecast import backtest
from ambition.assessment.frames import indicator_frame, observation_frame
from ambition.assessment.making import member_codes
from ambition.assessment.methodology import load
from tests.pages import body_rows, page
from tests.web.test_charts import valid

PAGE = "/assessment/warnings/backtest/"


@pytest.fixture
def office(analyst: Any) -> Client:
    cache.clear()
    client = Client()
    client.force_login(analyst)
    return client


def members_backtest() -> Any:
    method = load("ambition-default")
    indicators = indicator_frame().filter(pl.col("indicator").str.starts_with("lait-"))
    obs = observation_frame(indicators["indicator"].to_list(), member_codes())
    return backtest(obs, indicators, method.warning_window, method.warning_cutoff)


def test_the_office_sees_every_method_the_pick_and_the_calibration(office: Client) -> None:
    doc = page(office, PAGE, group="members")
    result = members_backtest()
    shown = {
        row.attrs["data-method"]: row for row in body_rows(doc.find("table", data_table="methods"))
    }
    assert set(shown) == {m.label for m in result.methods}
    for method, row in shown.items():
        score = result.score(method)
        assert row.find("td", data_brier="").text == f"{score['brier']:.3f}"
        assert row.find("td", data_f1="").text == f"{score['f1']:.3f}"
    verdict = doc.find("div", data_section="verdict")
    pick = result.pick()
    if pick:
        assert verdict.find("strong", data_pick="").text == pick
    else:
        assert "No method beats the naive rule" in verdict.text
    assert "This methodology uses logistic" in verdict.text
    calibration = body_rows(doc.find("table", data_table="calibration"))
    assert len(calibration) == result.calibration.height
    script = doc.find("script", id="calibration-chart-spec")
    spec = valid(json.loads(script.text))
    assert "calibration table" in spec["description"]


def test_the_tables_download_and_the_second_visit_is_quick(office: Client) -> None:
    started = time.perf_counter()
    office.get(PAGE, {"group": "members"})
    first = time.perf_counter() - started
    started = time.perf_counter()
    found = office.get(PAGE, {"group": "members", "format": "json", "table": "calibration"})
    second = time.perf_counter() - started
    assert second < max(0.5, first / 2)
    body = json.loads(found.content)
    summary = json.loads(office.get(PAGE, {"group": "members", "format": "json"}).content)
    totals = {r["method"]: r["cases"] for r in summary["rows"] if r["scope"] == "all"}
    per_method: dict[str, int] = {}
    for row in body["rows"]:
        per_method[row["method"]] = per_method.get(row["method"], 0) + row["cases"]
    assert per_method == totals and body["cutoff"] == load("ambition-default").warning_cutoff
    assert office.get(PAGE, {"group": "mars"}).status_code == 404


@pytest.mark.parametrize("role", ["resident", "officer"])
def test_no_one_but_the_office_may_see_it(role: str, db: None) -> None:
    specs = {"resident": [], "officer": ["officer:E09000022"]}[role]
    person = create_person(
        f"not-{role}", "password-not-office-1", [RoleSpec.parse(s) for s in specs]
    )
    client = Client()
    client.force_login(person)
    assert client.get(PAGE).status_code == 403
    assert Client().get(PAGE).status_code == 302
