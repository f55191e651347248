"""Factories for people and their roles. A person is made the way `ambition create-user`
makes one (`create_person`), so the rules of who is staff and who is a superuser stay in
one place: `UserFactory(roles=["officer:E09000022"])`, `UserFactory(roles=["analyst"])`."""

from __future__ import annotations

from typing import Any

import factory
from django.conf import settings
from factory.django import DjangoModelFactory

from ambition.accounts.models import Role, RoleGrant
from ambition.accounts.people import RoleSpec, create_person

from ..registry.factories import CAMDEN, LAMBETH, SOUTHWARK, AuthorityFactory

PASSWORD = "factory-password-1"


class UserFactory(DjangoModelFactory[Any]):
    """A person who signs in with `PASSWORD`, holding the roles named as `ambition
    create-user --role` names them; none by default (signed in, reading what the public
    reads)."""

    class Meta:
        model = settings.AUTH_USER_MODEL

    username = factory.Sequence(lambda n: f"person-{n}")
    email = factory.LazyAttribute(lambda person: f"{person.username}@example.org")
    password = PASSWORD
    roles: tuple[str, ...] = ()

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        specs = [RoleSpec.parse(role) for role in kwargs.pop("roles")]
        return create_person(kwargs["username"], kwargs["password"], specs, kwargs["email"])


class RoleGrantFactory(DjangoModelFactory[RoleGrant]):
    """One more role for a person; a council officer's is Lambeth's unless told."""

    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    role = Role.ANALYST
    authority = factory.Maybe(
        factory.LazyAttribute(lambda grant: grant.role == Role.OFFICER),
        yes_declaration=factory.SubFactory(AuthorityFactory, code=LAMBETH),
        no_declaration=None,
    )


# Three boroughs' officers and the partnership's office: the cast of the support tests.
SUPPORT_ROLES = {
    "lambeth": f"officer:{LAMBETH}",
    "southwark": f"officer:{SOUTHWARK}",
    "camden": f"officer:{CAMDEN}",
    "analyst": "analyst",
    "board": "board",
}


def people_in(roles: dict[str, str]) -> dict[str, Any]:
    """One person per name, each with the one role given."""
    return {name: UserFactory(roles=[role]) for name, role in roles.items()}
