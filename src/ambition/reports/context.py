"""What every page's template knows from this app: a council officer's own review pack, so
the navigation can offer it to those who may not read the partnership's."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from ambition.accounts.backends import grants_of
from ambition.accounts.models import Role
from ambition.registry.models import Authority


def own_pack(request: HttpRequest) -> dict[str, Any]:
    """`own_pack_url`: the pack of the one authority an officer acts for, when the person
    may read it but not the partnership's page; otherwise nothing."""
    user = getattr(request, "user", None)
    if getattr(user, "pk", None) is None or not user.is_authenticated:
        return {}  # anonymous, or not a stored person: no grants to read
    # The grants are read once a request and cached on the person, as every check reads them.
    if user.has_perm("reports.view_partnershippack"):
        return {}
    ids = {g.authority_id for g in grants_of(user) if g.role == Role.OFFICER}
    if len(ids) != 1:
        return {}
    authority = Authority.objects.filter(pk=next(iter(ids))).first()
    if authority is None or not user.has_perm("reports.view_reviewpack", authority):
        return {}
    return {"own_pack_url": reverse("reports-pack", args=[authority.code])}
