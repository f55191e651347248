"""Budgets: every pot of the partnership's money, by financial year, programme and source.
Every grant, back-fill and incentive is paid from one; no other app keeps a budget."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse


class Programme(models.TextChoices):
    IMPROVEMENT = "improvement", "Improvement"
    EFFICIENCY = "efficiency", "Efficiency"
    INNOVATION = "innovation", "Innovation"
    BACKFILL = "backfill", "Back-fill"
    INCENTIVES = "incentives", "Incentives"


class Source(models.TextChoices):
    GOVERNMENT = "government", "Government allocation"
    SUBSCRIPTION = "subscription", "Local subscription"


class BudgetQuerySet(models.QuerySet["Budget"]):
    def in_year(self, year: int) -> BudgetQuerySet:
        return self.filter(year=year)

    def for_programme(self, programme: str) -> BudgetQuerySet:
        return self.filter(programme=programme)


class Budget(models.Model):
    name = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(help_text="Financial year, by the year it starts")
    programme = models.CharField(max_length=12, choices=Programme.choices)
    source = models.CharField(max_length=12, choices=Source.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    illustrative = models.BooleanField(
        default=False, help_text="A figure no source gives: the demo's, labelled on every page"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BudgetQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative"),
            models.UniqueConstraint(fields=["name", "year"], name="uniq_budget"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("fund-budget", args=[self.pk])
