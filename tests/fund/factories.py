"""Factories for the fund: a back-fill budget of the partnership's own money and Lambeth's
submitted claim on it, unless told otherwise."""

from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from ambition.fund.models import Budget, Claim, Programme, Source

from ..registry.factories import LAMBETH, AuthorityFactory


class BudgetFactory(DjangoModelFactory[Budget]):
    class Meta:
        model = Budget
        django_get_or_create = ("name", "year")

    name = factory.Sequence(lambda n: f"Back-fill {n}")
    year = 2025
    amount = Decimal(5000)
    programme = Programme.BACKFILL
    source = Source.SUBSCRIPTION


class ClaimFactory(DjangoModelFactory[Claim]):
    """Lambeth's submitted claim, not yet decided."""

    class Meta:
        model = Claim

    claimant = factory.SubFactory(AuthorityFactory, code=LAMBETH)
    budget = factory.SubFactory(BudgetFactory)
    amount = Decimal(100)
    description = "Illustrative: back-fill while our officer was on a review team"
