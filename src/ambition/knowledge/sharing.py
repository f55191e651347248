"""The office's acts on a case study: setting the strength of its evidence and publishing
it. Publishing records the shared knowledge in peer support's give-and-take ledger, as
given by the lead council, through the ledger's own bookkeeping (support never imports
this app: the ledger keeps its rules, and this app says what happened)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ambition.support import bookkeeping
from ambition.support.models import LedgerEntry, LedgerKind, LedgerSource

from .evidence import EvidenceLevel
from .models import CaseStudy, Status

SET_EVIDENCE = "knowledge.set_evidence_level"
PUBLISH = "knowledge.publish_casestudy"


def _locked(case_study: CaseStudy) -> CaseStudy:
    return CaseStudy.private_objects.select_for_update().get(pk=case_study.pk)


@transaction.atomic
def set_evidence(case_study: CaseStudy, level: int | None, note: str, user: Any) -> CaseStudy:
    """The office's judgement of the evidence; refused to anyone else, the author included."""
    if not user.has_perm(SET_EVIDENCE):
        raise PermissionDenied("Only the performance office sets the strength of evidence")
    if level is not None and level not in EvidenceLevel.values:
        raise ValueError("The strength of evidence is a level from 1 to 5")
    study = _locked(case_study)
    study.evidence_level, study.evidence_note = level, note
    study.evidence_set_by, study.evidence_set_at = user, timezone.now()
    study._history_user = user  # type: ignore[attr-defined]
    study.save()
    return study


def ledger_entries(case_study: CaseStudy) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.from_source(LedgerSource.CASE_STUDY, case_study.pk))


def publish(case_study: CaseStudy, user: Any, day: datetime.date | None = None) -> CaseStudy:
    """The office publishes a draft: refused to anyone else."""
    if not user.has_perm(PUBLISH):
        raise PermissionDenied("Only the performance office publishes case studies")
    return record_publication(case_study, user, day or timezone.localdate())


@transaction.atomic
def record_publication(case_study: CaseStudy, user: Any, day: datetime.date) -> CaseStudy:
    """Publish, and record in the ledger one case study given by its lead council, once
    however often this is asked. The caller has checked who may: the office's page, or the
    demo loader (user None)."""
    study = _locked(case_study)
    if study.status == Status.PUBLISHED:
        return study
    study.status, study.published_on = Status.PUBLISHED, day
    study._history_user = user  # type: ignore[attr-defined]
    study.save()
    if not ledger_entries(study):
        bookkeeping.record_shared(
            study.lead,
            LedgerKind.CASE_STUDY,
            1,
            day,
            f"Case study published: {study.title}"[:300],
            user,
            source=bookkeeping.Source(LedgerSource.CASE_STUDY, study.pk),
        )
    return study
