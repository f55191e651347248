"""Requests no page can answer, refused before they reach a view."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound


class RefuseNulMiddleware:
    """A NUL character in a path names nothing we hold, and PostgreSQL cannot even
    compare it with text: answered 404 here rather than as a database error in a view.
    In a page's query parameter it is refused with a 400 for the same reason. (A NUL in an
    API query parameter is refused with a 422 by the API's own schemas.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return HttpResponseNotFound("Not found")
        if not request.path.startswith("/api/") and _nul_in_query(request):
            return HttpResponseBadRequest(
                "A query parameter holds a NUL character. Remove it from the address."
            )
        return self.get_response(request)


def _nul_in_query(request: HttpRequest) -> bool:
    return any("\x00" in text for key, values in request.GET.lists() for text in [key, *values])
