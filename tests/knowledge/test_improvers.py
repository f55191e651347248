"""Who improved on this: the ranking of a stored run's trends (pure), the tiers on a real
run of the shipped data, and the page that shows them."""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterator

import polars as pl
import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from ambition.assessment.making import make_run
from ambition.assessment.models import AssessmentRun, RunArea, RunIndicator
from ambition.indicators.models import Indicator, ServiceArea
from ambition.knowledge.improvers import (
    ENGLAND,
    MEMBERS,
    NEIGHBOURS,
    ROW_SCHEMA,
    improved_in,
    improved_on,
    ranked,
    ranked_in_area,
    sign_of,
)
from ambition.registry.models import Authority
from ambition.web import charts

from .factories import CaseStudyFactory

LAMBETH = "E09000022"
METHOD = "ambition-default"

trend_rows = st.lists(
    st.tuples(
        st.integers(1, 40),
        st.floats(-100, 100, allow_nan=False),
        st.sampled_from(["improving", "worsening", "no significant change", None]),
    ),
    max_size=30,
    unique_by=lambda r: r[0],
)


def frame(rows: list[tuple[int, float, str | None]]) -> pl.DataFrame:
    shaped = [(a, 1.0, "2024", slope, 0.5, trend, "mann-kendall", 5) for a, slope, trend in rows]
    return pl.DataFrame(shaped, schema=ROW_SCHEMA, orient="row")


@given(trend_rows, st.sampled_from(["higher", "lower"]), st.integers(1, 10))
def test_only_those_getting_better_are_ranked_significant_first_then_by_gain(
    rows: list[tuple[int, float, str | None]], polarity: str, most: int
) -> None:
    sign = sign_of(polarity)
    out = ranked(frame(rows), sign, most)
    better = [(a, s * sign, t == "improving") for a, s, t in rows if s * sign > 0]
    expected = sorted(better, key=lambda r: (not r[2], -r[1], r[0]))[:most]
    assert out["authority"].to_list() == [a for a, _, _ in expected]
    assert out["gain"].to_list() == [g for _, g, _ in expected]
    assert all(g > 0 for g in out["gain"].to_list())


@given(trend_rows)
def test_without_a_stated_polarity_nobody_is_getting_better(
    rows: list[tuple[int, float, str | None]],
) -> None:
    assert ranked(frame(rows), sign_of("")).is_empty()


def test_lower_is_better_turns_a_falling_trend_into_a_gain() -> None:
    rows = frame([(1, -2.0, "improving"), (2, 3.0, "worsening"), (3, -0.5, None)])
    out = ranked(rows, sign_of("lower"))
    assert out["authority"].to_list() == [1, 3]
    assert out["gain"].to_list() == [2.0, 0.5]


def test_an_area_counts_each_authoritys_improving_and_worsening_indicators() -> None:
    rows = pl.DataFrame(
        {
            "authority": [1, 1, 1, 2, 2, 3, 3],
            "improving": [1, 1, 0, 1, 0, 0, 0],
            "worsening": [0, 0, 1, 0, 1, 1, 0],
            "trend_n": [5, 5, 5, 4, 2, 5, None],
        }
    )
    out = ranked_in_area(rows)
    assert out.select("authority", "improving", "worsening", "judged").rows() == [(1, 2, 1, 3)]


@pytest.fixture
def members_run(db: None) -> Iterator[AssessmentRun]:
    yield make_run(METHOD, datetime.date.today())


def _gain_of(run: AssessmentRun, indicator: Indicator, authority: Authority, sign: int) -> float:
    row = RunIndicator.objects.get(run=run, indicator=indicator, authority=authority)
    return float(row.slope) * sign


def _an_indicator_with_improvers(run: AssessmentRun) -> Indicator:
    improving = RunIndicator.objects.filter(run=run, improving=True).exclude(
        authority__code=LAMBETH
    )
    return Indicator.objects.get(pk=improving.values_list("indicator_id", flat=True).first())


@pytest.mark.django_db
def test_the_tiers_read_the_stored_run_and_list_each_authority_once(
    members_run: AssessmentRun,
) -> None:
    indicator = _an_indicator_with_improvers(members_run)
    lambeth = Authority.objects.get(code=LAMBETH)
    answer = improved_on(indicator, lambeth)
    assert [t.key for t in answer.tiers] == [NEIGHBOURS, MEMBERS, ENGLAND]
    by_key = {t.key: t for t in answer.tiers}
    assert by_key[ENGLAND].run is None and "--scope england" in by_key[ENGLAND].missing
    listed = [i.authority.pk for t in answer.tiers for i in t.improvers]
    assert listed and len(listed) == len(set(listed)) and lambeth.pk not in listed
    sign = sign_of(answer.polarity)
    for tier in answer.tiers:
        for i in tier.improvers:
            assert tier.run == members_run
            assert i.gain == pytest.approx(_gain_of(members_run, indicator, i.authority, sign))
            assert i.gain > 0
    # The members' first is the best of those not already listed as neighbours.
    members = by_key[MEMBERS].improvers
    if members:
        near = {i.authority.pk for i in by_key[NEIGHBOURS].improvers}
        stored = RunIndicator.objects.filter(run=members_run, indicator=indicator).exclude(
            authority_id__in=near | {lambeth.pk}
        )
        best = max(
            (r for r in stored if r.slope is not None and r.slope * sign > 0),
            key=lambda r: (r.trend == "improving", r.slope * sign),
        )
        assert members[0].authority.pk == best.authority_id


@pytest.mark.django_db
def test_without_a_run_every_tier_says_why(db: None) -> None:
    indicator = Indicator.objects.filter(service_area__isnull=False).first()
    assert indicator is not None
    answer = improved_on(indicator, None)
    assert answer.count == 0
    assert all(t.missing for t in answer.tiers)
    assert "Choose a council" in answer.tiers[0].missing


@pytest.mark.django_db
def test_a_service_area_ranks_by_indicators_improving_less_worsening(
    members_run: AssessmentRun,
) -> None:
    area = ServiceArea.objects.get(
        pk=RunIndicator.objects.filter(run=members_run, improving=True)
        .values_list("indicator__service_area", flat=True)
        .first()
    )
    answer = improved_in(area, None)
    improvers = [i for t in answer.tiers for i in t.improvers]
    assert improvers
    for i in improvers:
        stored = RunIndicator.objects.filter(
            run=members_run, authority=i.authority, indicator__service_area=area
        )
        assert i.improving == stored.filter(improving=True).count()
        assert i.worsening == stored.filter(worsening=True).count()
        assert i.improving > i.worsening


@pytest.mark.django_db
def test_the_page_its_section_and_its_download(client: Client, members_run: AssessmentRun) -> None:
    indicator = _an_indicator_with_improvers(members_run)
    url = f"/knowledge/improved/?indicator={indicator.code}&authority={LAMBETH}"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Who improved on" in text and 'data-tier="members"' in text
    assert f"Who improved on {charts.mid_sentence(indicator.name)}" in html.unescape(text)
    assert "mann-kendall" not in text  # the test named in words: "by the Mann-Kendall test"
    section = client.get(url, headers={"HX-Request": "true"})
    assert section.status_code == 200 and b"<h1" not in section.content
    assert "HX-Request" in section["Vary"]
    csv = client.get(url + "&format=csv")
    assert csv.status_code == 200 and csv.content.decode().startswith("Group,")
    assert client.get("/knowledge/improved/").status_code == 400
    assert client.get("/knowledge/improved/?indicator=no-such-thing").status_code == 404


@pytest.mark.django_db
def test_the_scorecard_links_each_weak_area_and_warning_to_who_improved(
    client: Client, members_run: AssessmentRun
) -> None:
    weak = RunArea.objects.filter(run=members_run, weak=True).select_related("authority").first()
    assert weak is not None, "the shipped data leaves some member with a weak service area"
    page = client.get(f"/assessment/authorities/{weak.authority.code}/").content.decode()
    link = f"/knowledge/improved/?area={weak.area.code}&amp;authority={weak.authority.code}"
    assert link in page
    answer = client.get(link.replace("&amp;", "&"))
    assert answer.status_code == 200
    assert f"Who improved on {weak.area.name.lower()}" in answer.content.decode()


@pytest.mark.django_db
def test_an_improvers_published_case_study_shows_and_a_draft_does_not(
    client: Client, members_run: AssessmentRun
) -> None:
    indicator = _an_indicator_with_improvers(members_run)
    first = next(i for t in improved_on(indicator, None).tiers for i in t.improvers).authority
    area = indicator.service_area
    published = CaseStudyFactory(
        title="What they did, published",
        lead=first,
        service_area=area,
        status="published",
        published_on=datetime.date(2025, 4, 1),
    )
    draft = CaseStudyFactory(title="What they did, a draft", lead=first, service_area=area)
    improver = next(
        i for t in improved_on(indicator, None).tiers for i in t.improvers if i.authority == first
    )
    assert improver.case_studies == [published]
    page = client.get(f"/knowledge/improved/?indicator={indicator.code}").content.decode()
    assert published.title in page and draft.title not in page


@pytest.mark.django_db
def test_the_indicator_page_offers_the_section_and_htmx_loads_it(
    client: Client, members_run: AssessmentRun
) -> None:
    indicator = _an_indicator_with_improvers(members_run)
    page = client.get(f"/indicators/{indicator.code}/?focus={LAMBETH}").content.decode()
    address = f"/knowledge/improved/?indicator={indicator.code}&amp;authority={LAMBETH}"
    assert f'hx-get="{address}"' in page and f'href="{address}"' in page
    section = client.get(address.replace("&amp;", "&"), headers={"HX-Request": "true"})
    assert 'data-tier="neighbours"' in section.content.decode()
