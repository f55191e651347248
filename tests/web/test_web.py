"""Requests refused before any view: a NUL character in a path or an API parameter."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ambition.accounts.people import RoleSpec, create_person


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


# The navigation: what a resident reads on the top line, the staff pages on "Your work"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("spec", "work"),
    [
        ("", None),
        ("officer:E09000022", ["Support", "Efficiency", "Import"]),
        ("analyst", ["Support", "Efficiency", "Import", "Audit"]),
        ("board", ["Support", "Efficiency"]),
    ],
)
def test_staff_pages_are_grouped_on_your_work(spec: str, work: list[str] | None) -> None:
    person = create_person(
        f"work-{spec or 'resident'}", "pw-123456789", [RoleSpec.parse(spec)] if spec else []
    )
    client = Client()
    client.force_login(person)
    page = client.get("/").content.decode()
    top = re.findall(r'govuk-service-navigation__link" href="([^"]+)"', page)
    assert "/import/" not in top and "/audit/" not in top and "/support/" not in top
    assert "/work/" in top
    listed = client.get("/work/").content.decode()
    main = listed[listed.index('id="main-content"') : listed.index("</main>")]
    offered = re.findall(
        r'<h2 class="govuk-heading-m"><a class="govuk-link" href="[^"]+">([^<]+)</a>', main
    )
    assert [o for o in offered if o in {"Support", "Efficiency", "Import", "Audit"}] == (work or [])
    assert client.get("/efficiency/").status_code == (200 if "Efficiency" in (work or []) else 403)


def test_your_work_asks_a_visitor_to_sign_in(client: Client) -> None:
    response = client.get("/work/")
    assert response.status_code == 302 and "login" in response["Location"]
