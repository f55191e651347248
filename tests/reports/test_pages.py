"""The review pack pages and PDFs: who may read them, what they show, that the PDF is a
real PDF of the same content, and that every table downloads."""

from __future__ import annotations

import csv
import io
import json
import re
import zlib
from decimal import Decimal
from typing import Any

import pytest

from ambition.accounts.people import RoleSpec, create_person
from ambition.assessment.models import AssessmentRun

from .conftest import LAMBETH, SOUTHWARK, YEAR, client_for, lend_days

pytestmark = pytest.mark.django_db
PACK = f"/reports/review-pack/{LAMBETH}/"


def pdf_text(pdf: bytes) -> bytes:
    """The PDF's bytes with every compressed stream inflated: its outline (the headings) and
    metadata hold the text as written."""
    inflated = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"\n".join(inflated)


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf_text(pdf)))


@pytest.mark.parametrize("role", ["board", "analyst", "administrator", "officer"])
def test_readers_see_the_pack(role: str, people: dict[str, Any], run: AssessmentRun) -> None:
    response = client_for(people[role]).get(PACK)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lambeth" in body and f"assessment run {run.pk}" in body
    for section in ("questions", "performance", "give-take", "support", "meetings"):
        assert f'data-section="{section}"' in body


def test_others_are_refused(people: dict[str, Any]) -> None:
    assert client_for(people["other-officer"]).get(PACK).status_code == 403
    assert client_for(people["other-officer"]).get(PACK + "pdf/").status_code == 403
    assert client_for(people["resident"]).get(PACK).status_code == 403
    anonymous = client_for(None).get(PACK)
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]
    assert client_for(people["officer"]).get("/reports/review-pack/").status_code == 403
    assert client_for(people["resident"]).get("/reports/review-pack/pdf/").status_code == 403


def test_a_pack_is_only_for_a_member_and_a_real_year(people: dict[str, Any]) -> None:
    board = client_for(people["board"])
    assert board.get("/reports/review-pack/E08000025/").status_code == 404  # Birmingham
    assert board.get(PACK + "?year=nonsense").status_code == 404
    assert board.get(PACK + "?year=1999").status_code == 404
    assert board.get(PACK + f"?year={YEAR}").status_code == 200


def test_the_pdf_is_a_real_pdf_of_the_pack(people: dict[str, Any], run: AssessmentRun) -> None:
    lend_days(SOUTHWARK, LAMBETH, 15)
    response = client_for(people["board"]).get(PACK + f"pdf/?year={YEAR}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert page_count(pdf) >= 2
    text = pdf_text(pdf)
    assert b"Lambeth" in text and b"Questions to ask" in text
    assert b"/Subtype /Image" not in text  # the chart is drawn as vectors, not pasted as pixels
    same = client_for(people["board"]).get(PACK + f"?year={YEAR}&format=pdf")
    assert same["Content-Type"] == "application/pdf"


def test_the_partnership_page_and_pdf(people: dict[str, Any], run: AssessmentRun) -> None:
    board = client_for(people["board"])
    body = board.get("/reports/review-pack/").content.decode()
    assert body.count('data-member="') == 35 and f"assessment run {run.pk}" in body
    pdf = board.get("/reports/review-pack/pdf/").content
    assert pdf.startswith(b"%PDF-") and b"Every member" in pdf_text(pdf)


def test_every_table_downloads(people: dict[str, Any], run: AssessmentRun) -> None:
    lend_days(SOUTHWARK, LAMBETH, 15)
    board = client_for(people["board"])
    for table in ("questions", "areas", "warnings", "ledger", "support", "actions"):
        response = board.get(PACK, {"year": YEAR, "table": table, "format": "json"})
        assert response.status_code == 200, table
        assert json.loads(response.content)["table"] == table
    ledger = board.get(PACK, {"year": YEAR, "table": "ledger", "format": "csv"}).content.decode()
    staff = next(r for r in csv.DictReader(io.StringIO(ledger)) if r["Kind"] == "staff-days")
    assert (staff["Unit"], Decimal(staff["Took"]) >= 15) == ("days", True)
    assert Decimal(staff["Balance"]) == Decimal(staff["Gave"]) - Decimal(staff["Took"])
    members = board.get("/reports/review-pack/", {"format": "csv"}).content.decode()
    assert len(members.strip().splitlines()) == 36
    assert board.get(PACK, {"table": "nope", "format": "csv"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("spec", "link"),
    [
        (f"officer:{LAMBETH}", f'href="/reports/review-pack/{LAMBETH}/"'),
        ("board", 'href="/reports/review-pack/"'),
        ("", None),
    ],
)
def test_your_work_offers_each_reader_the_packs_they_may_read(spec: str, link: str | None) -> None:
    person = create_person(
        f"nav-{spec or 'resident'}", "pw-123456789", [RoleSpec.parse(spec)] if spec else []
    )
    page = client_for(person).get("/work/").content.decode()
    work = page[page.index('id="main-content"') : page.index("</main>")]
    if link is None:
        assert "review-pack" not in work
    else:
        assert link in work
    assert ("Your review pack" in work) == spec.startswith("officer")
