"""Pages as a resident sees them, kept between requests until the data changes.

A resident's page is the same for every resident: it depends on the stored data and the
day (a restricted value becomes public on its date), never on who asks. So an answer to a
signed-out GET is kept, keyed by its address, the day and the newest entry of the audit
log, which every write to the data adds to (an import through its batch, a run through its
record). The first write after a page was kept makes a new key, so no resident ever reads a
page older than the data. Each server process keeps its own copies; the key is read from the
database, so every process sees the same writes. A kept page is also dropped after
KEEP_SECONDS, in case something changes the data without the ORM.

Nothing personal is kept: a request carrying any cookie but the CSRF token's (a session, a
message) is answered afresh, as is any answer that sets a cookie, is not a 200, streams, or
is larger than LARGEST_BYTES."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from ambition.accounts.models import AuditEntry

CACHE = "pages"
KEEP_SECONDS = 300
LARGEST_BYTES = 2_000_000
HEADER = "X-Ambition-Cache"
NEVER = ("/account/", "/admin/", "/api/", "/static/", "/work/")


def data_version() -> int:
    """The newest audit entry's id: it moves with every write to the data."""
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def may_keep(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or request.path.startswith(NEVER):
        return False
    harmless = {settings.CSRF_COOKIE_NAME}
    return set(request.COOKIES) <= harmless


def key_of(request: HttpRequest) -> str:
    partial = "htmx" if request.headers.get("HX-Request") else "page"
    day = timezone.localdate().isoformat()
    return f"public:{data_version()}:{day}:{partial}:{request.get_full_path()}"


def keepable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and len(response.content) <= LARGEST_BYTES
    )


class PublicPageCacheMiddleware:
    """Answers a signed-out GET from the kept page when the data has not changed since."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not may_keep(request):
            return self.get_response(request)
        cache = caches[CACHE]
        key = key_of(request)
        kept = cache.get(key)
        if kept is not None:
            kept[HEADER] = "hit"
            return kept  # type: ignore[no-any-return]
        response = self.get_response(request)
        if _anonymous(request) and keepable(response):
            cache.set(key, response, KEEP_SECONDS)
            response[HEADER] = "miss"
        return response


def _anonymous(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated
