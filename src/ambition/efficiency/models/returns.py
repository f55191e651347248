"""Savings returns: what an authority says it saved in a financial year, line by line by
workstream, and the flags the checks (efficiency.checks) raise for the office to decide.
NI 179 counts a line only when it is cash-releasing and ongoing, its return is not
withdrawn, and no flag on it or its return is open or upheld. A procurement line may name
the procurement category it saved in (a code of the spend rules), and keeps the category's
spend by year as the checks read it when the return was submitted."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse

from ambition.accounts.backends import scope_of
from ambition.registry.models import Authority
from ambition.spend.categories.rules import shipped

VIEW_RETURNS = "efficiency.view_savingsreturn"


class Workstream(models.TextChoices):
    PROCUREMENT = "procurement", "Procurement"
    SHARED_SERVICES = "shared-services", "Shared services"
    BACK_OFFICE = "back-office", "Back office"
    ASSET_MANAGEMENT = "asset-management", "Asset management"
    INCOME = "income", "Income and charging"
    OTHER = "other", "Other"


class Recurrence(models.TextChoices):
    ONGOING = "ongoing", "Ongoing"
    ONE_OFF = "one-off", "One-off"


def category_choices() -> list[tuple[str, str]]:
    """The categories a procurement saving may name: those of the shipped rules that buy
    something (grants passed on do not)."""
    return [(c.code, c.name) for c in shipped().categories if c.procurement]


class ReturnState(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    FLAGGED = "flagged", "Flagged for the office"
    ACCEPTED = "accepted", "Accepted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SavingsReturnQuerySet(models.QuerySet["SavingsReturn"]):
    def visible_to(self, user: Any) -> SavingsReturnQuerySet:
        """Every return for the office and the board; an officer's own authority's only."""
        scope = scope_of(user, VIEW_RETURNS)
        return self if scope is None else self.filter(authority_id__in=scope)

    def standing(self) -> SavingsReturnQuerySet:
        """Not withdrawn: the returns whose claims count anywhere."""
        return self.exclude(state=ReturnState.WITHDRAWN)


class SavingsReturn(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="Financial year, by the year it starts")
    state = models.CharField(
        max_length=10, choices=ReturnState.choices, default=ReturnState.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    illustrative = models.BooleanField(default=False, help_text="Invented for the demo")

    objects = SavingsReturnQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "authority__name", "-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.authority} savings return {self.year} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse("efficiency-return", args=[self.pk])

    def claimed(self) -> Decimal:
        return Decimal(self.lines.aggregate(total=Sum("amount"))["total"] or 0)


class SavingsLine(models.Model):
    savings_return = models.ForeignKey(
        SavingsReturn, on_delete=models.CASCADE, related_name="lines"
    )
    workstream = models.CharField(max_length=20, choices=Workstream.choices)
    amount = models.DecimalField("amount (GBP)", max_digits=14, decimal_places=2)
    cash_releasing = models.BooleanField(default=True)
    recurrence = models.CharField(max_length=10, choices=Recurrence.choices)
    started = models.DateField(help_text="When the saving began")
    ends = models.DateField(null=True, blank=True, help_text="When it stops, if it does")
    description = models.TextField()
    evidence = models.TextField(help_text="What shows the saving is real")
    evidence_url = models.URLField(blank=True, max_length=500)
    # No `choices`: the categories are the rules file's, which may gain one without a
    # migration; the form and the API offer `category_choices()`.
    category = models.CharField(
        "procurement category",
        max_length=40,
        blank=True,
        default="",
        help_text="For a procurement saving: the category of spend it was made in",
    )
    category_spend = models.JSONField(
        default=list,
        blank=True,
        help_text="The authority's spend in the category by financial year, as checked: "
        "year, amount, transactions and whether the spend data covers the whole year",
    )

    class Meta:
        ordering = ["savings_return_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="savings_line_positive"),
            models.CheckConstraint(
                condition=Q(category="") | Q(workstream="procurement"),
                name="savings_line_category_procurement",
            ),
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=models.F("started")),
                name="savings_line_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_workstream_display()}: £{Decimal(self.amount):,.2f}"


class FlagKind(models.TextChoices):
    TOO_LARGE = "too-large", "More than the set share of the net budget"
    NO_BUDGET = "no-budget", "No net budget to check the claim against"
    DUPLICATE = "duplicate", "The same saving claimed twice"
    ONE_OFF = "one-off", "A one-off saving counted as ongoing"
    NOT_BORNE_OUT = "spend-not-borne-out", "The spend in this category does not bear the saving out"
    NO_SPEND_DATA = "no-spend-data", "No spend data to check the saving against"


class FlagState(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Claim accepted"
    UPHELD = "upheld", "Flag upheld"


class Flag(models.Model):
    """A check's doubt about a return (line empty) or one of its lines. The office accepts
    the claim despite it, or upholds it (the claim then does not count), with a reason."""

    savings_return = models.ForeignKey(
        SavingsReturn, on_delete=models.CASCADE, related_name="flags"
    )
    line = models.ForeignKey(
        SavingsLine, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    kind = models.CharField(max_length=30, choices=FlagKind.choices)
    reason = models.TextField(help_text="Why the check raised it")
    detail = models.JSONField(default=dict, blank=True, help_text="The figures behind it")
    state = models.CharField(max_length=10, choices=FlagState.choices, default=FlagState.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["savings_return_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open") | (Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="flag_decided_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.state})"

    @property
    def authority_id(self) -> int:
        return int(self.savings_return.authority_id)
