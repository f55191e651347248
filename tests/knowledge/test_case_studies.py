"""Case studies: who reads drafts, who writes for which council, and that the strength of
evidence is the office's alone (the page, the form and the function all refuse the author)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from ambition.accounts.models import AuditEntry
from ambition.indicators.models import Indicator, ServiceArea
from ambition.knowledge import sharing
from ambition.knowledge.evidence import STANDARDS, EvidenceLevel
from ambition.knowledge.models import CaseStudy, Status
from ambition.registry.models import Authority

from ..registry.factories import LAMBETH, SOUTHWARK, AuthorityFactory
from .conftest import client_for
from .factories import CaseStudyFactory

pytestmark = pytest.mark.django_db


def form_data(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "Food waste from flats",
        "lead": str(Authority.objects.get(code=LAMBETH).pk),
        "service_area": str(ServiceArea.objects.get(code="waste").pk),
        "summary": "Bins beside the refuse stores",
        "what_they_did": "Put bins beside the refuse stores",
        "cost": "12500.50",
        "outcomes_claimed": "More food waste collected",
        "indicators": [str(Indicator.objects.get(code="recycling-rate").pk)],
    }
    return {**data, **changes}


def test_every_level_has_a_name_and_a_meaning_of_our_own() -> None:
    assert [s.level for s in STANDARDS] == [1, 2, 3, 4, 5]
    assert all(s.name.startswith(f"Level {s.level}: ") and len(s.meaning) > 60 for s in STANDARDS)


def test_an_officer_writes_a_draft_for_their_own_council(lambeth_officer: Any) -> None:
    response = client_for(lambeth_officer).post("/knowledge/case-studies/new/", form_data())
    study = CaseStudy.private_objects.get(title="Food waste from flats")
    assert response.status_code == 302 and response["Location"] == study.get_absolute_url()
    assert study.status == Status.DRAFT and study.evidence_level is None
    assert study.cost == Decimal("12500.50")
    assert [i.code for i in study.indicators.all()] == ["recycling-rate"]
    assert study.history.count() == 1 and study.history.first().history_user == lambeth_officer
    assert AuditEntry.objects.filter(model="knowledge.casestudy", object_id=str(study.pk)).exists()


def test_an_officer_cannot_write_for_another_council(southwark_officer: Any) -> None:
    response = client_for(southwark_officer).post("/knowledge/case-studies/new/", form_data())
    assert response.status_code == 200  # the form again, naming the field
    assert "lead" in response.context["form"].errors
    assert not CaseStudy.private_objects.filter(title="Food waste from flats").exists()


def test_an_officer_edits_only_their_own_councils(
    lambeth_officer: Any, southwark_officer: Any
) -> None:
    study = CaseStudyFactory()
    url = f"/knowledge/case-studies/{study.pk}/edit/"
    assert client_for(southwark_officer).get(url).status_code == 404  # a draft: not even seen
    sharing.record_publication(study, None, datetime.date(2025, 4, 1))
    assert client_for(southwark_officer).post(url, form_data()).status_code == 403
    response = client_for(lambeth_officer).post(url, form_data(title="Renamed"))
    assert response.status_code == 302
    study.refresh_from_db()
    assert study.title == "Renamed" and study.history.count() == 3


def test_the_author_cannot_set_the_strength_of_evidence(lambeth_officer: Any) -> None:
    """Not through the form (the field is not there, so it is ignored), nor the office's
    page, nor the function behind it."""
    client = client_for(lambeth_officer)
    client.post("/knowledge/case-studies/new/", form_data(evidence_level="5", status="published"))
    study = CaseStudy.private_objects.get(title="Food waste from flats")
    assert (study.evidence_level, study.status) == (None, Status.DRAFT)
    url = f"/knowledge/case-studies/{study.pk}/evidence/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"level": "5", "note": "Mine is the best"}).status_code == 403
    with pytest.raises(PermissionDenied):
        sharing.set_evidence(study, 5, "Mine is the best", lambeth_officer)
    study.refresh_from_db()
    assert study.evidence_level is None


def test_the_office_sets_the_strength_of_evidence_with_a_reason(office: Any) -> None:
    study = CaseStudyFactory()
    url = f"/knowledge/case-studies/{study.pk}/evidence/"
    client = client_for(office)
    refused = client.post(url, {"level": "3", "note": ""})
    assert refused.status_code == 200 and "note" in refused.context["form"].errors
    assert client.post(url, {"level": "3", "note": "A comparison group"}).status_code == 302
    study.refresh_from_db()
    assert study.evidence_level == EvidenceLevel.CAUSE_SHOWN
    assert study.evidence_set_by == office and study.evidence_set_at is not None
    page = client_for(None).get(study.get_absolute_url())
    assert page.status_code == 404  # still a draft
    sharing.publish(study, office)
    page = client_for(None).get(study.get_absolute_url())
    assert "Level 3: cause shown" in page.content.decode()


def test_residents_read_published_case_studies_only(resident: Any, lambeth_officer: Any) -> None:
    draft = CaseStudyFactory(title="A draft")
    published = sharing.record_publication(
        CaseStudyFactory(title="A published one"), None, datetime.date(2025, 4, 1)
    )
    for who in (None, resident):
        client = client_for(who)
        listed = client.get("/knowledge/case-studies/?format=json").json()["rows"]
        assert [r["title"] for r in listed] == ["A published one"]
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(published.get_absolute_url()).status_code == 200
        assert client.get(f"/api/v1/knowledge/case-studies/{draft.pk}").status_code == 404
    listed = client_for(lambeth_officer).get("/knowledge/case-studies/?format=json").json()["rows"]
    assert {r["title"] for r in listed} == {"A draft", "A published one"}
    assert set(CaseStudy.public_objects.values_list("title", flat=True)) == {"A published one"}


def test_the_list_filters_by_service_area_authority_and_level() -> None:
    southwark = AuthorityFactory(code=SOUTHWARK)
    day = datetime.date(2025, 4, 1)
    waste = sharing.record_publication(CaseStudyFactory(evidence_level=2), None, day)
    care = CaseStudyFactory(
        service_area=ServiceArea.objects.get(code="adult-social-care"), evidence_level=4
    )
    care.authorities.add(southwark)
    sharing.record_publication(care, None, day)
    client = client_for(None)

    def ids(query: str) -> set[int]:
        rows = client.get(f"/knowledge/case-studies/?format=json&{query}").json()["rows"]
        return {r["id"] for r in rows}

    assert ids("service_area=waste") == {waste.pk}
    assert ids(f"authority={SOUTHWARK}") == {care.pk}
    assert ids(f"authority={LAMBETH}") == {waste.pk, care.pk}
    assert ids("level=4") == {care.pk}
    assert ids("level=nonsense") == {waste.pk, care.pk}


def test_about_answers_which_case_studies_an_authority_has_on_an_area_or_indicator() -> None:
    lambeth, southwark = (AuthorityFactory(code=c) for c in (LAMBETH, SOUTHWARK))
    recycling = Indicator.objects.get(code="recycling-rate")
    study = sharing.record_publication(CaseStudyFactory(), None, datetime.date(2025, 4, 1))
    study.indicators.add(recycling)
    study.authorities.add(southwark)
    CaseStudyFactory()  # a draft: never public
    waste = ServiceArea.objects.get(code="waste")
    assert list(CaseStudy.public_objects.about(lambeth, service_area=waste)) == [study]
    assert list(CaseStudy.public_objects.about(southwark, indicator=recycling)) == [study]
    other = ServiceArea.objects.get(code="housing")
    assert list(CaseStudy.public_objects.about(lambeth, service_area=other)) == []


def test_an_attachment_is_served_only_to_those_who_read_the_case_study(
    lambeth_officer: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for(lambeth_officer)
    data = form_data(attachment_title="The evaluation")
    from django.core.files.uploadedfile import SimpleUploadedFile

    data["attachment"] = SimpleUploadedFile("evaluation.txt", b"It worked.\n")
    assert client.post("/knowledge/case-studies/new/", data).status_code == 302
    study = CaseStudy.private_objects.get(title="Food waste from flats")
    attachment = study.attachments.get()
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"It worked.\n"
    assert client_for(None).get(attachment.get_absolute_url()).status_code == 404


def test_a_renamed_program_is_refused_as_an_attachment(lambeth_officer: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = form_data(attachment_title="Not a PDF")
    data["attachment"] = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 a program")
    response = client_for(lambeth_officer).post("/knowledge/case-studies/new/", data)
    assert response.status_code == 200 and "attachment" in response.context["form"].errors
    assert not CaseStudy.private_objects.filter(title="Food waste from flats").exists()
