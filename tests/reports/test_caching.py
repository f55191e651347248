"""Residents' pages kept between requests until the data changes: a signed-out reader gets
the kept page, a write to the data (any audited save) makes the next one fresh, and nothing
signed-in, cookie-bearing or unsuccessful is kept."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from ambition.accounts.people import RoleSpec, create_person
from ambition.registry.models import Authority
from ambition.reports.caching import HEADER, data_version

pytestmark = pytest.mark.django_db

PAGE = "/councils/E09000022/"


@pytest.fixture(autouse=True)
def _pages_kept(settings: Any) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"pages-{uuid.uuid4().hex}",
        },
    }


def test_a_signed_out_reader_gets_the_kept_page_until_the_data_changes() -> None:
    first = Client().get(PAGE)
    assert first.status_code == 200 and first[HEADER] == "miss"
    again = Client().get(PAGE)
    assert again[HEADER] == "hit" and again.content == first.content
    before = data_version()
    lambeth = Authority.objects.get(code="E09000022")
    lambeth.name = "The London Borough of Lambeth, renamed"
    lambeth.save()  # an audited write to the data
    assert data_version() > before
    fresh = Client().get(PAGE)
    assert fresh[HEADER] == "miss" and lambeth.name in fresh.content.decode()


def test_another_address_or_query_is_another_page() -> None:
    assert Client().get("/data/")[HEADER] == "miss"
    assert Client().get("/data/?format=csv")[HEADER] == "miss"
    assert Client().get("/data/")[HEADER] == "hit"


def test_a_signed_in_reader_and_a_cookie_bearer_are_answered_afresh() -> None:
    Client().get(PAGE)
    person = create_person("cache-officer", "a-long-password-1", [RoleSpec.parse("analyst")])
    client = Client()
    client.force_login(person)
    assert HEADER not in client.get(PAGE)
    with_message = Client()
    with_message.cookies["messages"] = "something"
    assert HEADER not in with_message.get(PAGE)


def test_a_refusal_or_a_missing_page_is_never_kept() -> None:
    for _ in range(2):
        assert HEADER not in Client().get("/councils/E99999999/")
        assert HEADER not in Client().get("/spend/files/")  # to sign in
