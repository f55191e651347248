"""What the spend tests share: a signed-in client for each kind of person who may or may
not see the spend pages."""

from __future__ import annotations

import pytest
from django.test import Client

from ambition.accounts.people import RoleSpec, create_person

ROLES = {
    "analyst": ["analyst"],
    "officer": ["officer:E09000022"],  # Lambeth's
    "board": ["board"],
    "resident": [],  # signed in, with no role in the partnership
}


@pytest.fixture
def people(db: None) -> dict[str, Client]:
    """A client per role, signed in, and one for the public (`anonymous`)."""
    clients = {"anonymous": Client()}
    for role, spec in ROLES.items():
        person = create_person(
            f"spend-{role}", "spend-password-1", [RoleSpec.parse(s) for s in spec]
        )
        clients[role] = Client()
        clients[role].force_login(person)
    return clients
