"""Back-fill and incentives: budget lines, and the claims paid from them. Approving a claim
never takes a line's approved and paid claims past its amount (see support.money)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse

from ambition.accounts.backends import scope_of
from ambition.registry.models import Authority

from .reviews import ReviewTeamMember
from .secondments import Secondment


class Purpose(models.TextChoices):
    BACKFILL = "backfill", "Back-fill"
    INCENTIVE = "incentive", "Incentive"


class BudgetLine(models.Model):
    name = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(help_text="Financial year, by the year it starts")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.BACKFILL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_not_negative"),
            models.UniqueConstraint(fields=["name", "year"], name="uniq_budget_line"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("support-budget", args=[self.pk])

    def committed(self) -> Decimal:
        """Approved and paid claims: what the line has promised."""
        total = self.claims.filter(state__in=COMMITTED).aggregate(total=Sum("amount"))["total"]
        return Decimal(total or 0)

    def remaining(self) -> Decimal:
        return Decimal(self.amount) - self.committed()


class ClaimState(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    PAID = "paid", "Paid"


COMMITTED = (ClaimState.APPROVED, ClaimState.PAID)
VIEW_CLAIMS = "support.view_backfillclaim"


class ClaimQuerySet(models.QuerySet["BackfillClaim"]):
    def visible_to(self, user: Any) -> ClaimQuerySet:
        """What the claim's own page shows: every claim to the office and the board, an
        officer's own authority's claims, none to anyone else; on every page that reaches
        claims through a relation (a secondment, a budget line) too."""
        scope = claims_scope(user)
        return self if scope is None else self.filter(claimant_id__in=scope)


def claims_scope(user: Any) -> frozenset[int] | None:
    """The claimants whose claims this person sees: None for every one."""
    return scope_of(user, VIEW_CLAIMS)


class BackfillClaim(models.Model):
    """An authority's claim on a budget line, for a secondment, for one of its people on
    a review team, or for what the free text says."""

    claimant = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="claims")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    secondment = models.ForeignKey(
        Secondment, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    team_member = models.ForeignKey(
        ReviewTeamMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField("for what")
    state = models.CharField(max_length=10, choices=ClaimState.choices, default="submitted")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was refused, or a note")
    paid_on = models.DateField(null=True, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_positive"),
            models.CheckConstraint(
                condition=Q(state="submitted") | Q(decided_at__isnull=False),
                name="claim_decided_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="paid") | Q(paid_on__isnull=False), name="claim_paid_has_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claimant}: £{self.amount} from {self.budget_line} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse("support-claim", args=[self.pk])

    @property
    def authority_id(self) -> int:
        """The claimant: whose officers may make and see it."""
        return int(self.claimant_id)
