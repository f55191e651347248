"""Shared fixtures. The London reference data (every English authority, the partnership,
boundaries, profiles, the indicator catalogue and the shipped observations) is loaded once
per test database by the real loader, and each test runs in a transaction on top of it."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from ambition.accounts.people import RoleSpec, create_person

DATA = Path(__file__).resolve().parent.parent / "data"

# Property tests check behaviour, not speed (benchmarks do that): on a busy 2-core runner a
# first example that pays for a warm-up must not fail a test for taking 290 ms.
hypothesis_settings.register_profile("ambition", deadline=None)
hypothesis_settings.load_profile("ambition")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        call_command("load_demo", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _jobs_run_in_the_request(settings: object) -> None:
    """Background jobs run inside the request under test rather than in a worker."""
    settings.TASKS = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    # Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    # Throttle counts (files under var/ when served) start afresh in every test.
    settings.CACHES = {  # type: ignore[attr-defined]
        **settings.CACHES,  # type: ignore[attr-defined]
        "throttle": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"throttle-{uuid.uuid4().hex}",
        },
        # Residents' pages are not kept between a test's requests: a test that changes data
        # with a bulk update (no audit entry) and reads the page again must see it afresh.
        # tests/reports/test_caching.py turns keeping on to test it.
        "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }


@pytest.fixture
def analyst(db: None) -> object:
    """A performance office analyst: writes observations for every authority."""
    return create_person("test-analyst", "analyst-password-1", [RoleSpec.parse("analyst")])


@pytest.fixture
def resident(db: None) -> object:
    """Signed in, but with no role: reads what the public reads."""
    return get_user_model().objects.create_user("test-resident", password="resident-password-1")
