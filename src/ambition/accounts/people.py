"""Creating people with roles: `ambition create-user`, and the demo's one user per role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from ambition.registry.models import Authority

from .models import Role, RoleGrant
from .policy import STAFF_ROLES


class RoleError(ValueError):
    pass


def named_person(username: str) -> Any:
    """The person a command's `--user NAME` names, to record its writes as theirs; None for
    no name. An unknown name stops the command rather than recording the writes as nobody's."""
    from django.core.management.base import CommandError

    if not username:
        return None
    person = get_user_model().objects.filter(username=username).first()
    if person is None:
        raise CommandError(f"no person called {username!r}")
    return person


@dataclass(frozen=True)
class RoleSpec:
    role: Role
    authority_code: str | None = None

    @classmethod
    def parse(cls, text: str) -> RoleSpec:
        """'analyst', or 'officer:E09000022' for a role that acts for one authority."""
        name, _, code = text.partition(":")
        try:
            role = Role(name.strip().lower())
        except ValueError:
            raise RoleError(f"unknown role {name!r}: one of {', '.join(Role)}") from None
        if role == Role.OFFICER and not code:
            raise RoleError("a council officer's role names the authority: officer:E09000022")
        return cls(role, code.strip().upper() or None)


@transaction.atomic
def create_person(username: str, password: str, roles: list[RoleSpec], email: str = "") -> Any:
    users = get_user_model().objects
    user = users.filter(username=username).first() or users.create_user(username, email, password)
    staff = any(spec.role in STAFF_ROLES for spec in roles)
    superuser = any(spec.role == Role.ADMINISTRATOR for spec in roles)
    if not user.check_password(password) or (user.is_staff, user.is_superuser) != (
        staff,
        superuser,
    ):
        user.set_password(password)  # only when something changed: a re-run writes nothing
        user.is_staff, user.is_superuser = staff, superuser
        user.save()
    for spec in roles:
        authority = None
        if spec.authority_code:
            authority = Authority.objects.filter(code=spec.authority_code).first()
            if authority is None:
                raise RoleError(f"unknown authority {spec.authority_code!r}")
        RoleGrant.objects.get_or_create(user=user, role=spec.role, authority=authority)
    return user


DEMO_PEOPLE = (
    ("admin", "ambition-demo-admin", "administrator"),
    ("analyst", "ambition-demo-analyst", "analyst"),
    ("officer", "ambition-demo-officer", "officer:E09000022"),
    ("board", "ambition-demo-board", "board"),
)


def create_demo_people() -> list[tuple[str, str, str]]:
    """One person per role, so a visitor can try each (demo only: the passwords are public)."""
    made = []
    for username, password, role in DEMO_PEOPLE:
        spec = RoleSpec.parse(role)
        create_person(username, password, [spec], email=f"{username}@example.org")
        scope = f" for {spec.authority_code}" if spec.authority_code else ""
        made.append((username, password, f"{spec.role.label}{scope}"))
    return made
