"""The spend pages as a person uses them, with the real GLA and Lambeth files: an upload
stored, and the same file again already imported; a file with a damaged row refused with
its problems, then its good rows stored; an ambiguous mapping asked and answered (and
remembered); an officer kept to their own council's files; the file's page totalling its
months through the spend engine, to the penny."""

from __future__ import annotations

import csv
import io
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from ambition.registry.models import Authority
from ambition.spend.models import SpendCoverage, SpendFile, SpendMapping, SpendProblem
from ambition.spend.views.uploads import digest_of, discard_stale, owner_folder

from ..accounts.factories import UserFactory
from .test_store import AMBIGUOUS, GLA, LAMBETH, gla_period, gla_sums, lambeth_sums, needs_data

pytestmark = needs_data
LAMBETH_CODE, SOUTHWARK_CODE, GLA_CODE = "E09000022", "E09000028", "E61000001"
DAMAGED = "2011-10-payments.csv"  # row 954: "Inter High Education/Academy21740", no amount


@pytest.fixture(autouse=True)
def _spend_in_tmp(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"  # type: ignore[attr-defined]


def signed_in(*roles: str) -> tuple[Client, Any]:
    person = UserFactory(roles=list(roles))
    client = Client()
    client.force_login(person)
    return client, person


def authority(code: str) -> Authority:
    return Authority.objects.get(code=code)


def upload(client: Client, code: str, *files: tuple[str, bytes], **fields: str) -> Any:
    sent = [SimpleUploadedFile(name, data) for name, data in files]
    body = {"authority": authority(code).pk, "files": sent, **fields}
    return client.post("/spend/files/upload/", body)


def lambeth_file(name: str) -> tuple[str, bytes]:
    return name, (LAMBETH / name).read_bytes()


def results(response: Any) -> list[str]:
    text = response.content.decode()
    return [part.split('"', 1)[0] for part in text.split('data-result="')[1:]]


def test_a_gla_file_is_stored_then_already_imported(db: None) -> None:
    client, analyst = signed_in("analyst")
    name = "2013-P05.csv.gz"
    period = gla_period(name)
    sent = (name, (GLA / name).read_bytes())
    response = upload(client, GLA_CODE, sent, period=f"{period.start}/{period.end}")
    assert response.status_code == 200
    assert results(response) == ["stored"]
    stored = SpendFile.objects.get()
    assert (stored.authority.code, stored.imported_by) == (GLA_CODE, analyst)
    page = client.get(f"/spend/files/{stored.pk}/?format=csv")
    months = {r["Month"]: Decimal(r["Amount"]) for r in csv.DictReader(io.StringIO(page.text))}
    assert months == gla_sums([name])["month"]
    assert sum(months.values()) != 0
    again = upload(client, GLA_CODE, sent, period=f"{period.start}/{period.end}")
    assert results(again) == ["already"]
    assert "already imported" in again.content.decode()
    assert SpendFile.objects.count() == 1
    listed = client.get("/spend/files/")
    assert listed.status_code == 200 and name in listed.content.decode()


def test_several_files_at_once_and_a_republished_month_replaces_the_old(db: None) -> None:
    client, _ = signed_in(f"officer:{LAMBETH_CODE}")
    april, may = lambeth_file("2011-04-payments.csv"), lambeth_file("2011-05-payments.csv")
    response = upload(client, LAMBETH_CODE, april, may)
    assert results(response) == ["stored", "stored"]
    # Re-published with a trailing blank line: other bytes, the same month.
    republished = ("2011-04-payments-v2.csv", april[1] + b"\r\n")
    replaced = upload(client, LAMBETH_CODE, republished)
    assert results(replaced) == ["stored"] and "It replaces" in replaced.content.decode()
    old = SpendFile.objects.get(name=april[0])
    assert SpendCoverage.objects.get(file=old).superseded_by.name == republished[0]
    grid = client.get("/spend/files/?table=coverage&format=csv").text
    rows = list(csv.DictReader(io.StringIO(grid)))
    assert [r["Month"] for r in rows] == ["2011-04-01", "2011-05-01"]
    assert republished[0] in rows[0]["Current file(s)"] and april[0] in rows[0]["Replaced file(s)"]


def test_a_damaged_row_is_refused_then_the_good_rows_are_stored(db: None) -> None:
    client, officer = signed_in(f"officer:{LAMBETH_CODE}")
    response = upload(client, LAMBETH_CODE, lambeth_file(DAMAGED))
    assert results(response) == ["refused"]
    text = response.content.decode()
    assert "954" in text and "Total" in text and "Store the good rows" in text
    assert not SpendFile.objects.exists()
    digest = digest_of((LAMBETH / DAMAGED).read_bytes())
    report = client.get(f"/spend/files/pending/{digest}/?format=csv")
    rows = list(csv.DictReader(io.StringIO(report.text)))
    assert [(r["Row"], r["Column"]) for r in rows] == [("954", "Total")]
    stranger, _ = signed_in("analyst")  # another person's upload is theirs alone
    assert stranger.get(f"/spend/files/pending/{digest}/").status_code == 404
    accepted = client.post(f"/spend/files/pending/{digest}/", {"action": "accept"})
    assert results(accepted) == ["stored"]
    stored = SpendFile.objects.get()
    assert (stored.errors_accepted, stored.rows_refused, stored.imported_by) == (True, 1, officer)
    assert SpendProblem.objects.get(file=stored).row == 954
    assert client.get(f"/spend/files/pending/{digest}/").status_code == 404  # deleted
    assert not owner_folder(officer).exists()
    page = client.get(f"/spend/files/{stored.pk}/")
    assert "Rows refused" in page.content.decode() and "954" in page.content.decode()
    months = client.get(f"/spend/files/{stored.pk}/?format=json").json()["rows"]
    assert {m["month"]: Decimal(m["amount"]) for m in months} == lambeth_sums([DAMAGED])["month"]


def test_accepting_errors_on_the_upload_form_stores_the_good_rows_at_once(db: None) -> None:
    client, _ = signed_in("analyst")
    response = upload(client, LAMBETH_CODE, lambeth_file(DAMAGED), accept_errors="on")
    assert results(response) == ["stored"]
    assert SpendFile.objects.get().rows_refused == 1


def test_an_ambiguous_mapping_is_asked_and_the_answer_remembered(db: None) -> None:
    client, officer = signed_in(f"officer:{LAMBETH_CODE}")
    data = AMBIGUOUS.encode()
    response = upload(client, LAMBETH_CODE, ("spend.csv", data))
    assert results(response) == ["questions"]
    assert not SpendFile.objects.exists()
    asked = f"/spend/files/pending/{digest_of(data)}/questions/"
    page = client.get(asked).content.decode()
    assert "Net Amount" in page and "Gross Amount" in page and "120.00" in page
    assert "Leave this column out" in page
    assert "Which column is the amount paid: “Net Amount” or “Gross Amount”?" in page
    both = client.post(asked, {"column_0": "amount", "column_1": "amount"})
    assert both.status_code == 400 and "Only one column can be the amount" in both.text
    answered = client.post(asked, {"column_0": "leave-out", "column_1": "amount"})
    assert results(answered) == ["stored"]
    mapping = SpendMapping.objects.get()
    assert mapping.fields["Gross Amount"] == "amount" and mapping.fields["Net Amount"] is None
    assert mapping.confirmed_by == officer
    assert client.get(asked).status_code == 404  # the upload was deleted
    later = AMBIGUOUS.replace("2013", "2014").encode()  # the same headings: not asked again
    assert results(upload(client, LAMBETH_CODE, ("later.csv", later))) == ["stored"]
    stored = SpendFile.objects.get(name="spend.csv")
    months = client.get(f"/spend/files/{stored.pk}/?format=json").json()["rows"]
    assert [(m["month"], Decimal(m["amount"])) for m in months] == [("2013-04", Decimal("108"))]


def test_an_unreadable_file_and_a_wrong_kind_of_file(db: None) -> None:
    client, _ = signed_in("analyst")
    response = upload(client, LAMBETH_CODE, ("notes.csv", b"just a note\r\nand another\r\n"))
    assert results(response) == ["unreadable"]
    wrong = upload(client, LAMBETH_CODE, ("spend.pdf", b"%PDF-1.4"))
    assert wrong.status_code == 400 and "choose CSV, .csv.gz or XLSX files" in wrong.text
    bad_period = upload(client, LAMBETH_CODE, lambeth_file(DAMAGED), period="someday")
    assert bad_period.status_code == 400
    assert not SpendFile.objects.exists()


def test_an_officer_is_kept_to_their_own_council(db: None) -> None:
    client, _ = signed_in(f"officer:{LAMBETH_CODE}")
    form = client.get("/spend/files/upload/").content.decode()
    assert "Lambeth" in form and "Southwark" not in form
    refused = upload(client, SOUTHWARK_CODE, lambeth_file("2011-04-payments.csv"))
    assert refused.status_code == 400 and not SpendFile.objects.exists()
    office, _ = signed_in("analyst")
    upload(office, SOUTHWARK_CODE, lambeth_file("2011-04-payments.csv"))
    southwarks = SpendFile.objects.get()
    assert client.get(f"/spend/files/{southwarks.pk}/").status_code == 403
    assert "2011-04-payments.csv" not in client.get("/spend/files/").content.decode()
    assert "2011-04-payments.csv" in office.get("/spend/files/").content.decode()


@pytest.mark.parametrize("roles", [(), ("board",)])
def test_residents_and_the_board_see_no_spending_files(db: None, roles: tuple[str, ...]) -> None:
    client, _ = signed_in(*roles)
    for path in ("/spend/files/", "/spend/files/upload/"):
        assert client.get(path).status_code == 403
    assert Client().get("/spend/files/").status_code == 302  # to sign in


def test_a_field_with_no_column_is_asked_among_the_columns_left_over(db: None) -> None:
    client, _ = signed_in("analyst")
    data = b"Ref,Amount,Date,Notes\r\nAcme Ltd,1.00,02/04/2013,x\r\nBeta plc,2.50,03/04/2013,y\r\n"
    assert results(upload(client, LAMBETH_CODE, ("nameless.csv", data))) == ["questions"]
    asked = f"/spend/files/pending/{digest_of(data)}/questions/"
    page = client.get(asked).content.decode()
    assert "“Ref”" in page and "“Notes”" in page and "Acme Ltd" in page
    assert "No column was found for the supplier&#x27;s name" in page
    assert "The transaction number (as it was read)" in page  # what Ref was read as, kept if chosen
    assert client.post(asked, {"column_0": "supplier"}).status_code == 400  # Notes unanswered
    answered = client.post(asked, {"column_0": "supplier", "column_1": "leave-out"})
    assert results(answered) == ["stored"]
    stored = SpendFile.objects.get()
    assert stored.mapping[""]["Ref"] == "supplier" and stored.mapping[""]["Notes"] is None
    detail = client.get(f"/spend/files/{stored.pk}/").content.decode()
    assert "£3.50" in detail


def test_an_upload_left_unanswered_goes_after_the_retention(db: None, settings: Any) -> None:
    client, _ = signed_in("analyst")
    data = AMBIGUOUS.encode()
    upload(client, LAMBETH_CODE, ("spend.csv", data))
    asked = f"/spend/files/pending/{digest_of(data)}/questions/"
    assert client.get(asked).status_code == 200
    assert discard_stale() == 0
    later = time.time() + (settings.UPLOAD_RETENTION_DAYS + 1) * 24 * 60 * 60
    assert discard_stale(now=later) == 2  # its bytes and what was asked
    assert client.get(asked).status_code == 404


def test_a_workbook_is_stored_as_its_csv_twin_is(db: None) -> None:
    """Lambeth's April 2011 rows written into an XLSX sheet: the same rows and total."""
    client, _ = signed_in("analyst")
    name = "2011-04-payments.csv"
    with (LAMBETH / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    book = Workbook()
    sheet = book.active
    sheet.title = "April 2011"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    response = upload(client, LAMBETH_CODE, ("2011-04-payments.xlsx", out.getvalue()))
    assert results(response) == ["stored"]
    twin = upload(client, SOUTHWARK_CODE, lambeth_file(name))
    assert results(twin) == ["stored"]
    workbook, text = (SpendFile.objects.get(name__endswith=s) for s in (".xlsx", ".csv"))
    assert workbook.sheets == ["April 2011"] and workbook.rows_stored == text.rows_stored
    totals = [
        client.get(f"/spend/files/{f.pk}/?format=json").json()["rows"] for f in (workbook, text)
    ]
    assert totals[0] == totals[1]
    assert {r["month"]: Decimal(r["amount"]) for r in totals[0]} == lambeth_sums([name])["month"]
