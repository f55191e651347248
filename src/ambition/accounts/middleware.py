"""Who is acting in a request, for the audit log."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .audit import acting, request_actor


class AuditMiddleware:
    """Records every write the request makes as made from this page or API route, by the
    person signed in (read when the write happens, so a sign-in in the request counts)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting(request_actor(request)):
            return self.get_response(request)
