"""Fixtures for the review pack: a real assessment run over the shipped data, people in
each role, and ledger entries written through the support app's own functions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from ambition.accounts.people import RoleSpec, create_person
from ambition.assessment.making import make_run
from ambition.assessment.models import AssessmentRun
from ambition.registry.models import Authority
from ambition.support.bookkeeping import Source, give_and_take
from ambition.support.models import LedgerKind, LedgerSource

LAMBETH, SOUTHWARK, CAMDEN = "E09000022", "E09000028", "E09000007"
YEAR = 2025  # the financial year 2025-26
IN_YEAR = datetime.date(2025, 6, 2)
TODAY = datetime.date(2026, 2, 1)


def authority(code: str) -> Authority:
    return Authority.objects.get(code=code)


@pytest.fixture
def run(db: None) -> AssessmentRun:
    return make_run("ambition-default", datetime.date.today())


def lend_days(giver: str, taker: str, days: int) -> None:
    give_and_take(
        authority(giver),
        authority(taker),
        LedgerKind.STAFF_DAYS,
        Decimal(days),
        IN_YEAR,
        "Illustrative: staff on a peer review",
        Source(LedgerSource.MANUAL),
    )


ROLES = {
    "resident": [],
    "officer": [f"officer:{LAMBETH}"],
    "other-officer": [f"officer:{SOUTHWARK}"],
    "analyst": ["analyst"],
    "board": ["board"],
    "administrator": ["administrator"],
}


@pytest.fixture
def people(db: None) -> dict[str, Any]:
    return {
        role: create_person(
            f"reports-{role}", "reports-password-1", [RoleSpec.parse(s) for s in specs]
        )
        for role, specs in ROLES.items()
    }


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
