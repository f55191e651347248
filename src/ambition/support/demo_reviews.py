"""The demo's illustrative peer reviews, secondments and back-fill: a few reviews at
different stages (each with its own illustrative support request and a team from several
boroughs and parties), two secondments, a back-fill budget line with claims, and the
ledger entries all of that writes. Every description starts "Illustrative" and every
person is "Illustrative ..."; none of it is a real council's. Loading twice changes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ambition.fund.models import Budget, Claim, Programme, Source
from ambition.indicators.models import ServiceArea
from ambition.indicators.periods import financial_year
from ambition.registry.models import Authority

from . import lending, money, review_lifecycle
from .models import (
    STAGE_ORDER,
    ActionPlanItem,
    PeerReview,
    ReviewStage,
    SupportKind,
)

MARK = "Illustrative"
# (name, borough, role, party, days): a team from several boroughs, of more than one party.
TEAM = (
    ("Illustrative officer A", "E09000028", "officer", "", "5"),
    ("Illustrative officer B", "E09000007", "officer", "", "4"),
    ("Illustrative member C", "E09000012", "member", "Labour", "3"),
    ("Illustrative member D", "E09000027", "member", "Liberal Democrat", "3"),
)


@dataclass(frozen=True)
class DemoReview:
    authority: str
    area: str
    stage: str
    on_site: datetime.date | None  # None: not yet fixed


def demo_reviews(today: datetime.date) -> list[DemoReview]:
    recent = today - datetime.timedelta(days=90)
    return [
        # Long enough ago for the area's indicators to show before and after.
        DemoReview("E09000022", "adult-social-care", ReviewStage.CLOSED, datetime.date(2019, 6, 3)),
        DemoReview("E09000023", "childrens-services", ReviewStage.ACTION_PLAN, recent),
        DemoReview("E09000014", "housing", ReviewStage.SCOPED, today + datetime.timedelta(days=60)),
        DemoReview("E09000025", "education", ReviewStage.REQUESTED, None),
    ]


def _existing(d: DemoReview) -> PeerReview | None:
    return PeerReview.objects.filter(
        request__authority__code=d.authority,
        request__service_area__code=d.area,
        request__kind=SupportKind.PEER_REVIEW,
        request__problem__startswith=MARK,
    ).first()


def _review(d: DemoReview, today: datetime.date) -> PeerReview:
    start = d.on_site or today + datetime.timedelta(days=120)
    review = review_lifecycle.request_review(
        Authority.objects.get(code=d.authority),
        ServiceArea.objects.get(code=d.area),
        f"{MARK}: demo peer review request; the service's figures fell behind its neighbours.",
        sum(int(float(days)) for *_, days in TEAM),
        (start - datetime.timedelta(days=60), start + datetime.timedelta(days=60)),
    )
    review.scope = f"{MARK}: how the service plans, commissions and follows its performance."
    if d.on_site:
        review.on_site_start, review.on_site_end = d.on_site, d.on_site + datetime.timedelta(days=3)
    review.save()
    for name, code, role, party, days in TEAM:
        review_lifecycle.add_team_member(
            review, name, Authority.objects.get(code=code), role, party, Decimal(days)
        )
    return review


def _walk(review: PeerReview, stage: str) -> None:
    """Move the review to `stage`, each move dated by the review's own timeline."""
    base = review.on_site_start or timezone.localdate()
    while review.stage != stage:
        to = STAGE_ORDER[review.stage_index + 1]
        offset = STAGE_ORDER.index(to) - STAGE_ORDER.index(ReviewStage.ON_SITE)
        day = base + datetime.timedelta(days=30 * offset)
        when = datetime.datetime.combine(min(day, timezone.localdate()), datetime.time(12))
        _documents_for(review, to)
        review_lifecycle.advance(review, to, note=f"{MARK} demo", when=timezone.make_aware(when))
        if to == ReviewStage.REPORTED:
            ActionPlanItem.objects.create(
                review=review,
                action=f"{MARK}: review the commissioning plan with partners",
                owner="Director of the service",
                due=base + datetime.timedelta(days=180),
                done_on=base + datetime.timedelta(days=150)
                if stage == ReviewStage.CLOSED
                else None,
            )


def _documents_for(review: PeerReview, stage: str) -> None:
    """A review has its report when it reaches "reported" and its plan at "action plan"."""
    if stage == ReviewStage.REPORTED:
        review.report_text = f"{MARK} report: strengths, areas to develop and recommendations."
    elif stage == ReviewStage.ACTION_PLAN:
        review.action_plan_text = f"{MARK} action plan agreed with the authority."
    else:
        return
    review.save(
        update_fields=["report_text" if stage == ReviewStage.REPORTED else "action_plan_text"]
    )


SECONDMENTS = (
    ("Illustrative secondee E", "E09000011", "E09000023", "Head of early help", 40, True),
    ("Illustrative secondee F", "E09000019", "E09000014", "Housing allocations lead", 25, False),
)


def _secondments(today: datetime.date) -> list[lending.Secondment]:
    made = []
    start = today - datetime.timedelta(days=100)
    for person, lender, host, role, days, delivered in SECONDMENTS:
        found = lending.Secondment.objects.filter(
            from_authority__code=lender, to_authority__code=host, role=role
        ).first()
        if found is None:
            terms = lending.Terms(
                person,
                Authority.objects.get(code=lender),
                Authority.objects.get(code=host),
                role,
                start,
                start + datetime.timedelta(days=90),
                Decimal(days),
            )
            found = lending.record_secondment(terms)
            if delivered:
                lending.record_delivered(found, day=min(found.end, today))
        made.append(found)
    return made


def _claims(today: datetime.date, lent: list[lending.Secondment]) -> None:
    line, _ = Budget.objects.get_or_create(
        name=f"{MARK} back-fill budget",
        year=financial_year(today),
        defaults={
            "amount": Decimal("50000.00"),
            "programme": Programme.BACKFILL,
            "source": Source.SUBSCRIPTION,
            "illustrative": True,
        },
    )
    wanted = (
        ("E09000011", "12000.00", lent[0], "paid"),
        ("E09000028", "2500.00", None, "approved"),
        ("E09000007", "2000.00", None, "submitted"),
        ("E09000012", "900.00", None, "refused"),
    )
    for code, amount, secondment, state in wanted:
        what = f"{MARK}: back-fill for " + (
            "a secondment" if secondment else "a review team member"
        )
        if Claim.objects.filter(budget=line, claimant__code=code).exists():
            continue
        claim = money.claim(
            Authority.objects.get(code=code), line, Decimal(amount), what, None, secondment
        )
        if state == "refused":
            money.refuse(claim, None, f"{MARK}: the officer's post was not back-filled")
        elif state in ("approved", "paid"):
            money.approve(claim, None)
        if state == "paid":
            money.pay(claim, None, today)


@transaction.atomic
def load(today: datetime.date) -> None:
    """Create what is not there yet; what is there is left as it is."""
    for d in demo_reviews(today):
        if _existing(d) is None:
            _walk(_review(d, today), d.stage)
    _claims(today, _secondments(today))
