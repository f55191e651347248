"""Signing in, locking out, roles on real pages, and the security headers."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from ambition.accounts.models import Role, RoleGrant
from ambition.accounts.people import RoleSpec, create_person
from ambition.indicators.models import ImportBatch, Observation
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
LAMBETH, SOUTHWARK = "E09000022", "E09000028"
PASSWORD = "a-long-and-unusual-password-2006"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


@pytest.fixture
def officer() -> object:
    return UserFactory(
        username="lambeth-officer",
        password=PASSWORD,
        email="officer@lambeth.example",
        roles=[f"officer:{LAMBETH}"],
    )


def test_a_brute_force_of_20_attempts_is_locked_out_and_recorded(
    client: Client, officer: object
) -> None:
    statuses = [
        client.post(
            "/account/login/", {"username": "lambeth-officer", "password": f"guess-{n}"}
        ).status_code
        for n in range(20)
    ]
    assert statuses[:4] == [200] * 4  # the form again, with its error
    assert set(statuses[5:]) == {429}  # locked
    locked = client.post("/account/login/", {"username": "lambeth-officer", "password": PASSWORD})
    assert locked.status_code == 429 and b"Too many failed attempts" in locked.content
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get(username="lambeth-officer")
    assert attempt.failures_since_start >= 5
    assert AccessFailureLog.objects.filter(username="lambeth-officer").count() >= 5


def test_signing_in_and_out(client: Client, officer: object) -> None:
    response = client.post("/account/login/", {"username": "lambeth-officer", "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"]
    assert client.post("/account/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_password_reset_link_is_sent(client: Client, officer: object) -> None:
    client.post("/account/password_reset/", {"email": "officer@lambeth.example"})
    [message] = mail.outbox
    assert "/account/reset/" in message.body


def test_passwords_are_hashed_with_argon2(settings: object) -> None:
    from ambition import settings as configured

    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS  # type: ignore[attr-defined]
    user = create_person("hashed", PASSWORD, [RoleSpec.parse("board")])
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)


def test_an_officer_imports_for_their_own_authority_only(client: Client, officer: Any) -> None:
    client.force_login(officer)
    content = (
        "authority,indicator,period,value\n"
        f"{LAMBETH},ons-employment-rate,2004,70.5\n"
        f"{SOUTHWARK},ons-employment-rate,2004,70.5\n"
    ).encode()
    before = Observation.private_objects.count(), ImportBatch.objects.count()
    upload = SimpleUploadedFile("two-councils.csv", content, content_type="text/csv")
    response = client.post("/import/", {"file": upload}, follow=True)
    assert b"you may not write for this authority" in response.content
    assert b"<code>E09000028</code>" in response.content
    assert (Observation.private_objects.count(), ImportBatch.objects.count()) == before


def test_a_resident_and_a_board_member_cannot_import(client: Client) -> None:
    board = UserFactory(roles=["board"])
    client.force_login(board)
    assert client.get("/import/").status_code == 403
    assert client.post("/import/", {}).status_code == 403


def test_create_user_command_grants_roles() -> None:
    out = io.StringIO()
    call_command(
        "create_user", "southwark", "--role", f"officer:{SOUTHWARK}", "--role", "board", stdout=out
    )
    grants = RoleGrant.objects.filter(user__username="southwark")
    assert {(g.role, g.authority.code if g.authority else None) for g in grants} == {
        (Role.OFFICER, SOUTHWARK),
        (Role.BOARD, None),
    }
    assert "password (shown once)" in out.getvalue()
    with pytest.raises(CommandError, match="names the authority"):
        call_command("create_user", "nobody", "--role", "officer")


def test_pages_carry_a_content_security_policy_without_inline_code(client: Client) -> None:
    policy = client.get("/")["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy
        and "unsafe-eval" not in policy
    )
    assert client.get("/")["X-Frame-Options"] == "DENY"
