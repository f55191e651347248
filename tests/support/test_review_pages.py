"""The pages of peer reviews, secondments, claims and the ledger, through Django's test
client: what each role sees (names only for the office and the two parties), what each
may do, and that a refused write changes nothing."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from ambition.fund.models import Claim
from ambition.indicators.models import ServiceArea
from ambition.registry.models import Authority
from ambition.support import review_lifecycle
from ambition.support.models import (
    LedgerEntry,
    PeerReview,
    ReviewStage,
    ReviewTeamMember,
    SupportRequest,
)
from tests.accounts.factories import UserFactory
from tests.fund.factories import BudgetFactory
from tests.pages import body_rows, page
from tests.registry.factories import CAMDEN, LAMBETH, SOUTHWARK
from tests.support.factories import BackfillClaimFactory, SecondmentFactory

pytestmark = pytest.mark.django_db
HACKNEY = "E09000012"
ON_SITE = datetime.date(2019, 6, 3)


def authority(code: str) -> Authority:
    return Authority.objects.get(code=code)


def client_for(spec: str | None) -> Client:
    client = Client()
    if spec is not None:
        client.force_login(UserFactory(roles=[spec] if spec else []))
    return client


@pytest.fixture
def review() -> PeerReview:
    made = review_lifecycle.request_review(
        authority(LAMBETH),
        ServiceArea.objects.get(code="adult-social-care"),
        "Illustrative: test",
        12,
        (datetime.date(2019, 4, 1), datetime.date(2019, 9, 30)),
    )
    made.scope, made.on_site_start, made.on_site_end = "Reablement", ON_SITE, ON_SITE
    made.report_text = "The report"
    made.save()
    review_lifecycle.add_team_member(made, "Officer Southwark", authority(SOUTHWARK), "officer")
    review_lifecycle.add_team_member(made, "Member Camden", authority(CAMDEN), "member", "Labour")
    review_lifecycle.add_team_member(made, "Member Hackney", authority(HACKNEY), "member", "Green")
    return made


def test_the_review_page_shows_the_area_before_and_after_on_the_real_data(
    review: PeerReview,
) -> None:
    for stage in (ReviewStage.MATCHED, ReviewStage.SCOPED, ReviewStage.ON_SITE):
        review_lifecycle.advance(review, stage)
    tree = page(client_for("board"), f"/support/reviews/{review.pk}/")
    rows = body_rows(tree.find("table", data_table="indicators"))
    assert len(rows) == 7  # adult social care's indicators
    changes = [r.find_all("td")[3].text for r in rows]
    assert any(c in ("Better", "Worse") for c in changes)
    assert "indicators better since the review" in tree.find("strong", data_outcome="").text
    assert tree.find("strong", data_stage="on-site").text == "On site"
    specs = [json.loads(s.text) for s in tree.find_all("script", type="application/json")]
    assert any("2019-06-03" in json.dumps(s) for s in specs)  # the rule marking the review
    download = client_for("board").get(f"/support/reviews/{review.pk}/", {"format": "csv"})
    table = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert len(table) == 7 and {"Before: value", "After: value", "Change"} <= set(table[0])


EVERYONE_ON_IT = {"Officer Southwark", "Member Camden", "Member Hackney"}


@pytest.mark.parametrize(
    ("spec", "names"),
    [
        ("analyst", EVERYONE_ON_IT),
        (f"officer:{LAMBETH}", EVERYONE_ON_IT),  # the reviewed authority
        (f"officer:{CAMDEN}", {"Member Camden"}),  # supplies one person: sees its own
        ("officer:E09000030", set()),  # Tower Hamlets: not a party
        ("board", set()),
        ("", set()),  # a resident
        (None, set()),
    ],
)
def test_team_names_are_seen_by_the_office_and_the_parties_only(
    review: PeerReview, spec: str | None, names: set[str]
) -> None:
    client = client_for(spec)
    response = client.get(f"/support/reviews/{review.pk}/")
    content = response.content.decode()
    assert {n for n in EVERYONE_ON_IT if n in content} == names
    if spec in ("", None):  # peer support is the partnership's own business
        assert response.status_code in (302, 403)
        return
    assert "3 people from Camden, Hackney, Southwark" in " ".join(content.split())
    path = f"/support/reviews/{review.pk}/"
    team = json.loads(client.get(path, {"format": "json", "table": "team"}).content)
    assert {r["name"] for r in team["rows"]} == names


def test_only_the_office_moves_the_stage_and_skipping_is_refused(review: PeerReview) -> None:
    officer = client_for(f"officer:{LAMBETH}")
    assert (
        officer.post(f"/support/reviews/{review.pk}/stage/", {"to_stage": "matched"}).status_code
        == 403
    )
    review.refresh_from_db()
    assert review.stage == ReviewStage.REQUESTED
    office = client_for("analyst")
    skipped = office.post(f"/support/reviews/{review.pk}/stage/", {"to_stage": "scoped"})
    assert skipped.status_code == 400 and "the next stage is Matched" in skipped.content.decode()
    moved = office.post(
        f"/support/reviews/{review.pk}/stage/", {"to_stage": "matched", "note": "Southwark leads"}
    )
    assert moved.status_code == 302
    review.refresh_from_db()
    assert review.stage == ReviewStage.MATCHED
    assert review.stage_changes.get().note == "Southwark leads"


def test_an_officer_adds_only_their_own_people_to_a_team(review: PeerReview) -> None:
    camden = client_for(f"officer:{CAMDEN}")
    before = ReviewTeamMember.private_objects.count()
    data = {"name": "Someone", "authority": authority(SOUTHWARK).pk, "role": "officer", "days": "2"}
    refused = camden.post(f"/support/reviews/{review.pk}/team/", data)
    assert refused.status_code in (400, 403)  # Southwark is not among Camden's choices
    assert ReviewTeamMember.private_objects.count() == before
    data["authority"] = authority(CAMDEN).pk
    assert camden.post(f"/support/reviews/{review.pk}/team/", data).status_code == 302
    assert ReviewTeamMember.private_objects.filter(review=review, name="Someone").exists()


def test_an_officer_asks_for_a_review_of_their_own_authority_only() -> None:
    camden = client_for(f"officer:{CAMDEN}")
    data = {
        "authority": authority(LAMBETH).pk,
        "service_area": ServiceArea.objects.get(code="housing").pk,
        "problem": "x",
        "staff_days": 5,
        "window_start": "2026-05-01",
        "window_end": "2026-06-01",
    }
    before = SupportRequest.objects.count()
    assert camden.post("/support/reviews/new/", data).status_code in (400, 200, 403)
    assert SupportRequest.objects.count() == before
    data["authority"] = authority(CAMDEN).pk
    made = camden.post("/support/reviews/new/", data)
    assert made.status_code == 302
    assert (
        PeerReview.objects.get(request__authority__code=CAMDEN, request__problem="x").stage
        == "requested"
    )


def test_documents_are_served_to_the_parties_and_the_office(review: PeerReview) -> None:
    path = f"/support/reviews/{review.pk}/documents/report/"
    assert client_for(f"officer:{LAMBETH}").get(path).content == b"The report"
    assert client_for(f"officer:{CAMDEN}").get(path).status_code == 403
    assert client_for("").get(path).status_code == 403


@pytest.fixture
def lent() -> Any:
    return SecondmentFactory(
        from_authority__code=SOUTHWARK,
        to_authority__code=LAMBETH,
        start=datetime.date(2025, 5, 1),
        end=datetime.date(2025, 7, 31),
        days=Decimal(30),
        secondee__name="Secondee Name",
    )


def test_secondee_names_and_delivery(lent: Any) -> None:
    assert client_for(None).get(f"/support/secondments/{lent.pk}/").status_code == 302
    for spec, sees in (
        (f"officer:{LAMBETH}", True),
        (f"officer:{CAMDEN}", False),
        ("board", False),
    ):
        content = client_for(spec).get(f"/support/secondments/{lent.pk}/").content.decode()
        assert ("Secondee Name" in content) is sees, spec
        listed = client_for(spec).get("/support/secondments/", {"format": "json"}).json()["rows"]
        assert [r["person"] for r in listed if r["id"] == lent.pk] == [
            "Secondee Name" if sees else None
        ]
    path = f"/support/secondments/{lent.pk}/delivered/"
    assert client_for(f"officer:{CAMDEN}").post(path).status_code == 403
    assert not LedgerEntry.objects.from_source("secondment", lent.pk).exists()
    assert client_for(f"officer:{SOUTHWARK}").post(path).status_code == 302
    entries = LedgerEntry.objects.from_source("secondment", lent.pk)
    assert {(e.authority.code, e.direction, e.amount) for e in entries} == {
        (SOUTHWARK, "gave", Decimal(30)),
        (LAMBETH, "took", Decimal(30)),
    }


def test_claims_by_page_an_officer_for_their_own_authority_the_office_decides() -> None:
    line = BudgetFactory(amount=Decimal(100))
    lambeth = client_for(f"officer:{LAMBETH}")
    data = {
        "claimant": authority(CAMDEN).pk,
        "budget": line.pk,
        "amount": "60",
        "description": "cover",
    }
    assert lambeth.post("/support/claims/new/", data).status_code in (200, 403)
    assert not Claim.objects.exists()
    data["claimant"] = authority(LAMBETH).pk
    assert lambeth.post("/support/claims/new/", data).status_code == 302
    first = Claim.objects.get()
    second = BackfillClaimFactory(claimant__code=CAMDEN, budget=line, amount=Decimal(60))
    assert lambeth.get(f"/support/claims/{second.pk}/").status_code == 403
    assert (
        lambeth.post(f"/support/claims/{first.pk}/decide/", {"decision": "approve"}).status_code
        == 403
    )
    office = client_for("analyst")
    office.post(f"/support/claims/{first.pk}/decide/", {"decision": "approve"})
    over = office.post(f"/support/claims/{second.pk}/decide/", {"decision": "approve"}, follow=True)
    assert "more than the £40.00 left" in over.content.decode()
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.state, second.state) == ("approved", "submitted")
    budget = page(client_for("board"), f"/fund/budgets/{line.pk}/")
    assert budget.find("strong", data_remaining="").text == "£40.00"
    mine = (
        client_for(f"officer:{LAMBETH}").get(f"/fund/budgets/{line.pk}/", {"format": "json"}).json()
    )
    assert [r["claimant"] for r in mine["rows"]] == ["Lambeth"]


def test_the_ledger_pages(review: PeerReview) -> None:
    for stage in ReviewStage.values[1:5]:
        review_lifecycle.advance(review, stage)  # reported: the team's days are in the ledger
    board = client_for("board")
    tree = page(board, "/support/ledger/", year="2019")
    rows = body_rows(tree.find("table", data_table="ledger"))
    assert len(rows) == 35
    lambeth = next(r for r in rows if "Lambeth" in r.text)
    assert "0 / 15 / -15" in lambeth.text  # staff days: gave / took / balance
    data = board.get("/support/ledger/", {"year": "2019", "format": "json"}).json()
    by_code = {r["code"]: r for r in data["rows"]}
    assert by_code[SOUTHWARK]["staff-days_gave"] == "5.00"
    own = page(board, f"/support/ledger/{LAMBETH}/", year="2019")
    assert len(body_rows(own.find("table", data_table="entries"))) == 3
    assert board.get("/support/ledger/", {"year": "nonsense"}).status_code == 404
    assert client_for(None).get("/support/ledger/").status_code == 302


def test_the_office_records_what_was_shared_and_an_officer_may_not() -> None:
    data = {
        "authority": authority(CAMDEN).pk,
        "kind": "case-study",
        "count": "1",
        "counterparty": "",
        "day": "2025-06-01",
        "description": "Illustrative case study",
    }
    assert client_for(f"officer:{CAMDEN}").post("/support/ledger/record/", data).status_code == 403
    assert not LedgerEntry.objects.filter(kind="case-study").exists()
    assert client_for("analyst").post("/support/ledger/record/", data).status_code == 302
    assert LedgerEntry.objects.get(kind="case-study").authority.code == CAMDEN


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("report.pdf", b"%PDF-1.7\n%%EOF\n", True),
        ("report.pdf", b"MZ\x90\x00 a program renamed", False),
        ("report.exe", b"MZ\x90\x00", False),
        ("report.txt", "Résumé of findings".encode(), True),
        ("report.txt", b"\xff\xfe\x00bad", False),
    ],
)
def test_a_report_must_be_the_document_its_name_says(
    review: PeerReview, settings: Any, tmp_path: Any, name: str, content: bytes, accepted: bool
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    response = client_for("analyst").post(
        f"/support/reviews/{review.pk}/details/",
        {"scope": review.scope, "report": SimpleUploadedFile(name, content)},
    )
    review.refresh_from_db()
    assert bool(review.report) is accepted
    assert response.status_code == (302 if accepted else 400)
