"""The authentication backend that answers `has_perm` from the policy."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend

from .models import Role, RoleGrant
from .policy import Grant, allows, writable_authorities

CACHE_ATTRIBUTE = "_ambition_grants"


def grants_of(user: Any) -> list[Grant]:
    """A person's grants, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if not hasattr(user, CACHE_ATTRIBUTE):
        rows = RoleGrant.objects.for_user(user).values_list("role", "authority_id")
        setattr(user, CACHE_ATTRIBUTE, [Grant(Role(role), scope) for role, scope in rows])
    return getattr(user, CACHE_ATTRIBUTE)  # type: ignore[no-any-return]


def scope_of(user: Any, perm: str) -> frozenset[int] | None:
    """The authorities on which this person may use `perm`: None for every one (a
    superuser, or an unscoped role such as the performance office's), else the set
    (empty for anyone without the permission). The one rule behind every "visible to"."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return None
    return writable_authorities(grants_of(user), perm)


def authority_id_of(obj: Any) -> int | None:
    """The authority an object belongs to: an Authority, or anything with authority_id."""
    if obj is None:
        return None
    if obj.__class__.__name__ == "Authority":
        return int(obj.pk)
    scope = getattr(obj, "authority_id", None)
    return int(scope) if scope is not None else None


class PolicyBackend(BaseBackend):
    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:  # type: ignore[override]
        return allows(grants_of(user_obj), perm, authority_id_of(obj))
