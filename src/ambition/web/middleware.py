"""Requests no page can answer, refused before they reach a view."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound


class RefuseNulMiddleware:
    """A NUL character in a path names nothing we hold, and PostgreSQL cannot even
    compare it with text: answered 404 here rather than as a database error in a view.
    (A NUL in an API query parameter is refused with a 422 by the API's own schemas.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return HttpResponseNotFound("Not found")
        return self.get_response(request)
