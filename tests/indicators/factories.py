"""Factories for the indicator catalogue and its observations, shaped like the shipped
catalogue and imports: a service area, an indicator with its polarity and unit, a
financial year, the batch an observation came in, and the observation itself (revision 1,
the latest, published). `ServiceAreaFactory(code="health")` and `PeriodFactory()` (2023/24)
return the loaded rows rather than second copies."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from ambition.indicators.models import (
    ImportBatch,
    Indicator,
    Observation,
    Period,
    Polarity,
    ServiceArea,
)
from ambition.indicators.periods import YearBasis, parse_period

from ..registry.factories import AuthorityFactory


class ServiceAreaFactory(DjangoModelFactory[ServiceArea]):
    class Meta:
        model = ServiceArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-area-{n}")
    name = factory.Sequence(lambda n: f"Test area {n}")


class IndicatorFactory(DjangoModelFactory[Indicator]):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-indicator-{n}")
    name = factory.Sequence(lambda n: f"Test indicator {n}: percentage of people helped")
    service_area = factory.SubFactory(ServiceAreaFactory)
    unit = "%"
    polarity = Polarity.HIGHER
    polarity_basis = "test factory"
    year_basis = YearBasis.FINANCIAL
    source = "Test source"
    licence = "OGL-UK-3.0"
    decimal_places = 1


class PeriodFactory(DjangoModelFactory[Period]):
    """The period a source's label names, read as the importer reads it (`parse_period`):
    the financial year 2023/24 unless told, e.g. `PeriodFactory(text="2019")`."""

    class Meta:
        model = Period
        django_get_or_create = ("kind", "basis", "start", "end")

    class Params:
        text = "2023/24"
        year_basis = YearBasis.FINANCIAL
        parsed = factory.LazyAttribute(lambda p: parse_period(p.text, p.year_basis))

    kind = factory.LazyAttribute(lambda p: p.parsed.kind)
    basis = factory.LazyAttribute(lambda p: p.parsed.basis)
    start = factory.LazyAttribute(lambda p: p.parsed.start)
    end = factory.LazyAttribute(lambda p: p.parsed.end)
    label = factory.LazyAttribute(lambda p: p.parsed.label)


class ImportBatchFactory(DjangoModelFactory[ImportBatch]):
    class Meta:
        model = ImportBatch

    file_name = factory.Sequence(lambda n: f"observations-{n}.csv")
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    size_bytes = 1024
    layout = "long"
    origin = ImportBatch.Origin.CLI


class ObservationFactory(DjangoModelFactory[Observation]):
    """Revision 1 of a value, the latest and published; `restricted_until` keeps it to its
    authority and the performance office until that day."""

    class Meta:
        model = Observation

    authority = factory.SubFactory(AuthorityFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    period = factory.SubFactory(PeriodFactory)
    revision = 1
    value = 50.0
    batch = factory.SubFactory(ImportBatchFactory)
    is_latest = True
