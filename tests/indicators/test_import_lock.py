"""A long import holds the database's write lock only for its final write: while it reads,
checks and stages its file, people sign in and the site writes as usual. On SQLite's test
database (in memory, shared cache) a held lock answers "locked" at once, so a sign-in made
while the import is staging fails on code that stages inside the write transaction."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test import Client

from ambition.accounts.models import AuditEntry
from ambition.accounts.people import RoleSpec, create_person
from ambition.indicators.imports import import_observations
from ambition.indicators.models import ImportBatch

LAMBETH = "E09000022"
PASSWORD = "officer-password-1"


@pytest.fixture
def person(
    django_db_setup: None, django_db_blocker: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    """A person committed to the test database, since the sign-in runs on another thread's
    connection. No test transaction wraps these tests (a transactional test's flush would
    empty the session's reference data): the fixture removes what they add.

    Being database tests without a database mark, they run among the browser tests, whose
    Playwright keeps an event loop open on this thread; nothing here is asynchronous, so
    Django's guard against blocking calls inside a loop is told so."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with django_db_blocker.unblock():
        yield from _committed_person()


def _committed_person() -> Iterator[Any]:
    last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    user = create_person("lock-officer", PASSWORD, [RoleSpec.parse(f"officer:{LAMBETH}")])
    try:
        yield user
    finally:
        for model in (AccessLog, AccessAttempt, AccessFailureLog):
            model.objects.filter(username="lock-officer").delete()
        get_user_model().objects.filter(pk=user.pk).delete()
        AuditEntry.objects.filter(id__gt=last_audit).delete()


def _sign_in(outcome: dict[str, Any]) -> None:
    try:
        started = time.perf_counter()
        answer = Client().post(
            "/account/login/", {"username": "lock-officer", "password": PASSWORD}
        )
        outcome.update(status=answer.status_code, seconds=time.perf_counter() - started)
    except Exception as error:  # the "database is locked" that a held lock gives
        outcome["error"] = repr(error)
    finally:
        connections.close_all()  # this thread's own connection


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_person_signs_in_while_an_import_stages_its_file(
    person: Any, settings: Any, tmp_path: Path, dry_run: bool
) -> None:
    settings.IMPORT_BATCH_ROWS = 1  # a chunk a row: progress is reported between chunks
    path = tmp_path / "slow.csv"
    path.write_text(
        "authority,indicator,period,value\n"
        f"{LAMBETH},ons-employment-rate,2004,70.1\n"
        f"{LAMBETH},ons-employment-rate,2005,70.2\n"
        "Gotham City,ons-employment-rate,2006,70.3\n"  # refused: the import writes nothing
    )
    batches = ImportBatch.objects.count()
    Client().get("/account/login/")  # the first request loads every URL module: not timed
    outcome: dict[str, Any] = {}

    def progress(rows: int, fraction: float) -> None:
        if rows == 1:  # the import is staging its rows: sign in meanwhile
            signing_in = threading.Thread(target=_sign_in, args=(outcome,))
            signing_in.start()
            signing_in.join(timeout=60)

    report = import_observations(path, origin="cli", progress=progress, dry_run=dry_run)
    assert not report.ok and ImportBatch.objects.count() == batches
    assert outcome.get("status") == 302, outcome
    assert outcome["seconds"] < 2


def _hold_the_write_lock(held: threading.Event, release: threading.Event) -> None:
    """Another connection in the middle of a long write, as an import's final write is."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            held.set()
            release.wait(timeout=60)
            cursor.execute("ROLLBACK")
    finally:
        connections.close_all()


def test_a_person_signs_in_while_another_connection_writes(person: Any) -> None:
    """Sign-in writes nothing it must wait for: the session is in a cache, the lock-out
    handler has no attempts to clear, and the last-login time is skipped when busy."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's one write lock")
    Client().get("/account/login/")  # the first request loads every URL module: not timed
    held, release = threading.Event(), threading.Event()
    writer = threading.Thread(target=_hold_the_write_lock, args=(held, release))
    writer.start()
    try:
        assert held.wait(timeout=30)
        outcome: dict[str, Any] = {}
        _sign_in(outcome)
    finally:
        release.set()
        writer.join(timeout=60)
    assert outcome.get("status") == 302, outcome
    assert outcome["seconds"] < 2


@pytest.mark.django_db
def test_every_sqlite_connection_waits_for_a_lock_rather_than_failing() -> None:
    """(This module's one test in a test transaction, which also has the test database made
    when the module runs alone.)"""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's busy timeout")
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 30_000
