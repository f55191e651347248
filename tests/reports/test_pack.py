"""The review pack's content on the real data: the latest run's stars, direction, weak areas
and warnings exactly as stored; the ledger against the members' averages; support received;
meetings; and questions generated for the reasons they give."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from ambition.assessment.models import AssessmentRun, RunArea, RunRating, RunWarning
from ambition.reports.models import AgreedAction, Meeting
from ambition.reports.pack import basis_for, build_pack, build_partnership
from ambition.reports.pack.questions import review_questions
from ambition.support.bookkeeping import averages
from ambition.support.models import Secondment, SupportKind, SupportRequest
from ambition.support.review_lifecycle import ReceivedSupport

from .conftest import CAMDEN, LAMBETH, SOUTHWARK, TODAY, YEAR, authority, lend_days

pytestmark = pytest.mark.django_db


def pack_of(code: str = LAMBETH, today: datetime.date = TODAY):  # type: ignore[no-untyped-def]
    return build_pack(authority(code), basis_for(YEAR, today), chart=False)


def test_the_performance_is_the_latest_runs_as_stored(run: AssessmentRun) -> None:
    pack = pack_of()
    rating = RunRating.objects.get(run=run, authority__code=LAMBETH)
    p = pack.performance
    assert p is not None
    assert (p.run.id, p.run.method, p.run.method_sha256) == (run.pk, run.method, run.method_sha256)
    assert (p.stars, p.rule_id, p.direction) == (rating.stars, rating.rule_id, rating.direction)
    weak = RunArea.objects.filter(run=run, authority__code=LAMBETH, weak=True)
    assert {a.code for a in p.weak_areas} == set(weak.values_list("area__code", flat=True))
    warnings = RunWarning.objects.filter(run=run, authority__code=LAMBETH).order_by("position")
    assert [w.position for w in p.warnings] == list(warnings.values_list("position", flat=True))
    assert p.run.min_stars == 2  # the default method's partnership target


def test_a_newer_run_supersedes_the_older_in_the_pack(run: AssessmentRun) -> None:
    newer = AssessmentRun.objects.create(
        **{
            f.name: getattr(run, f.name)
            for f in AssessmentRun._meta.fields
            if f.name not in ("id", "created_at")
        }
    )
    assert pack_of().performance is None  # the newer run rated nobody
    assert build_partnership(basis_for(YEAR, TODAY), chart=False).run.id == newer.pk  # type: ignore[union-attr]


def test_without_a_run_the_pack_still_has_the_ledger_and_meetings() -> None:
    lend_days(SOUTHWARK, LAMBETH, 10)
    pack = pack_of()
    assert pack.performance is None
    staff = next(line for line in pack.give_take.lines if line.kind == "staff-days")
    assert (staff.gave, staff.took, staff.balance) == (0, 10, -10)


def test_the_ledger_is_set_against_the_members_averages() -> None:
    before = {line.kind: line for line in pack_of().give_take.lines}["staff-days"]
    lend_days(SOUTHWARK, LAMBETH, 40)
    lend_days(CAMDEN, LAMBETH, 10)
    lines = {line.kind: line for line in pack_of().give_take.lines}
    staff = lines["staff-days"]
    assert staff.took - before.took == 50 and staff.gave == before.gave
    assert (staff.mean_gave, staff.mean_took) == averages(YEAR)["staff-days"]
    assert abs(staff.mean_balance) < Decimal("0.01")  # what one member gives another takes
    assert staff.far_below
    southwark = {line.kind: line for line in pack_of(SOUTHWARK).give_take.lines}
    assert not southwark["staff-days"].far_below
    assert lines["backfill"].unit == "GBP"


def test_questions_are_asked_for_the_reasons_they_give(run: AssessmentRun) -> None:
    """For the member the run rates lowest (below the partnership's target of 2 stars, with
    weak areas): which member that is follows from the shipped data."""
    below = RunRating.objects.filter(run=run, stars__lt=2).order_by("stars", "authority__code")
    code = below.values_list("authority__code", flat=True).first()
    assert code is not None and code != SOUTHWARK, "no member below the target in the data"
    weak = list(RunArea.objects.filter(run=run, authority__code=code, weak=True))
    assert weak, "the lowest-rated member has no weak area"
    lend_days(SOUTHWARK, code, 40)
    asked = pack_of(code).questions
    reasons = " ".join(q.reason for q in asked)
    assert "below the target of 2" in reasons
    for area in weak:
        assert any(
            area.area.name in q.text and "no open support request" in q.reason for q in asked
        )
    assert any(q.section == "give-take" and "standard deviation" in q.reason for q in asked)
    assert any(q.section == "warnings" for q in asked)


def test_a_weak_area_with_a_live_support_request_asks_nothing_about_it(run: AssessmentRun) -> None:
    weak = RunArea.objects.filter(run=run, authority__code=LAMBETH, weak=True).first()
    assert weak is not None
    SupportRequest.objects.create(
        authority=authority(LAMBETH),
        service_area=weak.area,
        kind=SupportKind.MENTORING,
        problem="Illustrative",
        staff_days=5,
        window_start=datetime.date(2025, 5, 1),
        window_end=datetime.date(2025, 9, 1),
    )
    assert not any(weak.area.name in q.text for q in pack_of().questions)


def test_a_member_meeting_the_target_is_not_asked_about_its_stars(run: AssessmentRun) -> None:
    rated = RunRating.objects.filter(run=run, stars__gte=2).select_related("authority").first()
    assert rated is not None
    asked = pack_of(rated.authority.code).questions
    assert not any("target" in q.text for q in asked)


def test_an_overdue_progress_review_is_asked_about() -> None:
    def review(stage: str, on_site: datetime.date | None) -> ReceivedSupport:
        return ReceivedSupport(
            "peer-review", "Peer review of waste", ("Camden",), Decimal(10), stage, on_site, "", "/"
        )

    asked = review_questions(
        [
            review("Action plan agreed", datetime.date(2025, 1, 6)),  # due 2025-11-06: overdue
            review("Action plan agreed", datetime.date(2025, 6, 2)),  # due 2026-04-02: not yet
            review("Closed", datetime.date(2024, 1, 8)),
            review("Requested", None),
        ],
        TODAY,
    )
    assert len(asked) == 1
    assert "2025-11-06" in asked[0].reason and "Action plan agreed" in asked[0].reason


def test_support_received_and_meetings_are_in_the_pack() -> None:
    Secondment.objects.create(
        from_authority=authority(SOUTHWARK),
        to_authority=authority(LAMBETH),
        role="Head of housing needs",
        start=datetime.date(2025, 5, 1),
        end=datetime.date(2025, 8, 1),
        days=Decimal(30),
    )
    meeting = Meeting.objects.create(
        authority=authority(LAMBETH), date=datetime.date(2025, 11, 4), kind="annual-review"
    )
    AgreedAction.objects.create(
        meeting=meeting,
        text="Send the recovery plan",
        owner="Director",
        due=TODAY - datetime.timedelta(days=1),
    )
    AgreedAction.objects.create(meeting=meeting, text="Done already", owner="Chief", done=True)
    pack = pack_of()
    assert [(r.kind, r.supporters) for r in pack.received] == [("secondment", ("Southwark",))]
    assert [m.date for m in pack.meetings] == [meeting.date]
    assert [(a.text, a.overdue) for a in pack.open_actions] == [("Send the recovery plan", True)]
    assert any("Send the recovery plan" in q.text for q in pack.questions)


def test_the_partnership_pack_lists_every_member_once(run: AssessmentRun) -> None:
    lend_days(SOUTHWARK, LAMBETH, 12)
    pack = build_partnership(basis_for(YEAR, TODAY), chart=True)
    codes = [r.authority.code for r in pack.rows]
    assert len(codes) == len(set(codes)) == RunRating.objects.filter(run=run).count()
    rows = {r.authority.code: r for r in pack.rows}
    assert rows[LAMBETH].questions == len(pack_of().questions)
    assert rows[LAMBETH].headline.balance == -12  # type: ignore[union-attr]
    assert rows[SOUTHWARK].stars == RunRating.objects.get(run=run, authority__code=SOUTHWARK).stars
    assert pack.chart is not None and pack.chart.svg.lstrip().startswith("<svg")
