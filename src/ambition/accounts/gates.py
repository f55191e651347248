"""Who may call a route, checked before its query or body is read: a signed-in caller
(session or token) without the permission is refused with a 403 whatever they send, so
a refusal comes from who is asking, never from what (a bad body is a 422 only for those
who may write)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import SessionAuth

from .tokens import TokenAuth


def permitted(user: Any, perm: str, refusal: str) -> Any:
    if user is not None and not user.has_perm(perm):
        raise HttpError(403, refusal)
    return user


class TokenGate(TokenAuth):
    def __init__(self, perm: str, refusal: str) -> None:
        super().__init__()
        self.perm, self.refusal = perm, refusal

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        return permitted(super().authenticate(request, token), self.perm, self.refusal)


class SessionGate(SessionAuth):
    def __init__(self, perm: str, refusal: str) -> None:
        super().__init__()
        self.perm, self.refusal = perm, refusal

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        return permitted(super().authenticate(request, key), self.perm, self.refusal)


def gate(perm: str, refusal: str) -> list[Any]:
    """The route's `auth`: a token or a session, holding `perm` on some authority."""
    return [TokenGate(perm, refusal), SessionGate(perm, refusal)]
