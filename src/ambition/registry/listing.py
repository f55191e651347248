"""Which authorities a list shows. One reading of the filters (type, region, partnership,
name, former authorities, statistical areas) for the list page and the API, so that the
same query string gives the same authorities on both; each orders them its own way."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Field, Schema

from .models import Authority, AuthorityQuerySet, Partnership


class AuthorityFilter(Schema):
    kind: str = Field("", description="Authority kind code, e.g. LBO, MD, UA, CTY")
    region: str = Field("", description="Region name in any case, e.g. London")
    partnership: str = Field("", description="Members of this partnership (slug)")
    q: str = Field("", description="Part of the name, in any case")
    current: bool = Field(
        True, description="Only authorities that exist today; false adds former ones"
    )
    aggregates: bool = Field(False, description="Include statistical areas (England, London)")

    def authorities(self) -> AuthorityQuerySet:
        """The matching authorities; a 404 for a partnership that does not exist, rather
        than an empty list that would read as one with no members."""
        qs = Authority.objects.all() if self.aggregates else Authority.objects.councils()
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.region:
            qs = qs.filter(region__iexact=self.region)
        if self.partnership:
            qs = qs.members(partnership=get_object_or_404(Partnership, slug=self.partnership))
        if self.q:
            qs = qs.filter(name__icontains=self.q)
        return qs.current() if self.current else qs
