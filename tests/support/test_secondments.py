"""Secondments: recorded between two different authorities, delivered once (which writes
both sides of the staff days to the ledger), with the back-fill claimed and paid for
them; the secondee is personal data, seen by the office and the two authorities."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from ambition.accounts.people import RoleSpec, create_person
from ambition.registry.models import Authority
from ambition.support import money, secondments
from ambition.support.models import BackfillClaim, BudgetLine, LedgerEntry, Secondee, Secondment

pytestmark = pytest.mark.django_db
LAMBETH, SOUTHWARK, CAMDEN = "E09000022", "E09000028", "E09000007"
START = datetime.date(2025, 5, 1)


def authority(code: str) -> Authority:
    return Authority.objects.get(code=code)


def terms(**changes: object) -> secondments.Terms:
    values: dict[str, object] = {
        "person": "Illustrative secondee",
        "from_authority": authority(SOUTHWARK),
        "to_authority": authority(LAMBETH),
        "role": "Head of reablement",
        "start": START,
        "end": START + datetime.timedelta(days=60),
        "days": Decimal(20),
    } | changes
    return secondments.Terms(**values)  # type: ignore[arg-type]


def test_recording_keeps_the_person_in_their_own_row() -> None:
    lent = secondments.record_secondment(terms())
    assert Secondee.private_objects.get(secondment=lent).name == "Illustrative secondee"
    assert not hasattr(Secondee, "objects")  # every query says whom it is for


def test_it_is_between_two_authorities_in_date_order() -> None:
    with pytest.raises(secondments.SecondmentError):
        secondments.record_secondment(terms(to_authority=authority(SOUTHWARK)))
    with pytest.raises(secondments.SecondmentError):
        secondments.record_secondment(terms(end=START - datetime.timedelta(days=1)))
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
    lent = secondments.record_secondment(terms())
    entries = secondments.record_delivered(lent, day=START + datetime.timedelta(days=60))
    assert {(e.authority.code, e.counterparty.code, e.direction, e.amount) for e in entries} == {
        (SOUTHWARK, LAMBETH, "gave", Decimal(20)),
        (LAMBETH, SOUTHWARK, "took", Decimal(20)),
    }
    assert all(e.year == 2025 and e.kind == "staff-days" for e in entries)
    with pytest.raises(secondments.SecondmentError, match="Already recorded"):
        secondments.record_delivered(lent)
    assert LedgerEntry.objects.from_source("secondment", lent.pk).count() == 2


def test_backfill_claimed_and_paid() -> None:
    lent = secondments.record_secondment(terms())
    line = BudgetLine.objects.create(name="Back-fill", year=2025, amount=Decimal(5000))

    def claim(amount: str) -> BackfillClaim:
        return BackfillClaim.objects.create(
            claimant=authority(SOUTHWARK),
            budget_line=line,
            amount=Decimal(amount),
            secondment=lent,
            description="cover",
        )

    paid, approved, refused = claim("1000"), claim("500"), claim("250")
    money.approve(paid, None)
    money.pay(paid, None)
    money.approve(approved, None)
    money.refuse(refused, None, "not back-filled")
    office = create_person("s-office", "pw-123456789", [RoleSpec.parse("analyst")])
    assert secondments.backfill(lent, office) == (Decimal(1500), Decimal(1000))
    assert secondments.committed(lent) == Decimal(1500)


def test_the_secondee_is_seen_by_the_office_and_the_two_authorities() -> None:
    lent = secondments.record_secondment(terms())
    people = {
        "office": create_person("s-analyst", "pw-123456789", [RoleSpec.parse("analyst")]),
        "lender": create_person("s-sw", "pw-123456789", [RoleSpec.parse(f"officer:{SOUTHWARK}")]),
        "host": create_person("s-la", "pw-123456789", [RoleSpec.parse(f"officer:{LAMBETH}")]),
        "other": create_person("s-ca", "pw-123456789", [RoleSpec.parse(f"officer:{CAMDEN}")]),
        "board": create_person("s-board", "pw-123456789", [RoleSpec.parse("board")]),
    }
    seen = {who: secondments.person_of(lent, user) for who, user in people.items()}
    assert seen == {
        "office": "Illustrative secondee",
        "lender": "Illustrative secondee",
        "host": "Illustrative secondee",
        "other": None,
        "board": None,
    }
