"""Secondments: recorded between two different authorities, delivered once (which writes
both sides of the staff days to the ledger), with the back-fill claimed and paid for
them; the secondee is personal data, seen by the office and the two authorities."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from ambition.fund.models import Claim
from ambition.registry.models import Authority
from ambition.support import lending, money
from ambition.support.models import LedgerEntry, Secondee, Secondment
from tests.accounts.factories import UserFactory
from tests.fund.factories import BudgetFactory
from tests.registry.factories import CAMDEN, LAMBETH, SOUTHWARK
from tests.support.factories import BackfillClaimFactory, SecondmentFactory

pytestmark = pytest.mark.django_db
START = datetime.date(2025, 5, 1)


def authority(code: str) -> Authority:
    return Authority.objects.get(code=code)


def terms(**changes: object) -> lending.Terms:
    values: dict[str, object] = {
        "person": "Illustrative secondee",
        "from_authority": authority(SOUTHWARK),
        "to_authority": authority(LAMBETH),
        "role": "Head of reablement",
        "start": START,
        "end": START + datetime.timedelta(days=60),
        "days": Decimal(20),
    } | changes
    return lending.Terms(**values)  # type: ignore[arg-type]


def test_recording_keeps_the_person_in_their_own_row() -> None:
    lent = lending.record_secondment(terms())
    assert Secondee.private_objects.get(secondment=lent).name == "Illustrative secondee"
    assert not hasattr(Secondee, "objects")  # every query says whom it is for


def test_it_is_between_two_authorities_in_date_order() -> None:
    with pytest.raises(lending.SecondmentError):
        lending.record_secondment(terms(to_authority=authority(SOUTHWARK)))
    with pytest.raises(lending.SecondmentError):
        lending.record_secondment(terms(end=START - datetime.timedelta(days=1)))
    with pytest.raises(IntegrityError), transaction.atomic():
        Secondment.objects.create(
            from_authority=authority(LAMBETH),
            to_authority=authority(LAMBETH),
            role="x",
            start=START,
            end=START,
            days=Decimal(1),
        )


def test_delivered_once_writes_both_sides_of_the_days() -> None:
    lent = SecondmentFactory(start=START)
    entries = lending.record_delivered(lent, day=START + datetime.timedelta(days=60))
    assert {(e.authority.code, e.counterparty.code, e.direction, e.amount) for e in entries} == {
        (SOUTHWARK, LAMBETH, "gave", Decimal(20)),
        (LAMBETH, SOUTHWARK, "took", Decimal(20)),
    }
    assert all(e.year == 2025 and e.kind == "staff-days" for e in entries)
    with pytest.raises(lending.SecondmentError, match="Already recorded"):
        lending.record_delivered(lent)
    assert LedgerEntry.objects.from_source("secondment", lent.pk).count() == 2


def test_backfill_claimed_and_paid() -> None:
    lent, line = SecondmentFactory(), BudgetFactory(amount=Decimal(5000))

    def claim(amount: str) -> Claim:
        return BackfillClaimFactory(
            claimant__code=SOUTHWARK, budget=line, amount=Decimal(amount), secondment=lent
        )

    paid, approved, refused = claim("1000"), claim("500"), claim("250")
    money.approve(paid, None)
    money.pay(paid, None)
    money.approve(approved, None)
    money.refuse(refused, None, "not back-filled")
    office = UserFactory(roles=["analyst"])
    assert lending.backfill(lent, office) == (Decimal(1500), Decimal(1000))
    assert lending.committed(lent) == Decimal(1500)


def test_the_secondee_is_seen_by_the_office_and_the_two_authorities() -> None:
    lent = SecondmentFactory(from_authority__code=SOUTHWARK, to_authority__code=LAMBETH)
    roles = {
        "office": "analyst",
        "lender": f"officer:{SOUTHWARK}",
        "host": f"officer:{LAMBETH}",
        "other": f"officer:{CAMDEN}",
        "board": "board",
    }
    people = {who: UserFactory(roles=[role]) for who, role in roles.items()}
    seen = {
        who: Secondee.private_objects.visible_to(user).filter(secondment=lent).first()
        for who, user in people.items()
    }
    names = {who: found.name if found else None for who, found in seen.items()}
    assert names == {
        "office": "Illustrative secondee",
        "lender": "Illustrative secondee",
        "host": "Illustrative secondee",
        "other": None,
        "board": None,
    }
