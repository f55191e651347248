"""The partnership's members in a financial year: the registry's membership read over the
year's days (the calendar's). The lowest app that knows both, so that the ledger, the review
packs, the fund and the efficiency programme count the same councils in a year."""

from __future__ import annotations

from typing import Any

from ambition.accounts.backends import scope_of
from ambition.registry.models import Authority, AuthorityQuerySet

from .periods import financial_year_dates


def members_in(year: int | None = None) -> AuthorityQuerySet:
    """The partnership's members today or, with `year`, every authority that belonged on
    any day of that financial year. A council that left in the year keeps its place in
    that year's ledger and packs (its entries while a member are real give and take, and
    its counterparties' entries name it) and has none in the years after."""
    first, last = financial_year_dates(year) if year is not None else (None, None)
    return Authority.objects.members(on=first, until=last)


def members(year: int | None = None) -> list[Authority]:
    """`members_in(year)`, by name."""
    return list(members_in(year).order_by("name"))


def acting_for(user: Any, perm: str) -> AuthorityQuerySet:
    """The members, by name, this person may act for with `perm`: their own authority, or
    every member for the office."""
    scope = scope_of(user, perm)
    found = members_in().order_by("name")
    return found if scope is None else found.filter(pk__in=scope)
