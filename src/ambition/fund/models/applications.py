"""Applications for an improvement grant: from one authority or several together, with the
indicators they should move, their milestones, and a log of every change of state.
The rules that move an application are in ambition.fund.applications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ambition.indicators.models import Indicator, Period, ServiceArea
from ambition.registry.models import Authority

from .budgets import Budget

USER = settings.AUTH_USER_MODEL


class ApplicationState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPRAISED = "appraised", "Appraised"
    APPROVED = "approved", "Approved"
    CONDITIONS = "conditions", "Approved with conditions"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ApplicationQuerySet(models.QuerySet["Application"]):
    def in_state(self, *states: str) -> ApplicationQuerySet:
        return self.filter(state__in=states)

    def involving(self, authority_id: int) -> ApplicationQuerySet:
        """Led by the authority, or a joint bid it is a partner in."""
        return self.filter(Q(lead_id=authority_id) | Q(partners__authority_id=authority_id))


class Application(models.Model):
    lead = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="applications")
    title = models.CharField(max_length=200)
    purpose = models.TextField()
    service_area = models.ForeignKey(
        ServiceArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="None for a corporate bid across services (management, governance)",
    )
    amount = models.DecimalField("amount requested", max_digits=12, decimal_places=2)
    amount_published = models.BooleanField(
        default=True, help_text="False where no source gives the amount: recorded as 0"
    )
    state = models.CharField(
        max_length=10, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    illustrative = models.BooleanField(
        default=False, help_text="Made up for the demo: labelled so on every page"
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) | (Q(amount_published=False) & Q(amount=0)),
                name="fund_application_positive",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "withdrawn"]) | Q(submitted_at__isnull=False),
                name="fund_application_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.lead})"

    @property
    def authority_id(self) -> int:
        """The lead council: whose officers may edit it (accounts' permission backend)."""
        return int(self.lead_id)


class Partner(models.Model):
    """A partner council in a joint bid; its own officer confirms it takes part."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "authority"], name="uniq_fund_partner")
        ]

    def __str__(self) -> str:
        return f"{self.authority} in {self.application}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class ApplicationTarget(models.Model):
    """An indicator the grant should move: by how much (in the indicator's unit, signed as
    the indicator moves), by a period or a date."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    change = models.DecimalField(max_digits=14, decimal_places=4)
    by_period = models.ForeignKey(
        Period, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by_date = models.DateField(null=True, blank=True)
    illustrative = models.BooleanField(default=False, help_text="Invented for the demo")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(by_period__isnull=False) | Q(by_date__isnull=False),
                name="fund_target_has_when",
            ),
            models.CheckConstraint(condition=~Q(change=0), name="fund_target_moves"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.change:+}"


class Milestone(models.Model):
    """A step of the work, and the tranche paid when its evidence is accepted."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(max_length=200)
    due = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_milestone_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (due {self.due.isoformat()})"

    @property
    def authority_id(self) -> int:
        return int(self.application.lead_id)


class StateChange(models.Model):
    """Every move of an application, who made it and when: its history, never edited."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="changes")
    from_state = models.CharField(max_length=10, choices=ApplicationState.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=ApplicationState.choices)
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or 'new'} -> {self.to_state} at {self.at.isoformat()}"
