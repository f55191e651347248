"""A peer review moves one stage forward at a time, each move logged; its team must come
from several authorities, with officers and members of more than one party, before it
goes on site; reporting writes the team's days to the ledger; and the indicators of the
area are read either side of the visit from the real data."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest

from ambition.indicators.models import Indicator, ServiceArea
from ambition.indicators.periods import add_months
from ambition.registry.models import Authority
from ambition.support.models import (
    STAGE_ORDER,
    LedgerEntry,
    PeerReview,
    ReviewStage,
    ReviewTeamMember,
    StageChange,
    SupportKind,
)
from ambition.support.outcomes import BETTER, SAME, UNKNOWN, WORSE, before_and_after, summary
from ambition.support.review_lifecycle import (
    StageError,
    add_team_member,
    advance,
    progress_review_due,
    received_by,
    request_review,
    team_problems,
)

pytestmark = pytest.mark.django_db
LAMBETH, SOUTHWARK, CAMDEN, HACKNEY = "E09000022", "E09000028", "E09000007", "E09000012"
ON_SITE = datetime.date(2019, 6, 3)


def authority(code: str) -> Authority:
    return Authority.objects.get(code=code)


def new_review(code: str = LAMBETH, area: str = "adult-social-care") -> PeerReview:
    return request_review(
        authority(code),
        ServiceArea.objects.get(code=area),
        "Illustrative: delayed discharges doubled",
        20,
        (datetime.date(2019, 4, 1), datetime.date(2019, 9, 30)),
    )


def full_team(review: PeerReview) -> None:
    add_team_member(review, "A. Officer", authority(SOUTHWARK), "officer", days=Decimal(5))
    add_team_member(review, "B. Member", authority(CAMDEN), "member", "Labour", Decimal(3))
    add_team_member(review, "C. Member", authority(HACKNEY), "member", "Conservative", Decimal(2))


def to_stage(review: PeerReview, stage: str) -> PeerReview:
    """Walk a review forward to `stage`, meeting each stage's preconditions on the way."""
    review.scope = "Hospital discharge and reablement"
    review.on_site_start, review.on_site_end = ON_SITE, ON_SITE + datetime.timedelta(days=3)
    review.report_text = "Illustrative report"
    review.action_plan_text = "Illustrative action plan"
    review.save()
    if not ReviewTeamMember.private_objects.filter(review=review).exists():
        full_team(review)
    while review.stage != stage:
        nxt = STAGE_ORDER[review.stage_index + 1]
        advance(review, nxt, note=f"to {nxt}")
        review.refresh_from_db()
    return review


def test_a_review_serves_a_peer_review_request() -> None:
    review = new_review()
    assert review.request.kind == SupportKind.PEER_REVIEW
    assert review.authority.code == LAMBETH
    assert review.stage == ReviewStage.REQUESTED


def test_it_moves_through_every_stage_in_order_and_logs_each_move() -> None:
    review = to_stage(new_review(), ReviewStage.CLOSED)
    changes = list(StageChange.objects.filter(review=review))
    assert [(c.from_stage, c.to_stage) for c in changes] == list(itertools.pairwise(STAGE_ORDER))
    assert all(c.note.startswith("to ") and c.at for c in changes)
    assert review.progress_review_due == datetime.date(2020, 4, 3)


def test_skipping_a_stage_is_refused_with_the_next_stage_named() -> None:
    review = new_review()
    with pytest.raises(StageError, match="next stage is Matched"):
        advance(review, ReviewStage.SCOPED)
    review.refresh_from_db()
    assert review.stage == ReviewStage.REQUESTED
    assert not StageChange.objects.filter(review=review).exists()


def test_moving_back_is_refused() -> None:
    review = to_stage(new_review(), ReviewStage.SCOPED)
    with pytest.raises(StageError, match="cannot move back to Matched"):
        advance(review, ReviewStage.MATCHED)
    with pytest.raises(StageError, match="back to Scoped"):
        advance(review, ReviewStage.SCOPED)


def test_a_closed_review_goes_nowhere() -> None:
    review = to_stage(new_review(), ReviewStage.CLOSED)
    with pytest.raises(StageError, match="it is closed"):
        advance(review, ReviewStage.CLOSED)


def test_going_on_site_says_everything_the_team_lacks() -> None:
    review = to_stage(new_review(), ReviewStage.SCOPED)
    ReviewTeamMember.private_objects.filter(review=review).delete()
    add_team_member(review, "Solo Member", authority(CAMDEN), "member", "Labour")
    with pytest.raises(StageError) as refused:
        advance(review, ReviewStage.ON_SITE)
    message = str(refused.value)
    assert "at least 2 authorities (it has 1)" in message
    assert "at least one officer" in message
    assert "more than one party (it has 1)" in message
    add_team_member(review, "An Officer", authority(SOUTHWARK), "officer")
    add_team_member(review, "Other Member", authority(SOUTHWARK), "member", "Liberal Democrat")
    assert team_problems(review) == []
    advance(review, ReviewStage.ON_SITE)


def test_the_team_is_never_from_the_reviewed_authority_and_members_name_a_party() -> None:
    review = new_review()
    with pytest.raises(StageError, match="other authorities"):
        add_team_member(review, "Own Officer", authority(LAMBETH), "officer")
    with pytest.raises(StageError, match="party"):
        add_team_member(review, "No Party", authority(CAMDEN), "member", "")


def test_each_stage_checks_what_it_needs() -> None:
    review = new_review()
    advance(review, ReviewStage.MATCHED)
    with pytest.raises(StageError, match="scope is written"):
        advance(review, ReviewStage.SCOPED)
    review.scope = "Reablement"
    review.save()
    advance(review, ReviewStage.SCOPED)
    full_team(review)
    with pytest.raises(StageError, match="on-site dates"):
        advance(review, ReviewStage.ON_SITE)
    review.on_site_start = ON_SITE
    review.save()
    advance(review, ReviewStage.ON_SITE)
    with pytest.raises(StageError, match="report is attached"):
        advance(review, ReviewStage.REPORTED)


def test_reporting_records_each_team_members_days_once() -> None:
    review = to_stage(new_review(), ReviewStage.REPORTED)
    entries = LedgerEntry.objects.from_source("review", review.pk)
    gave = {(e.authority.code, e.amount) for e in entries.filter(direction="gave")}
    assert gave == {(SOUTHWARK, Decimal(5)), (CAMDEN, Decimal(3)), (HACKNEY, Decimal(2))}
    took = entries.filter(direction="took")
    assert {e.authority.code for e in took} == {LAMBETH}
    assert sum(e.amount for e in took) == Decimal(10)
    assert all(e.kind == "staff-days" and e.year == 2019 for e in entries)
    assert "A. Officer" not in " ".join(e.description for e in entries)  # no names
    to_stage(review, ReviewStage.CLOSED)
    assert LedgerEntry.objects.from_source("review", review.pk).count() == 6


def test_progress_review_is_about_ten_months_after_on_site() -> None:
    assert progress_review_due(datetime.date(2024, 1, 31)) == datetime.date(2024, 11, 30)
    assert add_months(datetime.date(2023, 5, 31), 9) == datetime.date(2024, 2, 29)


def test_lambeth_adult_social_care_before_and_after_a_review_in_2019() -> None:
    area = ServiceArea.objects.get(code="adult-social-care")
    rows = before_and_after(authority(LAMBETH), area.pk, ON_SITE, ON_SITE)
    assert {r.indicator.code for r in rows} == set(
        Indicator.objects.filter(service_area=area).values_list("code", flat=True)
    )
    compared = [r for r in rows if r.change != UNKNOWN]
    assert compared, "the shipped data has adult social care figures either side of 2019"
    for row in compared:
        assert row.before is not None and row.after is not None
        assert row.before.end < ON_SITE < row.after.end
        # The latest on each side: nothing in the series is later on its side.
        assert all(p.end <= row.before.end for p in row.series if p.end < ON_SITE)
        assert all(p.end <= row.after.end for p in row.series)
        rose = row.after.value > row.before.value
        if row.after.value == row.before.value:
            assert row.change == SAME
        elif row.indicator.polarity == "higher":
            assert row.change == (BETTER if rose else WORSE)
        elif row.indicator.polarity == "lower":
            assert row.change == (WORSE if rose else BETTER)
    better = sum(r.change == BETTER for r in compared)
    assert summary(rows) == f"{better} of {len(compared)} indicators better since the review"


def test_no_figures_after_a_visit_in_the_future() -> None:
    area = ServiceArea.objects.get(code="adult-social-care")
    rows = before_and_after(authority(SOUTHWARK), area.pk, datetime.date(2030, 1, 1))
    assert all(r.after is None and r.change == UNKNOWN for r in rows)
    assert summary(rows).startswith("No indicator")


def test_received_by_lists_the_review_with_its_supporters_and_outcome() -> None:
    review = to_stage(new_review(), ReviewStage.ACTION_PLAN)
    received = received_by(authority(LAMBETH), 2019)
    assert len(received) == 1
    got = received[0]
    assert got.kind == "peer-review"
    assert got.label == "Peer review of adult social care"
    assert got.supporters == ("Camden", "Hackney", "Southwark")
    assert got.days == Decimal(10)
    assert got.stage == "Action plan agreed"
    assert got.started == ON_SITE
    assert "indicator" in got.outcome
    assert got.url == f"/support/reviews/{review.pk}/"
    assert received_by(authority(SOUTHWARK), 2019) == []


def test_the_illustrative_demo_loads_once() -> None:
    from ambition.fund.models import Claim
    from ambition.support import demo_reviews
    from ambition.support.models import Secondment

    today = datetime.date(2026, 1, 15)
    demo_reviews.load(today)
    counts = (
        PeerReview.objects.count(),
        StageChange.objects.count(),
        ReviewTeamMember.private_objects.count(),
        Secondment.objects.count(),
        Claim.objects.count(),
        LedgerEntry.objects.count(),
    )
    demo_reviews.load(today)
    assert counts == (
        PeerReview.objects.count(),
        StageChange.objects.count(),
        ReviewTeamMember.private_objects.count(),
        Secondment.objects.count(),
        Claim.objects.count(),
        LedgerEntry.objects.count(),
    )
    stages = set(PeerReview.objects.values_list("stage", flat=True))
    assert {"requested", "scoped", "action-plan", "closed"} <= stages
    assert Secondment.objects.count() >= 2
    assert set(Claim.objects.values_list("state", flat=True)) == {
        "paid",
        "approved",
        "submitted",
        "refused",
    }
    for review in PeerReview.objects.all():
        assert review.request.problem.startswith("Illustrative")
    assert all(m.name.startswith("Illustrative") for m in ReviewTeamMember.private_objects.all())
    # Staff days balance across the partnership: each gift has its receipt.
    days = LedgerEntry.objects.filter(kind="staff-days")
    gave = sum(e.amount for e in days.filter(direction="gave"))
    assert gave == sum(e.amount for e in days.filter(direction="took")) > 0


def test_a_review_once_matched_leaves_the_brokers_open_requests_and_closing_closes_it() -> None:
    from ambition.support.matching.inputs import open_requests

    review = new_review()
    assert review.request in open_requests()
    to_stage(review, ReviewStage.MATCHED)
    review.request.refresh_from_db()
    assert review.request.status == "matched" and review.request not in open_requests()
    to_stage(review, ReviewStage.CLOSED)
    review.request.refresh_from_db()
    assert review.request.status == "closed"
