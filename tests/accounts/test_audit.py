"""The audit log: writes from pages, commands, imports and background tasks, failed sign-ins
and lock-outs; no password hash ever kept; the performance office's page, its search and
downloads; read-only in the admin; and an authority's history on its page."""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ambition.accounts.audit import REDACTED, Actor, acting, history_for
from ambition.accounts.models import AuditEntry
from ambition.indicators.imports import import_observations
from ambition.indicators.models import ImportBatch, Indicator, ServiceArea
from ambition.registry.models import Authority
from tests.accounts.factories import UserFactory
from tests.pages import body_rows, page, parse

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-and-unusual-password-2006"
LAMBETH = "E09000022"
EMPLOYMENT = "ons-employment-rate"
INDICATOR_ADMIN = "/admin/indicators/indicator/"
NO_NAME = "\u2013"  # the page's dash where an entry has no user name


def entries(**lookup: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(**lookup).order_by("id"))


@pytest.fixture
def superuser() -> Any:
    return UserFactory(username="audit-admin", password=PASSWORD, roles=["administrator"])


@pytest.fixture
def admin_client(client: Client, superuser: Any) -> Client:
    client.force_login(superuser)
    return client


def indicator_form(area: ServiceArea, **changes: str) -> dict[str, Any]:
    form = {
        "code": "audit-test-indicator",
        "name": "Audit test indicator",
        "service_area": area.pk,
        "unit": "%",
        "polarity": "higher",
        "polarity_basis": "",
        "year_basis": "financial",
        "definition": "",
        "source": "Tests",
        "source_url": "",
        "licence": "OGL",
        "decimal_places": "1",
    }
    return {**form, **changes}


# Writes from pages, commands, imports and tasks


def test_creating_changing_and_deleting_in_the_admin_is_recorded(
    admin_client: Client, superuser: Any
) -> None:
    area = ServiceArea.objects.order_by("pk").first()
    assert area is not None
    added = admin_client.post(f"{INDICATOR_ADMIN}add/", indicator_form(area))
    assert added.status_code == 302
    indicator = Indicator.objects.get(code="audit-test-indicator")
    [created] = entries(model="indicators.indicator", object_id=str(indicator.pk))
    assert (created.action, created.user, created.username) == ("create", superuser, "audit-admin")
    assert (created.via, created.path) == ("page", f"POST {INDICATOR_ADMIN}add/")
    assert created.before is None
    assert created.after["name"] == "Audit test indicator"
    assert created.after["service_area"] == area.pk
    assert created.object_repr == "Audit test indicator"

    change = f"{INDICATOR_ADMIN}{indicator.pk}/change/"
    edited = indicator_form(area, name="Renamed indicator", unit="per 1,000")
    assert admin_client.post(change, edited).status_code == 302
    [updated] = entries(model="indicators.indicator", action="update")
    assert updated.before == {"name": "Audit test indicator", "unit": "%"}
    assert updated.after == {"name": "Renamed indicator", "unit": "per 1,000"}
    assert (updated.username, updated.via, updated.path) == (
        "audit-admin",
        "page",
        f"POST {change}",
    )

    delete = f"{INDICATOR_ADMIN}{indicator.pk}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    [deleted] = entries(model="indicators.indicator", action="delete")
    assert deleted.object_id == str(indicator.pk) and deleted.after is None
    assert (
        deleted.before["name"] == "Renamed indicator" and deleted.before["code"] == indicator.code
    )
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    assert entries(model="admin.logentry") == []  # the admin's own log is not copied


def test_a_save_that_changes_nothing_records_nothing() -> None:
    indicator = Indicator.objects.get(code=EMPLOYMENT)
    before = AuditEntry.objects.latest("id").pk
    indicator.save()
    indicator.save(update_fields=["name", "unit"])
    Indicator.objects.get(pk=indicator.pk).save()
    assert AuditEntry.objects.latest("id").pk == before

    indicator.definition = "Changed in a test"
    indicator.save(update_fields=["name", "definition"])
    [entry] = entries(model="indicators.indicator", object_id=str(indicator.pk), id__gt=before)
    assert entry.action == "update" and set(entry.after) == {"definition"}
    assert (entry.via, entry.user, entry.path) == ("system", None, "")


def test_a_command_records_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMBITION_NEW_PASSWORD", PASSWORD)
    last = AuditEntry.objects.latest("id").pk
    call_command("create_user", "audit-cli", "--role", "board", stdout=io.StringIO())
    user = get_user_model().objects.get(username="audit-cli")
    [made] = entries(model="auth.user", object_id=str(user.pk))
    [grant] = entries(model="accounts.rolegrant", id__gt=last)
    for entry in (made, grant):
        assert (entry.action, entry.via, entry.path) == ("create", "command", "create_user")
        assert entry.user is None and entry.username == ""
    assert made.after["username"] == "audit-cli"
    assert grant.after["role"] == "board" and grant.after["user"] == user.pk


def test_an_import_that_changes_data_records_its_batch(tmp_path: Path, analyst: Any) -> None:
    path = tmp_path / "revised.csv"
    path.write_text(f"authority,indicator,period,value\n{LAMBETH},{EMPLOYMENT},2004,70.1\n")
    with acting(Actor("command", "import_observations")):
        report = import_observations(path, origin="cli", user=analyst)
    assert report.ok and report.revised == 1
    # The batch is made once the import knows it writes, so it is one entry, complete.
    [created] = entries(model="indicators.importbatch", object_id=str(report.batch_id))
    assert created.action == "create" and created.after["revised"] == 1
    assert created.after["file_name"] == "revised.csv" and created.after["user"] == analyst.pk
    assert (created.via, created.path) == ("command", "import_observations")


def test_an_import_from_the_page_records_the_task_and_the_person_who_asked(
    client: Client, analyst: Any
) -> None:
    client.force_login(analyst)
    content = f"authority,indicator,period,value\n{LAMBETH},{EMPLOYMENT},2005,71.9\n".encode()
    upload = SimpleUploadedFile("from-page.csv", content, content_type="text/csv")
    assert client.post("/import/", {"file": upload}).status_code == 302
    [job] = entries(model="indicators.importjob", action="create")
    assert (job.via, job.path, job.user) == ("page", "POST /import/", analyst)
    batch = ImportBatch.objects.get(file_name="from-page.csv")
    created = entries(model="indicators.importbatch", object_id=str(batch.pk), action="create")
    assert [(e.via, e.path, e.user) for e in created] == [
        ("command", "task:run_import_job", analyst)
    ]


# Sign-ins


def test_a_failed_sign_in_is_recorded(client: Client, analyst: Any) -> None:
    client.post("/account/login/", {"username": "test-analyst", "password": "wrong-guess"})
    client.post("/account/login/", {"username": "nobody-by-this-name", "password": "x"})
    known, unknown = entries(action="login-failed")
    assert (known.username, known.object_id, known.model) == (
        "test-analyst",
        str(analyst.pk),
        "auth.user",
    )
    assert (known.via, known.path, known.user) == ("page", "POST /account/login/", None)
    assert known.after == {"ip_address": "127.0.0.1"}
    assert (unknown.username, unknown.object_id) == ("nobody-by-this-name", "")
    assert "wrong-guess" not in json.dumps([known.after, known.before])


def test_a_brute_force_of_20_attempts_is_locked_out_and_each_attempt_recorded(
    client: Client, analyst: Any
) -> None:
    for n in range(20):
        client.post("/account/login/", {"username": "test-analyst", "password": f"guess-{n}"})
    recorded = entries(username="test-analyst")
    actions = [e.action for e in recorded]
    # Four failures, then the fifth locks the name and every later attempt meets the lock.
    assert actions == ["login-failed"] * 4 + ["locked-out"] * 16
    assert {(e.via, e.path, e.object_id) for e in recorded} == {
        ("page", "POST /account/login/", str(analyst.pk))
    }


# Secrets


def test_no_password_hash_is_ever_recorded(client: Client) -> None:
    person = UserFactory(password=PASSWORD, roles=["board"])
    client.force_login(person)
    new_password = "another-long-unusual-password-7"
    changed = client.post(
        "/account/password_change/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert changed.status_code == 302
    person.refresh_from_db()
    history = entries(model="auth.user", object_id=str(person.pk))
    update = next(e for e in history if e.action == "update" and "password" in e.after)
    assert update.before["password"] == update.after["password"] == REDACTED
    assert update.path == "POST /account/password_change/" and update.username == person.username
    everything = json.dumps([[e.before, e.after] for e in entries()])
    assert person.password not in everything
    assert "md5$" not in everything and "argon2" not in everything


# The audit page


@pytest.fixture
def office(client: Client, analyst: Any) -> Client:
    client.force_login(analyst)
    return client


def test_the_audit_page_is_the_performance_office_s(
    client: Client, analyst: Any, resident: Any
) -> None:
    officer = UserFactory(roles=[f"officer:{LAMBETH}"])
    anonymous = client.get("/audit/")
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]
    for person in (officer, resident):
        client.force_login(person)
        assert client.get("/audit/").status_code == 403
        assert client.get("/audit/", {"format": "csv"}).status_code == 403
    client.force_login(analyst)
    assert client.get("/audit/").status_code == 200
    assert client.post("/audit/").status_code == 405


def _make_history(analyst: Any, superuser: Any) -> Indicator:
    indicator = Indicator.objects.get(code=EMPLOYMENT)
    with acting(Actor("page", "POST /test/", who=lambda: analyst)):
        indicator.definition = "First change"
        indicator.save()
    with acting(Actor("api", "PATCH /api/test", who=lambda: superuser)):
        indicator.definition = "Second change"
        indicator.save()
        ServiceArea.objects.create(code="audit-area", name="Audit area")
    return indicator


def _page_rows(client: Client, **params: str) -> list[list[str]]:
    table = page(client, "/audit/", **params).find("table", data_section="entries")
    rows = [r for r in body_rows(table) if "data-entry" in r.attrs]
    return [[cell.text for cell in row.find_all("td")] for row in rows]


def test_the_audit_page_searches_and_shows_the_changes(
    office: Client, analyst: Any, superuser: Any
) -> None:
    indicator = _make_history(analyst, superuser)
    by_analyst = _page_rows(office, user="test-analyst", model="indicators.indicator")
    assert len(by_analyst) == 1
    assert "First change" in by_analyst[0][4] and by_analyst[0][2] == "update"
    assert "POST /test/" in by_analyst[0][5]
    one_object = _page_rows(office, model="indicators.indicator", object_id=str(indicator.pk))
    # Newest first; the first entry is the demo's loading, by a command, not a person.
    assert [r[1] for r in one_object] == ["audit-admin", "test-analyst", NO_NAME]
    created = _page_rows(office, action="create", model="indicators.servicearea")
    assert len(created) == ServiceArea.objects.count()  # the demo's, and one made here
    made_here = _page_rows(office, action="create", user="audit-admin")
    assert [r[3].split()[0:3] for r in made_here] == [["Audit", "area", "indicators.servicearea"]]
    assert _page_rows(office, action="delete", user="audit-admin") == []
    today = timezone.localdate()
    assert len(_page_rows(office, date_from=today.isoformat(), user="audit-admin")) == 2
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    assert _page_rows(office, date_to=yesterday, user="audit-admin") == []


def test_a_date_search_reads_london_days(office: Client, analyst: Any, superuser: Any) -> None:
    _make_history(analyst, superuser)
    old = AuditEntry.objects.filter(username="test-analyst").latest("id")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=10))
    day = timezone.localdate(timezone.now() - datetime.timedelta(days=10)).isoformat()
    found = _page_rows(office, date_from=day, date_to=day)
    assert len(found) == 1 and found[0][1] == "test-analyst"


def test_a_bad_search_says_so_and_shows_nothing(office: Client) -> None:
    response = office.get("/audit/", {"date_from": "not-a-date", "model": "no.such"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert "No entries match" in parse(response.content).find("table", data_section="entries").text


def test_the_csv_and_json_list_the_same_rows_as_the_page(
    office: Client, analyst: Any, superuser: Any
) -> None:
    indicator = _make_history(analyst, superuser)
    search = {"model": "indicators.indicator", "object_id": str(indicator.pk)}
    shown = _page_rows(office, **search)
    download = office.get("/audit/", {**search, "format": "csv"})
    assert download["Content-Type"].startswith("text/csv")
    header, *rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert header[:3] == ["When", "User", "Action"]
    assert len(rows) == len(shown) == 3  # loaded by the demo, then changed twice
    assert [(r[1] or NO_NAME, r[2]) for r in rows] == [(s[1], s[2]) for s in shown]
    assert json.loads(rows[0][7]) == {"definition": "Second change"}
    body = json.loads(office.get("/audit/", {**search, "format": "json"}).content)
    assert [(r["username"], r["action"]) for r in body["rows"]] == [(r[1], r[2]) for r in rows]
    assert body["rows"][0]["after"] == {"definition": "Second change"}


def test_the_audit_page_is_paginated(office: Client, analyst: Any) -> None:
    indicator = Indicator.objects.get(code=EMPLOYMENT)
    with acting(Actor("page", "POST /test/", who=lambda: analyst)):
        for n in range(55):
            indicator.definition = f"Change {n}"
            indicator.save()
    first = _page_rows(office, user="test-analyst")
    second = _page_rows(office, user="test-analyst", page="2")
    assert (len(first), len(second)) == (50, 5)
    assert "Change 54" in first[0][4] and "Change 0" in second[-1][4]


# The admin, and an authority's history


def test_audit_entries_cannot_be_added_changed_or_deleted_in_the_admin(
    admin_client: Client, analyst: Any, superuser: Any
) -> None:
    _make_history(analyst, superuser)
    entry = AuditEntry.objects.filter(username="test-analyst").latest("id")
    url = f"/admin/accounts/auditentry/{entry.pk}/"
    assert admin_client.get("/admin/accounts/auditentry/").status_code == 200
    shown = admin_client.get(f"{url}change/")
    assert shown.status_code == 200 and b'name="_save"' not in shown.content
    assert admin_client.post(f"{url}change/", {"username": "someone-else"}).status_code == 403
    assert admin_client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    assert admin_client.get("/admin/accounts/auditentry/add/").status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    admin_client.post("/admin/accounts/auditentry/", bulk)
    entry_now = AuditEntry.objects.get(pk=entry.pk)
    assert (entry_now.username, entry_now.after) == ("test-analyst", entry.after)


def test_an_authority_shows_its_history_to_the_performance_office(
    client: Client, analyst: Any, resident: Any
) -> None:
    lambeth = Authority.objects.get(code=LAMBETH)
    with acting(Actor("page", "POST /test/", who=lambda: analyst)):
        lambeth.sub_region = "South-west"
        lambeth.save()
    [(latest, changes)] = history_for(lambeth, limit=1)
    assert latest.username == "test-analyst"
    assert [(c.field, c.after) for c in changes] == [("sub_region", "South-west")]
    client.force_login(analyst)
    history = page(client, f"/authorities/{LAMBETH}/").find(
        "details", data_section="history-of-changes"
    )
    first = history.find("li", data_action="update")
    assert "test-analyst" in first.text and "South-west" in first.text
    client.force_login(resident)
    public = client.get(f"/authorities/{LAMBETH}/").content
    assert b"History of changes" not in public and b"test-analyst" not in public
