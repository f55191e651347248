"""What councils ask for and offer: support requests, support offers and the people an
offer names (personal data)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from ambition.accounts.backends import scope_of
from ambition.assessment.models import AssessmentRun, RunArea, RunWarning
from ambition.indicators.models import ServiceArea
from ambition.registry.models import Authority

VIEW_PEOPLE = "support.view_offerperson"


class SupportKind(models.TextChoices):
    PEER_REVIEW = "peer-review", "Peer review"
    MENTORING = "mentoring", "Mentoring"
    SECONDMENT = "secondment", "Secondment"
    MEMBER_DEVELOPMENT = "member-development", "Member development"
    SPECIALIST_ADVICE = "specialist-advice", "Specialist advice"


class Preference(models.TextChoices):
    NEIGHBOUR = "neighbour", "Prefer a boundary neighbour"
    CONTROL = "control", "Prefer the same political control"
    NEITHER = "neither", "No preference"


class SupportRequest(models.Model):
    """A council asking for practical help in one service area, with what prompted it
    when it came from an assessment (a weak service area or an early warning)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MATCHED = "matched", "Matched"
        CLOSED = "closed", "Closed"

    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="support_requests"
    )
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=SupportKind.choices)
    problem = models.TextField("what is wrong")
    prompted_by_run = models.ForeignKey(
        AssessmentRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prompted_by_area = models.ForeignKey(
        RunArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prompted_by_warning = models.ForeignKey(
        RunWarning, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff_days = models.PositiveSmallIntegerField(help_text="Staff days of help wanted")
    window_start = models.DateField(help_text="The first day help could start")
    window_end = models.DateField(help_text="The last day help could be given")
    preference = models.CharField(
        max_length=10, choices=Preference.choices, default=Preference.NEITHER
    )
    avoid = models.ManyToManyField(
        Authority, blank=True, related_name="+", help_text="Conflicts of interest"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(staff_days__gte=1), name="request_wants_days"),
            models.CheckConstraint(
                condition=Q(window_start__lte=models.F("window_end")), name="request_window_order"
            ),
            # A weak area or a warning belongs to a run: the request names the run too.
            models.CheckConstraint(
                condition=Q(prompted_by_run__isnull=False)
                | Q(prompted_by_area__isnull=True, prompted_by_warning__isnull=True),
                name="request_prompt_names_run",
            ),
        ]
        indexes = [models.Index(fields=["status", "service_area"], name="request_status_area")]

    def __str__(self) -> str:
        return f"{self.authority}: {self.get_kind_display()} in {self.service_area}"

    def get_absolute_url(self) -> str:
        return reverse("support-request", args=[self.pk])

    def clean(self) -> None:
        for prompt in (self.prompted_by_area, self.prompted_by_warning):
            if prompt is None:
                continue
            if prompt.run_id != self.prompted_by_run_id:
                raise ValidationError("What prompted the request comes from another run.")
            if prompt.authority_id != self.authority_id:
                raise ValidationError("What prompted the request is another authority's.")


class SupportOffer(models.Model):
    """An authority's capacity to help in one service area and kind, for one year."""

    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="support_offers"
    )
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=SupportKind.choices)
    staff_days = models.PositiveSmallIntegerField(help_text="Staff days a year")
    year = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "service_area", "kind", "year"], name="uniq_support_offer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority}: {self.staff_days} days of {self.kind} in {self.service_area}"

    def get_absolute_url(self) -> str:
        return reverse("support-offer", args=[self.pk])


def people_scope(user: Any) -> frozenset[int] | None:
    """The authorities whose offered people this person sees as a party: None for all."""
    return scope_of(user, VIEW_PEOPLE)


class OfferPersonQuerySet(models.QuerySet["OfferPerson"]):
    def visible_to(self, user: Any) -> OfferPersonQuerySet:
        """The performance office sees everyone; a council officer sees their own
        authority's people, and those of an offer with a live match (accepted, or proposed
        by the latest broker run) for one of its requests: that very offer, not another
        of the supporter's in the same service area."""
        scope = people_scope(user)
        if scope is None:
            return self
        # By name, not by import: the matches module imports this one.
        match = apps.get_model("support", "Match")
        helping = (
            match.objects.live()
            .drawing_on(
                OuterRef("offer__authority_id"),
                OuterRef("offer__service_area_id"),
                OuterRef("offer__kind"),
                OuterRef("offer__year"),
            )
            .filter(request__authority_id__in=scope)
        )
        return self.filter(Q(offer__authority_id__in=scope) | Exists(helping))


class OfferPerson(models.Model):
    """A named person an offer would send. Personal data: no default manager, so every
    query says who it is for (`private_objects.visible_to(user)`)."""

    offer = models.ForeignKey(SupportOffer, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    expertise = models.TextField(blank=True)

    private_objects = OfferPersonQuerySet.as_manager()

    class Meta:
        ordering = ["offer", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}"

    @property
    def authority_id(self) -> int:
        """The offering authority: whose officers may change this row."""
        return int(self.offer.authority_id)
