"""Every URL pattern and API route, for every role: which methods are allowed and which are
refused. A route missing from the matrix fails the test, so nothing is added unguarded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from ambition.accounts.people import RoleSpec, create_person
from ambition.accounts.tokens import issue_token
from ambition.indicators.models import ImportBatch, ImportJob

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "resident", "officer", "analyst", "board", "administrator")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
WRITERS = frozenset({"officer", "analyst", "administrator"})
OFFICE = frozenset({"analyst", "administrator"})
NOBODY: frozenset[str] = frozenset()
READ_ONLY = {"GET": EVERYONE, "POST": NOBODY}

# pattern -> (sample path, {method: roles allowed}); a method not listed is refused to all.
MATRIX: dict[str, tuple[str, dict[str, frozenset[str]]]] = {
    "": ("/", READ_ONLY),
    "authorities/": ("/authorities/", READ_ONLY),
    "authorities/boundaries.topojson": ("/authorities/boundaries.topojson", READ_ONLY),
    "about/data/": ("/about/data/", READ_ONLY),
    "authorities/<str:code>/": ("/authorities/E09000022/", READ_ONLY),
    "indicators/": ("/indicators/", READ_ONLY),
    "indicators/<slug:code>/": ("/indicators/ons-employment-rate/", READ_ONLY),
    "import/": ("/import/", {"GET": WRITERS, "POST": WRITERS}),
    "import/<int:pk>/": ("/import/{batch}/", {"GET": WRITERS}),
    "import/jobs/<int:pk>/": ("/import/jobs/{job}/", {"GET": OFFICE}),  # another's job
    "api/openapi.json": ("/api/openapi.json", {"GET": EVERYONE}),
    "api/docs": ("/api/docs", {"GET": EVERYONE}),
    "api/v1/authorities": ("/api/v1/authorities", {"GET": EVERYONE}),
    "api/v1/authorities/<code>": ("/api/v1/authorities/E09000022", {"GET": EVERYONE}),
    "api/v1/indicators": ("/api/v1/indicators", {"GET": EVERYONE}),
    "api/v1/indicators/<code>": ("/api/v1/indicators/recycling-rate", {"GET": EVERYONE}),
    "api/v1/observations": ("/api/v1/observations?indicator=recycling-rate", {"GET": EVERYONE}),
    "account/login/": ("/account/login/", {"GET": EVERYONE, "POST": EVERYONE}),
    "account/logout/": ("/account/logout/", {"POST": EVERYONE}),
    "account/password_change/": (
        "/account/password_change/",
        {"GET": SIGNED_IN, "POST": SIGNED_IN},
    ),
    "account/password_change/done/": ("/account/password_change/done/", {"GET": SIGNED_IN}),
    "account/password_reset/": ("/account/password_reset/", {"GET": EVERYONE, "POST": EVERYONE}),
    "account/password_reset/done/": ("/account/password_reset/done/", {"GET": EVERYONE}),
    "account/reset/<uidb64>/<token>/": (
        "/account/reset/MQ/bad-token/",
        {"GET": EVERYONE, "POST": EVERYONE},
    ),
    "account/reset/done/": ("/account/reset/done/", {"GET": EVERYONE}),
    "favicon.ico": ("/favicon.ico", {"GET": EVERYONE}),
    "audit/": ("/audit/", {"GET": OFFICE}),
    "account/": ("/account/", {"GET": SIGNED_IN, "POST": SIGNED_IN}),
    "account/tokens/<int:pk>/revoke/": (
        "/account/tokens/{token}/revoke/",
        {"POST": frozenset({"analyst"})},  # its owner only
    ),
    "admin/": ("/admin/", {"GET": OFFICE, "POST": OFFICE}),
}
# Patterns the matrix covers by their prefix: the API's own root, and the Django admin,
# which guards itself (staff only) and is sampled by its index above.
COVERED_BY_PREFIX = ("admin/", "api/")


def patterns(resolvers: list[Any], prefix: str = "") -> Iterator[str]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def test_every_route_is_in_the_matrix() -> None:
    missing = [
        p
        for p in patterns(get_resolver().url_patterns)
        if p not in MATRIX
        and not (
            (p.startswith(COVERED_BY_PREFIX) and p in COVERED_BY_PREFIX) or p.startswith("admin/")
        )
    ]
    assert missing == []


@pytest.fixture
def people() -> dict[str, Any]:
    specs = {
        "resident": [],
        "officer": ["officer:E09000022"],
        "analyst": ["analyst"],
        "board": ["board"],
        "administrator": ["administrator"],
    }
    made = {
        role: create_person(
            f"matrix-{role}", "matrix-password-1", [RoleSpec.parse(s) for s in spec]
        )
        for role, spec in specs.items()
    }
    return {"anonymous": None, **made}


def refused(response: Any) -> bool:
    """Refused: forbidden, unauthorised, not found (another's object), method not
    allowed, or sent to a login page."""
    if response.status_code in (401, 403, 404, 405):
        return True
    return response.status_code == 302 and "login" in response.get("Location", "")


@pytest.mark.parametrize("pattern", sorted(MATRIX))
def test_roles_are_allowed_and_refused_as_the_matrix_says(
    pattern: str, people: dict[str, Any]
) -> None:
    analyst = people["analyst"]
    job = ImportJob.objects.create(upload="x.csv", file_name="x.csv", user=analyst, state="done")
    batch = ImportBatch.objects.first()
    path, allowed = MATRIX[pattern]
    token, _ = issue_token(analyst, "matrix")
    path = path.format(job=job.pk, batch=batch.pk if batch else 0, token=token.pk)
    outcomes = {}
    for role in ROLES:
        client = Client()
        if people[role] is not None:
            client.force_login(people[role])
        for method in ("GET", "POST"):
            response = client.get(path) if method == "GET" else client.post(path, {})
            outcomes[(role, method)] = not refused(response)
            assert response.status_code < 500, (role, method, path)
    expected = {(r, m): r in allowed.get(m, NOBODY) for r in ROLES for m in ("GET", "POST")}
    assert outcomes == expected
