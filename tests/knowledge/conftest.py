"""People of the knowledge hub's tests: the office, Lambeth's and Southwark's officers, a
resident (signed in, no role), and the board."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ambition.accounts.people import RoleSpec, create_person


def person(name: str, *roles: str) -> Any:
    return create_person(name, "knowledge-password-1", [RoleSpec.parse(r) for r in roles])


@pytest.fixture
def office(db: None) -> Any:
    return person("kn-analyst", "analyst")


@pytest.fixture
def lambeth_officer(db: None) -> Any:
    return person("kn-lambeth", "officer:E09000022")


@pytest.fixture
def southwark_officer(db: None) -> Any:
    return person("kn-southwark", "officer:E09000028")


@pytest.fixture
def board(db: None) -> Any:
    return person("kn-board", "board")


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
