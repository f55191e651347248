"""Shared fixtures. The London reference data (every English authority, the partnership,
boundaries, profiles, the indicator catalogue and the shipped observations) is loaded once
per test database by the real loader, and each test runs in a transaction on top of it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command

DATA = Path(__file__).resolve().parent.parent / "data"


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


@pytest.fixture
def analyst(db: None) -> object:
    user = get_user_model().objects.create_user("analyst", password="analyst-password-1")
    user.user_permissions.add(Permission.objects.get(codename="add_observation"))
    return user


@pytest.fixture
def resident(db: None) -> object:
    return get_user_model().objects.create_user("resident", password="resident-password-1")
