"""Every factory makes a row the models' own validation accepts, and the factories that
name a loaded row (a real council, a service area, a period) return it rather than a copy,
so tests built from them start from the data the pages really show."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models

from ambition.registry.models import Authority
from tests.accounts.factories import PASSWORD, RoleGrantFactory, UserFactory
from tests.fund.factories import BudgetFactory
from tests.indicators.factories import (
    ImportBatchFactory,
    IndicatorFactory,
    ObservationFactory,
    PeriodFactory,
    ServiceAreaFactory,
)
from tests.knowledge.factories import (
    CaseStudyFactory,
    NetworkEventFactory,
    NetworkFactory,
    NetworkOutputFactory,
)
from tests.registry.factories import (
    LAMBETH,
    AuthorityFactory,
    MembershipFactory,
    PartnershipFactory,
)
from tests.support.factories import (
    BackfillClaimFactory,
    BrokerRunFactory,
    MatchFactory,
    OfferPersonFactory,
    PeerReviewFactory,
    SecondmentFactory,
    SupportOfferFactory,
    SupportRequestFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES: list[Any] = [
    AuthorityFactory,
    PartnershipFactory,
    MembershipFactory,
    RoleGrantFactory,
    ServiceAreaFactory,
    IndicatorFactory,
    PeriodFactory,
    ImportBatchFactory,
    ObservationFactory,
    SupportRequestFactory,
    SupportOfferFactory,
    OfferPersonFactory,
    BrokerRunFactory,
    MatchFactory,
    PeerReviewFactory,
    SecondmentFactory,
    BudgetFactory,
    BackfillClaimFactory,
    CaseStudyFactory,
    NetworkFactory,
    NetworkEventFactory,
    NetworkOutputFactory,
]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_each_factory_makes_a_valid_row(factory: Any) -> None:
    made: models.Model = factory()
    # An empty JSON list is a real value (a run with nothing unmatched) that forms call blank.
    empty = [
        f.name
        for f in made._meta.fields
        if isinstance(f, models.JSONField) and getattr(made, f.name) == []
    ]
    made.full_clean(exclude=empty)
    assert made.pk is not None


def test_a_named_council_is_the_loaded_one_and_a_new_one_has_no_real_code() -> None:
    assert AuthorityFactory(code=LAMBETH) == Authority.objects.get(code=LAMBETH)
    made = AuthorityFactory()
    assert made.code.startswith("E99") and len(made.code) == 9


def test_the_default_period_is_the_loaded_financial_year() -> None:
    period = PeriodFactory()
    assert (period.label, str(period.start), str(period.end)) == (
        "2023/24",
        "2023-04-01",
        "2024-03-31",
    )
    assert PeriodFactory() == period


def test_a_person_has_the_password_and_the_roles_named() -> None:
    officer = UserFactory(roles=[f"officer:{LAMBETH}"])
    assert officer.has_perm("support.add_supportrequest")
    assert not officer.is_staff
    assert UserFactory(roles=["administrator"]).is_superuser
    assert officer.check_password(PASSWORD)


def test_a_secondment_keeps_its_secondee_in_a_private_row() -> None:
    lent = SecondmentFactory()
    assert lent.secondee.name == "Illustrative secondee"
