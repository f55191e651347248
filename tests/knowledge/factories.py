"""Factories for the knowledge hub: a Lambeth draft case study on waste unless told
otherwise, and a network. Publishing goes through knowledge.sharing, as the pages do."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from ambition.indicators.models import ServiceArea
from ambition.knowledge.models import CaseStudy, Network, NetworkEvent, NetworkOutput

from ..registry.factories import LAMBETH, AuthorityFactory


class CaseStudyFactory(DjangoModelFactory[CaseStudy]):
    class Meta:
        model = CaseStudy

    title = factory.Sequence(lambda n: f"Test case study {n}")
    lead = factory.SubFactory(AuthorityFactory, code=LAMBETH)
    service_area = factory.LazyFunction(lambda: ServiceArea.objects.get(code="waste"))
    summary = "A test summary"
    what_they_did = "Something a test made up"
    cost = Decimal("1000.00")
    outcomes_claimed = "Nothing real"


class NetworkFactory(DjangoModelFactory[Network]):
    class Meta:
        model = Network

    slug = factory.Sequence(lambda n: f"test-network-{n}")
    name = factory.Sequence(lambda n: f"Test network {n}")
    purpose = "Officers who meet in a test"


class NetworkEventFactory(DjangoModelFactory[NetworkEvent]):
    class Meta:
        model = NetworkEvent

    network = factory.SubFactory(NetworkFactory)
    date = datetime.date(2025, 5, 1)
    title = "A test meeting"


class NetworkOutputFactory(DjangoModelFactory[NetworkOutput]):
    class Meta:
        model = NetworkOutput

    network = factory.SubFactory(NetworkFactory)
    title = "A test document"
    date = datetime.date(2025, 6, 1)
    description = "What the network wrote"
