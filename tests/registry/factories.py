"""Factories for the registry: authorities, partnerships and their members, shaped like the
reference data (`ambition load-demo`) that every test database already holds.

`AuthorityFactory(code=LAMBETH)` returns the loaded Lambeth rather than a second one (the
ONS code is the key), so a test names the real council it needs; without a code it makes
a new London borough whose code (E99...) no real authority has."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from ambition.registry.models import Authority, AuthorityKind, Membership, Partnership

LAMBETH, SOUTHWARK, CAMDEN, GREENWICH = "E09000022", "E09000028", "E09000007", "E09000011"


class AuthorityFactory(DjangoModelFactory[Authority]):
    class Meta:
        model = Authority
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E99{n:06d}")
    name = factory.Sequence(lambda n: f"Test borough {n}")
    official_name = factory.LazyAttribute(lambda a: f"London Borough of {a.name}")
    kind = AuthorityKind.LONDON_BOROUGH
    region = "London"
    inner_outer = "Inner"
    sub_region = "Central"
    start_date = datetime.date(1965, 4, 1)


class PartnershipFactory(DjangoModelFactory[Partnership]):
    class Meta:
        model = Partnership
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"test-partnership-{n}")
    name = factory.Sequence(lambda n: f"Test partnership {n}")
    description = "An improvement partnership of councils that watch and help each other."
    founded = datetime.date(2006, 4, 1)


class MembershipFactory(DjangoModelFactory[Membership]):
    """A member from the start (no `joined`) that has not left, unless told otherwise."""

    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    authority = factory.SubFactory(AuthorityFactory)
    joined = None
    left = None
