"""A sign-in that never waits for a long write (on SQLite, an import's final write holds the
database's one write lock for seconds): the session lives in a cache (settings), the
lock-out handler writes only when there is something to clear, and the last-login time is
skipped, not waited for, while the database is busy."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)
LAST_LOGIN_WAIT_MS = 200


class SignInLockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """django-axes' database handler, but a successful sign-in with no attempts to clear
    (failed ones of this person, expired ones of anyone) writes nothing: axes deletes, and a
    DELETE waits for the write lock even when it matches no row. Failed attempts are still
    written, so lock-outs and their log hold."""

    def clean_expired_user_attempts(
        self, request: Any = None, credentials: dict[str, Any] | None = None
    ) -> int:
        if settings.AXES_COOLOFF_TIME is None:
            return 0
        if settings.AXES_USE_ATTEMPT_EXPIRATION:
            expired = AccessAttempt.objects.filter(expiration__expires_at__lte=timezone.now())
        else:
            expired = AccessAttempt.objects.filter(
                attempt_time__lte=get_cool_off_threshold(request)
            )
        if not expired.exists():
            return 0
        return int(super().clean_expired_user_attempts(request, credentials))

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        if not any(
            attempts.exists() for attempts in self.filter_user_attempts(request, credentials)
        ):
            return 0
        return int(super().reset_user_attempts(request, credentials))


@contextmanager
def _short_wait() -> Iterator[None]:
    """On SQLite, wait LAST_LOGIN_WAIT_MS for the write lock rather than the usual 30 s."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        usual = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
        cursor.execute(f"PRAGMA busy_timeout = {LAST_LOGIN_WAIT_MS}")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(usual)}")


def record_last_login(sender: Any, user: Any, **kwargs: Any) -> None:
    """Django's update_last_login, but a busy database skips it: a sign-in is worth more
    than the time of the last one."""
    user.last_login = timezone.now()
    try:
        # One transaction: the time and its audit entry are written together or not at all.
        with _short_wait(), transaction.atomic():
            user.save(update_fields=["last_login"])
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        logger.info("Last sign-in time of %s not recorded: the database is busy.", user.pk)
