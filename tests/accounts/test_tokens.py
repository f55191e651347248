"""API tokens: made and revoked on the account page, shown once, kept as a digest, acting
with the owner's roles; and the API, which reads publicly but refuses a bad token."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ambition.accounts.models import ApiToken, AuditEntry
from ambition.accounts.tokens import authenticate_token, issue_token, revoke
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
OBSERVATIONS = "/api/v1/observations?indicator=recycling-rate&limit=5"


@pytest.fixture
def analyst() -> Any:
    return UserFactory(roles=["analyst"])


@pytest.fixture
def board() -> Any:
    return UserFactory(roles=["board"])


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def stored_text(client: Client) -> str:
    """Where a careless implementation would leave a token: its row, the session (read
    through the session engine, wherever settings keep it), the audit log."""
    tokens = list(ApiToken.objects.values_list("name", "prefix", "digest"))
    sessions = [dict(client.session.items())]
    audit = list(AuditEntry.objects.values_list("object_repr", "before", "after"))
    return repr([tokens, sessions, audit])


def test_a_token_is_shown_once_and_only_its_digest_is_kept(analyst: Any) -> None:
    client = signed_in(analyst)
    response = client.post("/account/", {"name": "nightly import"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=analyst)
    [raw] = re.findall(r"amb_[\w-]{43}", response.content.decode())
    assert raw.startswith(token.prefix) and len(token.prefix) == 12
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert b"will not be shown again" in response.content
    assert raw[len(token.prefix) :] not in stored_text(client)
    again = client.get("/account/")
    assert raw.encode() not in again.content and token.prefix.encode() in again.content


def test_an_empty_name_is_refused_with_an_error(analyst: Any) -> None:
    response = signed_in(analyst).post("/account/", {"name": ""})
    assert response.status_code == 200 and b"govuk-error-summary" in response.content
    assert not ApiToken.objects.filter(user=analyst).exists()


def test_a_valid_token_reads_the_api_and_records_its_use(analyst: Any) -> None:
    token, raw = issue_token(analyst, "script")
    response = Client().get(OBSERVATIONS, **bearer(raw))
    assert response.status_code == 200 and response.json()["results"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(analyst: Any) -> None:
    token, raw = issue_token(analyst, "script")
    authenticate_token(raw)
    token.refresh_from_db()
    first = token.last_used_at
    authenticate_token(raw)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    authenticate_token(raw)
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=1)


@pytest.mark.parametrize("header", ["Bearer amb_not-a-token", "Bearer ", "Basic dXNlcjpwdw=="])
def test_a_garbage_token_is_refused(header: str) -> None:
    response = Client().get(OBSERVATIONS, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_a_revoked_token_is_refused_even_with_a_session(analyst: Any) -> None:
    token, raw = issue_token(analyst, "script")
    revoke(token)
    assert Client().get(OBSERVATIONS, **bearer(raw)).status_code == 401
    assert signed_in(analyst).get(OBSERVATIONS, **bearer(raw)).status_code == 401
    assert authenticate_token(raw) is None


def test_an_inactive_person_s_token_is_refused(analyst: Any) -> None:
    _, raw = issue_token(analyst, "script")
    analyst.is_active = False
    analyst.save()
    assert Client().get(OBSERVATIONS, **bearer(raw)).status_code == 401


def test_the_api_reads_publicly_without_credentials() -> None:
    assert Client().get(OBSERVATIONS).status_code == 200
    assert Client().get("/api/v1/authorities/E09000022").status_code == 200


def test_a_signed_in_session_still_reads_the_api(analyst: Any) -> None:
    assert signed_in(analyst).get(OBSERVATIONS).status_code == 200


def test_a_token_acts_with_its_owner_s_roles(analyst: Any, board: Any) -> None:
    _, analyst_raw = issue_token(analyst, "analyst script")
    _, board_raw = issue_token(board, "board script")
    as_analyst, as_board = authenticate_token(analyst_raw), authenticate_token(board_raw)
    assert as_analyst == analyst and as_board == board
    assert as_analyst.has_perm("indicators.add_observation")
    assert not as_board.has_perm("indicators.add_observation")


def test_a_person_revokes_their_token_on_the_account_page(analyst: Any) -> None:
    token, raw = issue_token(analyst, "script")
    client = signed_in(analyst)
    page = client.get("/account/")
    assert b"Revoke" in page.content and b"Analyst" in page.content
    response = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/account/"
    token.refresh_from_db()
    assert not token.is_active
    assert b"Revoked" in client.get("/account/").content
    assert Client().get(OBSERVATIONS, **bearer(raw)).status_code == 401


def test_another_person_s_token_cannot_be_revoked(analyst: Any, board: Any) -> None:
    token, raw = issue_token(analyst, "script")
    response = signed_in(board).post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.is_active and authenticate_token(raw) == analyst


def test_revoking_asks_for_a_post_with_a_csrf_token(analyst: Any) -> None:
    token, _ = issue_token(analyst, "script")
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    assert client.get(f"/account/tokens/{token.pk}/revoke/").status_code == 405
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.is_active


def test_the_account_page_asks_anonymous_people_to_sign_in() -> None:
    response = Client().get("/account/")
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")


def test_the_header_links_signed_in_people_to_their_account(analyst: Any) -> None:
    assert b'href="/account/"' in signed_in(analyst).get("/").content
    assert b'href="/account/"' not in Client().get("/").content


def test_the_openapi_description_declares_the_bearer_scheme() -> None:
    spec = Client().get("/api/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in schemes.values()
    security = spec["paths"]["/api/v1/observations"]["get"]["security"]
    assert {"TokenAuth": []} in security and {} in security  # a token, or nothing, to read


def test_revoking_twice_keeps_the_first_time(analyst: Any) -> None:
    token, _ = issue_token(analyst, "script")
    revoke(token)
    first = token.revoked_at
    revoke(ApiToken.objects.get(pk=token.pk))
    token.refresh_from_db()
    assert token.revoked_at == first and first <= timezone.now()
