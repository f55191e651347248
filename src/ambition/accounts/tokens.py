"""API tokens for scripts, and how the API tells who is calling: a bearer token, a
signed-in session, or nobody (the published data is public to read)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.security import HttpBearer, django_auth

from .models import ApiToken

TOKEN_PREFIX = "amb_"
SHOWN_CHARACTERS = 12
# Recording every use would make each read a write; a minute is close enough to tell a
# script that still runs from one that stopped.
LAST_USED_RESOLUTION = timedelta(minutes=1)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the raw token is returned once and only its digest kept."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:SHOWN_CHARACTERS], digest=digest_of(raw)
    )
    return token, raw


def revoke(token: ApiToken) -> None:
    """Revoked tokens are kept, so the account page still shows what a script used."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def authenticate_token(raw: str) -> Any | None:
    """The active owner of an active token, or None. Looked up by its digest rather than
    compared with stored tokens, so the time taken says nothing about how close a guess was."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    _record_use(token)
    return token.user


def _record_use(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # An update of one column, not save(): a save could undo a revocation made meanwhile.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class TokenAuth(HttpBearer):
    """`Authorization: Bearer amb_...`: the caller acts as the token's owner, with their roles."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = authenticate_token(token)
        if user is None:
            # Raised, not returned: a bad token must be refused, never read as anonymous.
            raise AuthenticationError()
        request.user = user
        return user


class PublicRead:
    """Last in the API's list: a caller who sends no credentials may read what the public
    reads. One who sends an Authorization header that no other check accepted is refused."""

    def __call__(self, request: HttpRequest) -> Any | None:
        if "Authorization" in request.headers or request.method not in READ_METHODS:
            return None
        return request.user  # the anonymous user: truthy, so ninja lets the call through


API_AUTH = [TokenAuth(), django_auth, PublicRead()]


class PublicReadSchema(OpenAPISchema):
    """The OpenAPI description, with an empty security requirement on operations that
    anyone may read: the standard way to say that credentials are optional there."""

    def operation_security(self, operation: Operation) -> list[dict[str, Any]] | None:
        security = super().operation_security(operation)
        public = any(isinstance(check, PublicRead) for check in operation.auth_callbacks)
        if security is not None and public and set(operation.methods) <= READ_METHODS:
            security.append({})
        return security
