"""Claims on a budget: back-fill and incentives, claimed by an authority, decided by the
performance office and paid. What a claim was for (a secondment, a review team member) is
peer support's to record (support.ClaimCause); the money is here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ambition.accounts.backends import scope_of
from ambition.registry.models import Authority

from .budgets import Budget


class ClaimState(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    PAID = "paid", "Paid"


COMMITTED = (ClaimState.APPROVED, ClaimState.PAID)
VIEW_CLAIMS = "fund.view_claim"


def claims_scope(user: Any) -> frozenset[int] | None:
    """The claimants whose claims this person sees: None for every one."""
    return scope_of(user, VIEW_CLAIMS)


class ClaimQuerySet(models.QuerySet["Claim"]):
    def visible_to(self, user: Any) -> ClaimQuerySet:
        """What the claim's own page shows: every claim to the office and the board, an
        officer's own authority's claims, none to anyone else; on every page that reaches
        claims through a relation (a secondment, a budget) too."""
        scope = claims_scope(user)
        return self if scope is None else self.filter(claimant_id__in=scope)

    def committed(self) -> ClaimQuerySet:
        return self.filter(state__in=COMMITTED)


class Claim(models.Model):
    """An authority's claim on a budget, for what the free text says."""

    claimant = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="claims")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
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
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_claim_positive"),
            models.CheckConstraint(
                condition=Q(state="submitted") | Q(decided_at__isnull=False),
                name="fund_claim_decided_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="paid") | Q(paid_on__isnull=False),
                name="fund_claim_paid_has_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claimant}: £{self.amount} from {self.budget} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse("support-claim", args=[self.pk])

    @property
    def authority_id(self) -> int:
        """The claimant: whose officers may make and see it."""
        return int(self.claimant_id)
