"""The give-and-take ledger: every contribution and receipt, one row each, never changed.
A correction is a reversing entry that names the entry it reverses and why."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import ExtractYear

from ambition.indicators.periods import financial_year
from ambition.indicators.periods.calendar import FINANCIAL_YEAR_START_MONTH
from ambition.registry.models import Authority


def financial_year_of(field: str) -> models.Expression:
    """`financial_year` of a date column, worked out by the database (for filters)."""
    early = When(**{f"{field}__month__lt": FINANCIAL_YEAR_START_MONTH}, then=Value(1))
    return ExtractYear(F(field)) - Case(early, default=Value(0))


class LedgerKind(models.TextChoices):
    STAFF_DAYS = "staff-days", "Staff days"
    BACKFILL = "backfill", "Back-fill"
    GRANT = "grant", "Grant"
    CASE_STUDY = "case-study", "Case studies"
    IP = "ip", "Intellectual property"


class Direction(models.TextChoices):
    GAVE = "gave", "Gave"
    TOOK = "took", "Took"


class LedgerSource(models.TextChoices):
    SECONDMENT = "secondment", "Secondment"
    REVIEW = "review", "Peer review"
    CLAIM = "claim", "Back-fill claim"
    GRANT = "grant", "Grant payment"
    CASE_STUDY = "case-study", "Case study published"
    MANUAL = "manual", "Recorded by the performance office"


class AppendOnly(ValueError):
    """A ledger entry was to be changed or deleted: correct it with a reversing entry."""


class LedgerQuerySet(models.QuerySet["LedgerEntry"]):
    def in_year(self, year: int) -> LedgerQuerySet:
        return self.filter(year=year)

    def of(self, authority: Authority) -> LedgerQuerySet:
        return self.filter(authority=authority)

    def from_source(self, source: str, source_id: int) -> LedgerQuerySet:
        return self.filter(source=source, source_id=source_id)

    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("Ledger entries are never changed: add a reversing entry")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Ledger entries are never deleted: add a reversing entry")


class LedgerEntry(models.Model):
    """One authority gave or took an amount of one kind, on a day, perhaps with a
    counterparty (none for back-fill paid by the partnership). Written by what caused it
    (a secondment delivered, a review reported, a claim paid) or by the performance office."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    counterparty = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=LedgerKind.choices)
    direction = models.CharField(max_length=4, choices=Direction.choices)
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="Days, pounds or items, as the kind says"
    )
    date = models.DateField()
    year = models.PositiveSmallIntegerField(editable=False, help_text="Financial year of the date")
    description = models.CharField(max_length=300)
    source = models.CharField(max_length=12, choices=LedgerSource.choices)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    reason = models.TextField(blank=True, help_text="Why a reversing entry was made")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "ledger entries"
        constraints = [
            # An ordinary entry is positive; only a reversal, which says why, is negative.
            models.CheckConstraint(
                condition=Q(amount__gt=0, reverses__isnull=True)
                | (Q(amount__lt=0, reverses__isnull=False) & ~Q(reason="")),
                name="ledger_amount_sign",
            ),
            models.CheckConstraint(
                condition=~Q(counterparty=models.F("authority")), name="ledger_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["year", "authority"], name="ledger_year_authority"),
            models.Index(fields=["source", "source_id"], name="ledger_source"),
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.direction} {self.amount} {self.kind} ({self.date})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("Ledger entries are never changed: add a reversing entry")
        self.year = financial_year(self.date)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Ledger entries are never deleted: add a reversing entry")
