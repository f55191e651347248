"""Professional networks: officers of several authorities who meet on one subject. A
network's members are authorities, not people: a public page may list councils, while an
officer's name is personal data and most officers have no account here."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from ambition.indicators.models import ServiceArea
from ambition.registry.models import Authority

from .casestudies import CaseStudy


class Network(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    purpose = models.TextField()
    service_area = models.ForeignKey(
        ServiceArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    illustrative = models.BooleanField(
        default=False, help_text="Invented for the demo: every page showing it says so"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge-network", args=[self.slug])


class NetworkMember(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=100, blank=True, help_text="e.g. Chair, host")
    joined = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["authority__name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "authority"], name="network_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.authority} in {self.network}"


class NetworkEvent(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="events")
    date = models.DateField()
    title = models.CharField(max_length=200)
    place = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class NetworkOutput(models.Model):
    """What a network produced: a document (a file, or its text), or a case study."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="outputs")
    title = models.CharField(max_length=200)
    date = models.DateField()
    description = models.TextField(blank=True, help_text="What it is, or the document's text")
    file = models.FileField(upload_to="knowledge/outputs/", blank=True)
    case_study = models.ForeignKey(
        CaseStudy, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(description="") | ~Q(file="") | Q(case_study__isnull=False),
                name="network_output_has_content",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.network.get_absolute_url()}#output-{self.pk}"
