"""Factories for peer support, shaped like the demo's (data/demo/support.toml) between real
members: Lambeth asks, Southwark offers and lends, in adult social care, unless told
otherwise (`SupportRequestFactory(authority__code=CAMDEN)`). Requests and people are
marked "Illustrative", as the demo's are. Rows are made directly, as the broker, the forms
and the loaders store them; tests of those writers call the writers themselves."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from ambition.fund.models import Claim
from ambition.support.models import (
    BrokerRun,
    ClaimCause,
    Match,
    OfferPerson,
    PeerReview,
    Preference,
    Secondee,
    Secondment,
    SupportKind,
    SupportOffer,
    SupportRequest,
)

from ..fund.factories import ClaimFactory
from ..indicators.factories import ServiceAreaFactory
from ..registry.factories import LAMBETH, SOUTHWARK, AuthorityFactory

START = datetime.date(2026, 1, 5)


class SupportRequestFactory(DjangoModelFactory[SupportRequest]):
    """Ten days of mentoring for Lambeth's adult social care, from `START` for 90 days,
    from a boundary neighbour if one can."""

    class Meta:
        model = SupportRequest

    authority = factory.SubFactory(AuthorityFactory, code=LAMBETH)
    service_area = factory.SubFactory(ServiceAreaFactory, code="adult-social-care")
    kind = SupportKind.MENTORING
    problem = "Illustrative: delayed transfers of care have doubled in two years"
    staff_days = 10
    window_start = START
    window_end = factory.LazyAttribute(lambda r: r.window_start + datetime.timedelta(days=90))
    preference = Preference.NEIGHBOUR


class SupportOfferFactory(DjangoModelFactory[SupportOffer]):
    """Southwark's forty days of mentoring in adult social care in 2026 (one row per
    authority, area, kind and year: the database refuses a second)."""

    class Meta:
        model = SupportOffer

    authority = factory.SubFactory(AuthorityFactory, code=SOUTHWARK)
    service_area = factory.SubFactory(ServiceAreaFactory, code="adult-social-care")
    kind = SupportKind.MENTORING
    staff_days = 40
    year = 2026


class OfferPersonFactory(DjangoModelFactory[OfferPerson]):
    class Meta:
        model = OfferPerson

    offer = factory.SubFactory(SupportOfferFactory)
    name = factory.Sequence(lambda n: f"Illustrative person {n}")
    role = "Assistant director, adult social care"


class BrokerRunFactory(DjangoModelFactory[BrokerRun]):
    class Meta:
        model = BrokerRun

    via = "command"
    weights = factory.LazyFunction(lambda: {"experience": 3.0, "similarity": 2.0})
    objective = 1.0
    solver_status = "OPTIMAL"


class MatchFactory(DjangoModelFactory[Match]):
    """A proposal of the latest broker run (a new one) that Southwark gives the request
    every day it asked for."""

    class Meta:
        model = Match

    broker_run = factory.SubFactory(BrokerRunFactory)
    request = factory.SubFactory(SupportRequestFactory)
    supporter = factory.SubFactory(AuthorityFactory, code=SOUTHWARK)
    days = factory.LazyAttribute(lambda m: m.request.staff_days)
    score = 5.5
    parts = factory.LazyFunction(lambda: {"experience": 0.9, "neighbour": 1.0})


class PeerReviewFactory(DjangoModelFactory[PeerReview]):
    """A review just requested, serving a support request of the peer-review kind."""

    class Meta:
        model = PeerReview

    request = factory.SubFactory(SupportRequestFactory, kind=SupportKind.PEER_REVIEW)


class SecondmentFactory(DjangoModelFactory[Secondment]):
    """Southwark lends Lambeth a head of reablement for twenty days over two months, with
    the secondee in their own private row."""

    class Meta:
        model = Secondment
        skip_postgeneration_save = True

    from_authority = factory.SubFactory(AuthorityFactory, code=SOUTHWARK)
    to_authority = factory.SubFactory(AuthorityFactory, code=LAMBETH)
    role = "Head of reablement"
    start = datetime.date(2025, 5, 1)
    end = factory.LazyAttribute(lambda s: s.start + datetime.timedelta(days=60))
    days = Decimal(20)
    secondee = factory.RelatedFactory(
        "tests.support.factories.SecondeeFactory", factory_related_name="secondment"
    )


class SecondeeFactory(DjangoModelFactory[Secondee]):
    class Meta:
        model = Secondee

    secondment = factory.SubFactory(SecondmentFactory, secondee=None)
    name = "Illustrative secondee"


class BackfillClaimFactory(ClaimFactory):
    """A fund claim and what peer support records it was for (a secondment, a team member
    or neither), made together as `support.money.claim` makes them."""

    secondment = None
    team_member = None

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Claim:
        secondment, team_member = kwargs.pop("secondment"), kwargs.pop("team_member")
        claim: Claim = super()._create(model_class, *args, **kwargs)
        ClaimCause.objects.create(claim=claim, secondment=secondment, team_member=team_member)
        return claim
