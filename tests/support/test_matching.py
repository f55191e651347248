"""The broker on the database: real members, real assessment runs, the demo's illustrative
requests and offers. Accepted matches stay, declined pairs never return, a supporter weak in
an area is never proposed there, and every proposal explains itself."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from ambition.assessment.making import make_run
from ambition.assessment.models import AssessmentRun, RunArea
from ambition.support import demo
from ambition.support.matching import Superseded, decide, gather, match_support, weights
from ambition.support.models import Match, SupportOffer, SupportRequest

TODAY = datetime.date.today()
LAMBETH, SOUTHWARK = "E09000022", "E09000028"

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_support(db: None) -> dict[str, int]:
    make_run("ambition-default", datetime.date(2021, 12, 31))
    make_run("ambition-default", TODAY)
    return demo.load()


def test_the_demo_loads_labelled_requests_and_offers_once(demo_support: dict[str, int]) -> None:
    assert demo_support["requests"] == 8 and demo_support["offers"] >= 10
    assert all(r.problem.startswith("Illustrative") for r in SupportRequest.objects.all())
    assert demo.load() == {"requests": 0, "offers": 0, "people": 0}
    prompted = SupportRequest.objects.exclude(prompted_by_area=None)
    assert prompted.exists()
    for r in prompted:
        assert r.prompted_by_area.authority_id == r.authority_id
        assert r.prompted_by_area.weak or r.prompted_by_area.score == 1


def test_a_run_proposes_within_every_limit_and_explains_each_match(
    demo_support: dict[str, int],
) -> None:
    run = match_support(None, "command")
    matches = list(run.matches.select_related("request__authority", "supporter"))
    assert matches and run.solver_status.startswith("OPTIMAL")
    used = weights()
    for m in matches:
        assert m.supporter_id != m.request.authority_id
        assert m.supporter not in m.request.avoid.all()
        assert m.score == pytest.approx(sum(used[p] * v for p, v in m.parts.items()), abs=1e-5)
        assert set(m.parts) == set(used)
    by_request: dict[int, int] = {}
    for m in matches:
        by_request[m.request_id] = by_request.get(m.request_id, 0) + m.days
    for request_id, days in by_request.items():
        assert days <= SupportRequest.objects.get(pk=request_id).staff_days
    for offer in SupportOffer.objects.all():
        given = sum(
            m.days
            for m in matches
            if m.supporter_id == offer.authority_id
            and m.request.service_area_id == offer.service_area_id
            and m.request.kind == offer.kind
        )
        assert given <= offer.staff_days
    loads: dict[int, int] = {}
    for m in matches:
        loads[m.supporter_id] = loads.get(m.supporter_id, 0) + m.days
    assert max(loads.values()) <= run.fairness_cap


def test_southwark_recovered_in_adult_social_care_and_is_proposed_to_lambeth(
    demo_support: dict[str, int],
) -> None:
    run = match_support(None, "command")
    lambeth = run.matches.filter(
        request__authority__code=LAMBETH, request__service_area__code="adult-social-care"
    )
    southwark = lambeth.get(supporter__code=SOUTHWARK)
    assert southwark.parts["experience"] == pytest.approx(0.9)  # weak, then scores 3
    assert southwark.parts["neighbour"] == 1.0  # they share a boundary
    assert southwark.score == max(m.score for m in lambeth)


def test_accepted_matches_stay_and_declined_pairs_never_return(
    demo_support: dict[str, int],
) -> None:
    first = match_support(None, "command")
    keep, drop = list(first.matches.order_by("-score")[:2])
    decide(keep, None, accept=True)
    decide(drop, None, accept=False)
    second = match_support(None, "command")
    again = second.matches.all()
    assert not again.filter(request=drop.request, supporter=drop.supporter).exists()
    # The accepted match is not proposed again: it is kept as agreed, and its days count.
    assert not again.filter(request=keep.request, supporter=keep.supporter).exists()
    assert Match.objects.get(pk=keep.pk).state == Match.State.ACCEPTED
    offered = sum(m.days for m in again.filter(request=keep.request)) + keep.days
    assert offered <= keep.request.staff_days


def test_a_proposal_of_an_older_run_cannot_be_decided(demo_support: dict[str, int]) -> None:
    old = match_support(None, "command").matches.first()
    match_support(None, "command")
    with pytest.raises(Superseded):
        decide(old, None, accept=True)
    assert Match.objects.get(pk=old.pk).state == Match.State.PROPOSED


def test_a_request_fully_agreed_is_matched_and_leaves_the_next_run(
    demo_support: dict[str, int],
) -> None:
    run = match_support(None, "command")
    request = next(
        r
        for r in SupportRequest.objects.all()
        if sum(m.days for m in run.matches.filter(request=r)) == r.staff_days
    )
    for m in run.matches.filter(request=request):
        decide(m, None, accept=True)
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.MATCHED
    assert request.pk not in match_support(None, "command").requests


def test_a_supporter_weak_in_the_area_is_never_proposed(demo_support: dict[str, int]) -> None:
    latest = AssessmentRun.objects.of(settings.SUPPORT_METHOD, "members").latest_run()
    weak = RunArea.objects.filter(run=latest, weak=True, area__code="adult-social-care").first()
    assert weak is not None, "the latest run has a member weak in adult social care"
    SupportOffer.objects.create(
        authority=weak.authority,
        service_area=weak.area,
        kind="peer-review",
        staff_days=100,
        year=gather(weights(), TODAY, 1.0).year,
    )
    inputs = gather(weights(), TODAY, 1.0)
    assert (weak.authority.code, "adult-social-care") in inputs.problem.weak
    run = match_support(None, "command")
    assert not run.matches.filter(
        supporter=weak.authority, request__service_area=weak.area
    ).exists()


def test_the_command_prints_the_run_and_its_shortfalls(
    demo_support: dict[str, int], capsys: Any
) -> None:
    call_command("match_support")
    out = capsys.readouterr().out
    assert "Broker run" in out and "OPTIMAL" in out and "Southwark" in out
