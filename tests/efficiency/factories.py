"""Factories for the efficiency programme: Lambeth's net budget of £300m for 2008 and
its savings returns, unless told otherwise. Returns made here skip the checks; tests of
the checks submit through efficiency.submission, as the pages and the API do. Local area
agreements: Lambeth's of 2008-09 to 2010-11 under the public service agreement rule, with
targets on the stored recycling rate unless told otherwise."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from ambition.efficiency.models import (
    AgreementPartner,
    AgreementTarget,
    LocalAreaAgreement,
    NetBudget,
    PartnerKind,
    SavingsLine,
    SavingsReturn,
)
from ambition.indicators.models import Indicator

from ..registry.factories import LAMBETH, AuthorityFactory

PSA_RULE = "psa-pro-rata-60"


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


class LocalAreaAgreementFactory(DjangoModelFactory[LocalAreaAgreement]):
    class Meta:
        model = LocalAreaAgreement

    authority = factory.SubFactory(AuthorityFactory, code=LAMBETH)
    start_year = 2008
    end_year = 2010
    title = factory.LazyAttribute(lambda a: f"{a.authority.name} local area agreement")
    signed_on = datetime.date(2008, 6, 30)
    reward_rule = PSA_RULE


class AgreementPartnerFactory(DjangoModelFactory[AgreementPartner]):
    class Meta:
        model = AgreementPartner

    agreement = factory.SubFactory(LocalAreaAgreementFactory)
    kind = PartnerKind.POLICE
    name = "Metropolitan Police Service"


class AgreementTargetFactory(DjangoModelFactory[AgreementTarget]):
    """A target on the stored recycling rate (higher is better): 25% to 30% by 2010-11."""

    class Meta:
        model = AgreementTarget

    agreement = factory.SubFactory(LocalAreaAgreementFactory)
    indicator = factory.LazyFunction(lambda: Indicator.objects.get(code="recycling-rate"))
    baseline = Decimal("25")
    baseline_period = "2007/08"
    stretch = Decimal("30")
    target_year = 2010
    reward_max = Decimal("100000.00")
