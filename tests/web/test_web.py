"""Requests refused before any view: a NUL character in a path or an API parameter."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/indicators?service_area=%00", 422),
        ("/api/v1/observations?authority=E09000022%00", 422),
        ("/api/v1/authorities/E09%0000022", 404),
        ("/authorities/E09%0000022/", 404),
    ],
)
def test_a_nul_character_is_refused_not_a_database_error(path: str, status: int) -> None:
    """PostgreSQL cannot hold NUL in text; schemathesis found one reaching a query."""
    assert Client().get(path).status_code == status
