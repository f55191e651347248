"""Authorities (members and English comparators), partnerships, boundaries, neighbours,
political control by year and profile figures."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .names import fold_name as fold_name


class AuthorityKind(models.TextChoices):
    LONDON_BOROUGH = "LBO", "London borough"
    CITY_CORPORATION = "CC", "City corporation"
    METROPOLITAN_DISTRICT = "MD", "Metropolitan district"
    UNITARY = "UA", "Unitary authority"
    COUNTY = "CTY", "County council"
    NON_METROPOLITAN_DISTRICT = "NMD", "Non-metropolitan district"
    STRATEGIC_REGIONAL = "SRA", "Strategic regional authority"
    COMBINED = "COMB", "Combined authority"
    FIRE = "FRA", "Fire and rescue authority"
    COUNTRY = "CTRY", "Country"
    REGION = "RGN", "Region"
    LONDON_PART = "LDNP", "Part of London"


AGGREGATE_KINDS = (AuthorityKind.COUNTRY, AuthorityKind.REGION, AuthorityKind.LONDON_PART)
UPPER_TIER_KINDS = (
    AuthorityKind.LONDON_BOROUGH,
    AuthorityKind.CITY_CORPORATION,
    AuthorityKind.METROPOLITAN_DISTRICT,
    AuthorityKind.UNITARY,
    AuthorityKind.COUNTY,
)


class AuthorityQuerySet(models.QuerySet["Authority"]):
    def councils(self) -> AuthorityQuerySet:
        return self.exclude(kind__in=AGGREGATE_KINDS)

    def aggregates(self) -> AuthorityQuerySet:
        return self.filter(kind__in=AGGREGATE_KINDS)

    def current(self) -> AuthorityQuerySet:
        return self.filter(end_date__isnull=True)

    def of_kind(self, *kinds: str) -> AuthorityQuerySet:
        return self.filter(kind__in=kinds)

    def members(
        self,
        on: datetime.date | None = None,
        until: datetime.date | None = None,
        partnership: Partnership | None = None,
    ) -> AuthorityQuerySet:
        """The authorities that belonged to the partnership (the current one unless named)
        on the day `on` (today unless given) or, with `until`, on any day from `on` to
        `until`. None at all when there is no current partnership. The one reading of
        "members": every page, run and pack that counts them asks here."""
        if partnership is None:
            try:
                partnership = Partnership.objects.current()
            except Partnership.DoesNotExist:
                return self.none()
        first = on or timezone.localdate()
        belonging = Membership.objects.in_force(first, until or first)
        return self.filter(pk__in=belonging.filter(partnership=partnership).values("authority"))


class Authority(models.Model):
    """A council, other public body, or a statistical aggregate (England, London) that
    sources publish figures for. Identified by its ONS (GSS) code."""

    code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=120)
    official_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=4, choices=AuthorityKind.choices)
    region = models.CharField(max_length=60, blank=True)
    registry_code = models.CharField(max_length=4, blank=True, help_text="mySociety 3-letter code")
    snac = models.CharField("old SNAC code", max_length=6, blank=True)
    dfe_number = models.PositiveSmallIntegerField("DfE LA number", null=True, blank=True)
    inner_outer = models.CharField(max_length=5, blank=True, help_text="Inner or Outer London")
    sub_region = models.CharField(max_length=20, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    area_km2 = models.FloatField("area (km²)", null=True, blank=True)

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("authority-detail", args=[self.code])


class AuthorityName(models.Model):
    """Any identifier an import file may use for an authority: codes old and new, names
    and their known alternative spellings (the mySociety lookup)."""

    key = models.CharField(max_length=200, db_index=True)
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="names")
    source = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "authority"], name="uniq_authority_name")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.source})"


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def current(self) -> Partnership:
        """The partnership this installation serves, named by AMBITION_PARTNERSHIP; a
        DoesNotExist that says so when it has not been loaded."""
        found = self.filter(slug=settings.PARTNERSHIP_SLUG).first()
        if found is None:
            raise Partnership.DoesNotExist(
                f"No partnership {settings.PARTNERSHIP_SLUG!r} (the AMBITION_PARTNERSHIP "
                "setting): load it with `ambition load-demo`, or correct the setting"
            )
        return found


class Partnership(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    founded = models.DateField(null=True, blank=True)

    objects = PartnershipQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def in_force(self, first: datetime.date, last: datetime.date) -> MembershipQuerySet:
        """Memberships in force on some day from `first` to `last`: joined by `last` (or
        since before records began) and not left by `first`."""
        joined = Q(joined__isnull=True) | Q(joined__lte=last)
        return self.filter(joined, Q(left__isnull=True) | Q(left__gt=first))


class Membership(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="memberships")
    joined = models.DateField(
        null=True, blank=True, help_text="Its first day as a member; blank if from the start"
    )
    left = models.DateField(
        null=True, blank=True, help_text="Its first day no longer a member; blank while one"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "authority"], name="uniq_membership")
        ]

    def __str__(self) -> str:
        return f"{self.authority} in {self.partnership}"


class PoliticalControl(models.Model):
    """Which party (or no overall control) ran an authority, by year: control changes."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="control")
    year = models.PositiveSmallIntegerField()
    control = models.CharField(max_length=60)
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "year"], name="uniq_control_year")
        ]

    def __str__(self) -> str:
        return f"{self.authority}, {self.year}: {self.control}"


class ProfileFigure(models.Model):
    """One figure of an authority's profile (population, density, deprivation...), with
    the period it describes and where it came from."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="profile")
    key = models.CharField(max_length=80)
    label = models.CharField(max_length=200)
    period = models.CharField(max_length=20, blank=True)
    value = models.FloatField(null=True, blank=True)
    text = models.CharField(max_length=200, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "key"], name="uniq_profile_figure")
        ]

    def __str__(self) -> str:
        return f"{self.authority}: {self.label}"


class Boundary(models.Model):
    authority = models.OneToOneField(Authority, on_delete=models.CASCADE, related_name="boundary")
    geojson = models.JSONField(help_text="The GeoJSON geometry, WGS84 longitude/latitude")
    vintage = models.CharField(max_length=20)
    source = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"Boundary of {self.authority} ({self.vintage})"


class BoundaryNeighbour(models.Model):
    """Two authorities whose boundaries touch, computed from the geometry."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="neighbours")
    neighbour = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    shared_metres = models.FloatField(help_text="Length of the shared boundary")

    class Meta:
        ordering = ["-shared_metres"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "neighbour"], name="uniq_neighbour")
        ]

    def __str__(self) -> str:
        return f"{self.authority} borders {self.neighbour}"
