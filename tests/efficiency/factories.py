"""Factories for the efficiency programme: Lambeth's net budget of £300m for 2008 and
its savings returns, unless told otherwise. Returns made here skip the checks; tests of
the checks submit through efficiency.submission, as the pages and the API do."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from ambition.efficiency.models import NetBudget, SavingsLine, SavingsReturn

from ..registry.factories import LAMBETH, AuthorityFactory


class NetBudgetFactory(DjangoModelFactory[NetBudget]):
    class Meta:
        model = NetBudget

    authority = factory.SubFactory(AuthorityFactory, code=LAMBETH)
    year = 2008
    amount = Decimal("300000000.00")
    source = "Illustrative test figure"
    illustrative = True


class SavingsReturnFactory(DjangoModelFactory[SavingsReturn]):
    class Meta:
        model = SavingsReturn

    authority = factory.SubFactory(AuthorityFactory, code=LAMBETH)
    year = 2008


class SavingsLineFactory(DjangoModelFactory[SavingsLine]):
    class Meta:
        model = SavingsLine

    savings_return = factory.SubFactory(SavingsReturnFactory)
    workstream = "procurement"
    amount = Decimal("1000000.00")
    cash_releasing = True
    recurrence = "ongoing"
    started = datetime.date(2008, 6, 1)
    description = factory.Sequence(lambda n: f"Illustrative saving {n}")
    evidence = "Contract award report"


def line(**changes: Any) -> dict[str, Any]:
    """One line as the form and the API hand it to submission.submit."""
    values: dict[str, Any] = {
        "workstream": "procurement",
        "amount": Decimal("1000000.00"),
        "cash_releasing": True,
        "recurrence": "ongoing",
        "started": datetime.date(2008, 6, 1),
        "description": "Joint agency staff framework",
        "evidence": "Contract award report",
    }
    return {**values, **changes}
