"""Publishing a case study records it in peer support's give-and-take ledger as given by
its lead council: once, however often it is published, and only by the office."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from ambition.knowledge import sharing
from ambition.support import bookkeeping
from ambition.support.models import Direction, LedgerEntry, LedgerKind, LedgerSource

from ..registry.factories import LAMBETH, SOUTHWARK, AuthorityFactory
from .conftest import client_for
from .factories import CaseStudyFactory

pytestmark = pytest.mark.django_db


def test_publishing_records_one_case_study_given_by_the_lead_council(office: Any) -> None:
    study = CaseStudyFactory()
    study.authorities.add(AuthorityFactory(code=SOUTHWARK))
    assert sharing.ledger_entries(study) == []
    url = f"/knowledge/case-studies/{study.pk}/publish/"
    assert client_for(office).post(url).status_code == 302
    assert client_for(office).post(url).status_code == 302  # again: nothing more
    (entry,) = LedgerEntry.objects.from_source(LedgerSource.CASE_STUDY, study.pk)
    assert entry.authority.code == LAMBETH and entry.counterparty is None
    assert (entry.kind, entry.direction, entry.amount) == (
        LedgerKind.CASE_STUDY,
        Direction.GAVE,
        Decimal("1.00"),
    )
    assert entry.entered_by == office and entry.description.endswith(study.title)
    study.refresh_from_db()
    assert study.is_published and entry.date == study.published_on


def test_the_ledger_counts_it_in_the_councils_year() -> None:
    study = CaseStudyFactory()
    sharing.record_publication(study, None, datetime.date(2025, 9, 1))
    lambeth = AuthorityFactory(code=LAMBETH)
    position = bookkeeping.position_of(lambeth, 2025)
    assert position.gave[LedgerKind.CASE_STUDY] == Decimal("1.00")
    assert position.took[LedgerKind.CASE_STUDY] == Decimal("0.00")


def test_only_the_office_publishes(lambeth_officer: Any, board: Any) -> None:
    study = CaseStudyFactory()
    url = f"/knowledge/case-studies/{study.pk}/publish/"
    assert client_for(lambeth_officer).post(url).status_code == 403
    assert client_for(board).post(url).status_code == 403
    with pytest.raises(PermissionDenied):
        sharing.publish(study, lambeth_officer)
    assert sharing.ledger_entries(study) == []
