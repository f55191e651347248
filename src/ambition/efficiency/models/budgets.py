"""Net revenue budgets by authority and financial year. An import never overwrites a
figure: a changed one is a new revision and the latest revision is the one that counts."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import OuterRef, Q, Subquery

from ambition.registry.models import Authority


class NetBudgetQuerySet(models.QuerySet["NetBudget"]):
    def latest_revision(self) -> NetBudgetQuerySet:
        """One row per authority and year: its newest revision."""
        newest = (
            NetBudget.objects.filter(authority=OuterRef("authority"), year=OuterRef("year"))
            .order_by("-revision")
            .values("revision")[:1]
        )
        return self.filter(revision=Subquery(newest))

    def for_year(self, year: int) -> NetBudgetQuerySet:
        return self.filter(year=year)


class NetBudget(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="Financial year, by the year it starts")
    amount = models.DecimalField("net revenue budget (GBP)", max_digits=14, decimal_places=2)
    source = models.CharField(max_length=300, blank=True, help_text="Where the figure came from")
    illustrative = models.BooleanField(
        default=False, help_text="An invented figure for the demo, not the council's own"
    )
    revision = models.PositiveSmallIntegerField(default=1)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = NetBudgetQuerySet.as_manager()

    class Meta:
        ordering = ["authority__name", "-year", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "year", "revision"], name="uniq_net_budget_revision"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="net_budget_positive"),
            models.CheckConstraint(condition=Q(revision__gte=1), name="net_budget_revision"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.authority} {self.year}: £{Decimal(self.amount):,.2f} (revision {self.revision})"
        )

    @property
    def same_figure(self) -> tuple[object, ...]:
        """What a re-import compares: the same amount, source and label add nothing."""
        return (self.amount, self.source, self.illustrative)


__all__ = ["NetBudget", "NetBudgetQuerySet"]
