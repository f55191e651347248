"""Impact runs: what the impact engine (ambition.fund.impact) found for every award, stored
once with the fingerprint of what it read, so that a page over thousands of awards reads a
status instead of recomputing a difference in differences for each. A run is written once
and never changed; a new run supersedes the old and both stay. `ambition assess-impact`
makes one (ambition.fund.impacts.assess_impacts)."""

from __future__ import annotations

from django.db import models

from ambition.assessment.models import Immutable
from ambition.indicators.models import Indicator

from .applications import USER
from .awards import Award


class ImpactRunQuerySet(models.QuerySet["ImpactRun"]):
    NEWEST = ("-created_at", "-id")

    def latest_run(self) -> ImpactRun | None:
        """The last run made (it read the newest data), or None before the first."""
        return self.order_by(*self.NEWEST).first()


class ImpactRun(Immutable):
    """One assessment of every award's impact: the settings and code it ran with, the
    fingerprint of its inputs (observations, cases, comparators, exclusions), who and when."""

    data_fingerprint = models.CharField(max_length=64)
    settings = models.JSONField(help_text="The impact settings: lag, windows, level")
    observations = models.PositiveIntegerField()
    awards = models.PositiveIntegerField()
    code_version = models.CharField(max_length=80)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=10, help_text="command, demo or test")
    seconds = models.FloatField(default=0.0)

    objects = ImpactRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Impact run {self.pk} of {self.awards} awards"


class AwardImpact(Immutable):
    """One award in a run: its overall status code (ambition.fund.impacts.overall), which
    the overview counts and words without reading the targets."""

    run = models.ForeignKey(ImpactRun, on_delete=models.PROTECT, related_name="found")
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="impacts")
    status = models.CharField(max_length=20)

    class Meta:
        ordering = ["run", "award"]
        constraints = [
            models.UniqueConstraint(fields=["run", "award"], name="fund_award_impact_once")
        ]

    def __str__(self) -> str:
        return f"Award {self.award_id} in impact run {self.run_id}: {self.status}"


class TargetFinding(Immutable):
    """What the engine found for one target indicator of an award: the fields of
    ambition.fund.impact.Impact, and the change the application promised."""

    award_impact = models.ForeignKey(AwardImpact, on_delete=models.PROTECT, related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    change = models.DecimalField(max_digits=14, decimal_places=4)
    status = models.CharField(max_length=20)
    polarity = models.SmallIntegerField(null=True)
    treated_before = models.FloatField(null=True)
    treated_after = models.FloatField(null=True)
    comparators_before = models.FloatField(null=True)
    comparators_after = models.FloatField(null=True)
    difference = models.FloatField(null=True)
    estimate = models.FloatField(null=True)
    lower = models.FloatField(null=True)
    upper = models.FloatField(null=True)
    level = models.FloatField()
    comparators = models.PositiveIntegerField()
    direction = models.CharField(max_length=20, null=True)

    class Meta:
        ordering = ["award_impact", "id"]

    def __str__(self) -> str:
        return f"{self.indicator_id} for {self.award_impact}: {self.status}"
