"""Peer reviews: the stages a review moves through, each move logged; its team (personal
data); its report and action plan."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ambition.registry.models import Authority

from .requests import SupportRequest, people_scope


class ReviewStage(models.TextChoices):
    """In the order a review moves through them: only ever one step forward."""

    REQUESTED = "requested", "Requested"
    MATCHED = "matched", "Matched"
    SCOPED = "scoped", "Scoped"
    ON_SITE = "on-site", "On site"
    REPORTED = "reported", "Reported"
    ACTION_PLAN = "action-plan", "Action plan agreed"
    PROGRESS_REVIEW = "progress-review", "Progress review"
    CLOSED = "closed", "Closed"


STAGE_ORDER: tuple[str, ...] = tuple(ReviewStage.values)


class PeerReview(models.Model):
    """A peer review of one authority's service area, serving a support request of the
    peer-review kind: the reviewed authority and service area are the request's."""

    request = models.OneToOneField(
        SupportRequest, on_delete=models.PROTECT, related_name="peer_review"
    )
    stage = models.CharField(max_length=16, choices=ReviewStage.choices, default="requested")
    scope = models.TextField(blank=True, help_text="What the review will look at")
    on_site_start = models.DateField(null=True, blank=True)
    on_site_end = models.DateField(null=True, blank=True)
    progress_review_due = models.DateField(
        null=True, blank=True, help_text="About ten months after the team was on site"
    )
    report = models.FileField(upload_to="support/reviews/reports/", blank=True)
    report_text = models.TextField(blank=True, help_text="The report, or its summary")
    action_plan = models.FileField(upload_to="support/reviews/action-plans/", blank=True)
    action_plan_text = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(on_site_start__isnull=True)
                | Q(on_site_end__isnull=True)
                | Q(on_site_start__lte=models.F("on_site_end")),
                name="review_on_site_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Peer review of {self.request.service_area} in {self.request.authority}"

    def get_absolute_url(self) -> str:
        return reverse("support-review", args=[self.pk])

    @property
    def authority(self) -> Authority:
        return self.request.authority

    @property
    def authority_id(self) -> int:
        """The reviewed authority: whose officers speak for the review."""
        return int(self.request.authority_id)

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage)


class StageChange(models.Model):
    """One move of a review from a stage to the next: who, when and why."""

    review = models.ForeignKey(PeerReview, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=16, choices=ReviewStage.choices)
    to_stage = models.CharField(max_length=16, choices=ReviewStage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "to_stage"], name="uniq_review_stage")
        ]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.from_stage} -> {self.to_stage}"


class TeamRole(models.TextChoices):
    OFFICER = "officer", "Officer"
    MEMBER = "member", "Member (councillor)"


class TeamMemberQuerySet(models.QuerySet["ReviewTeamMember"]):
    def visible_to(self, user: Any) -> TeamMemberQuerySet:
        """The performance office sees every team; a council officer sees the people their
        authority supplies and the team reviewing their authority."""
        scope = people_scope(user)
        if scope is None:
            return self
        return self.filter(Q(authority_id__in=scope) | Q(review__request__authority_id__in=scope))


class ReviewTeamMember(models.Model):
    """One person on a review team, from a peer authority. Personal data: no default
    manager, so every query says who it is for (`private_objects.visible_to(user)`)."""

    review = models.ForeignKey(PeerReview, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(max_length=200)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=8, choices=TeamRole.choices)
    party = models.CharField(max_length=60, blank=True, help_text="For a member: their party")
    days = models.DecimalField(
        max_digits=5, decimal_places=1, default=5, help_text="Staff days given to the review"
    )

    private_objects = TeamMemberQuerySet.as_manager()

    class Meta:
        ordering = ["review", "authority__name", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gt=0), name="team_member_gives_days"),
            models.CheckConstraint(
                condition=Q(role="officer") | ~Q(party=""), name="team_member_has_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.authority})"


class ActionPlanItem(models.Model):
    """One action the reviewed authority agreed, with who owns it (a post, not a person),
    when it is due and whether it is done."""

    review = models.ForeignKey(PeerReview, on_delete=models.CASCADE, related_name="actions")
    action = models.TextField()
    owner = models.CharField(max_length=200, help_text="The post that owns it, not a name")
    due = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["review", "due", "id"]

    def __str__(self) -> str:
        return self.action[:60]

    @property
    def done(self) -> bool:
        return self.done_on is not None
