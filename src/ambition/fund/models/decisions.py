"""The office's appraisal of an application against the published criteria
(data/fund/appraisal-criteria.toml), and the board's decision on it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .applications import USER, Application


class Appraisal(models.Model):
    """Scores by criterion code (`{"need": 4, ...}`), against the criteria's version, and
    the weighted total out of 100 they give."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="appraisals"
    )
    criteria_version = models.CharField(max_length=20)
    scores = models.JSONField()
    total = models.DecimalField(max_digits=5, decimal_places=2)
    comments = models.TextField(blank=True)
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(total__lte=100), name="fund_appraisal_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.total}/100"


class Outcome(models.TextChoices):
    APPROVED = "approved", "Approved"
    CONDITIONS = "conditions", "Approved with conditions"
    REFUSED = "refused", "Refused"


class Decision(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    conditions = models.TextField(blank=True)
    reasons = models.TextField(blank=True)
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField()
    decided_on = models.DateField()

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="approved") | ~Q(reasons=""), name="fund_decision_has_reasons"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="conditions") | ~Q(conditions=""),
                name="fund_decision_states_conditions",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.outcome} on {self.decided_on.isoformat()}"
