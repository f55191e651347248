"""Awards and the money that follows them: variations of the amount, the council's evidence
for each milestone, the tranches paid, and money returned (underspend or clawback).

How the sums relate (ambition.fund.awards keeps them so, ambition.fund.reconcile checks):
an award's `amount` is what it currently promises: `awarded` plus every variation's
`change`. Payments never add up past `amount`; a return is money paid that came back, so it
never exceeds what was paid net of earlier returns, and it releases that much of the
budget. A budget's commitment is its committed claims plus its awards' amounts net of
returns; it never passes the budget's amount.

An award also keeps its running totals, `paid_to_date` and `returned_to_date`: added to by
ambition.fund.awards in the same transaction, under the award's lock, as the payment or
return they count, so a page reads an award's money from its own row instead of summing
every payment. The payments and returns stay the record; `ambition fund-reconcile` checks
that each award's running totals are their sums."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from .applications import USER, Application, Milestone
from .budgets import Budget


class Award(models.Model):
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="awards")
    awarded = models.DecimalField("amount first awarded", max_digits=12, decimal_places=2)
    amount = models.DecimalField("amount now", max_digits=12, decimal_places=2)
    amount_published = models.BooleanField(
        default=True,
        help_text="False where no source gives the amount: recorded as 0 and never published",
    )
    paid_to_date = models.DecimalField(
        max_digits=12, decimal_places=2, default=0, help_text="The sum of its payments"
    )
    returned_to_date = models.DecimalField(
        max_digits=12, decimal_places=2, default=0, help_text="The sum of its returns"
    )
    decided_on = models.DateField()
    conditions = models.TextField(blank=True)
    description = models.TextField(blank=True, help_text="What the award is for, as published")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        # The overview lists awards a page at a time in this order: read from the index, not
        # by sorting every award.
        indexes = [
            models.Index(fields=["-decided_on", "-id"], name="fund_award_newest_first"),
            # The overview's sums are kept until an award changes: its latest change, read
            # from the index on every request.
            models.Index(fields=["updated_at"], name="fund_award_changed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(awarded__gt=0) & Q(amount__gte=0)) | Q(amount_published=False),
                name="fund_award_positive",
            ),
            models.CheckConstraint(
                condition=Q(amount_published=True) | (Q(awarded=0) & Q(amount=0)),
                name="fund_award_unpublished_is_zero",
            ),
            # Nothing is paid past the award, and nothing comes back that was not paid.
            models.CheckConstraint(
                condition=Q(returned_to_date__gte=0)
                & Q(returned_to_date__lte=F("paid_to_date"))
                & Q(paid_to_date__lte=F("amount")),
                name="fund_award_running_totals_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.lead}: £{self.amount} from {self.budget}"

    @property
    def authority_id(self) -> int:
        return int(self.application.lead_id)


class Variation(models.Model):
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="variations")
    change = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.TextField()
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(change=0), name="fund_variation_changes"),
            models.CheckConstraint(condition=~Q(reason=""), name="fund_variation_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.award}: {self.change:+}"


class EvidenceState(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class MilestoneEvidence(models.Model):
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="evidence")
    summary = models.TextField()
    link = models.URLField(blank=True)
    state = models.CharField(
        max_length=10, choices=EvidenceState.choices, default=EvidenceState.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="Why it was rejected, or a note")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="submitted") | Q(reviewed_at__isnull=False),
                name="fund_evidence_reviewed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(note=""),
                name="fund_evidence_rejection_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"Evidence for {self.milestone} ({self.state})"

    @property
    def authority_id(self) -> int:
        return self.milestone.authority_id


class Payment(models.Model):
    """A tranche, one per milestone, paid once its evidence is accepted."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="payments")
    milestone = models.OneToOneField(
        Milestone, null=True, blank=True, on_delete=models.PROTECT, related_name="payment"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    paid_on = models.DateField()
    illustrative = models.BooleanField(default=False)
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField()

    class Meta:
        ordering = ["paid_on", "id"]
        # Whether any payment is illustrative is asked on every overview: the few that are,
        # indexed, rather than a scan of every payment.
        indexes = [
            models.Index(
                fields=["award"], condition=Q(illustrative=True), name="fund_payment_illustrative"
            )
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} to {self.award} on {self.paid_on.isoformat()}"

    @property
    def authority_id(self) -> int:
        return self.award.authority_id


class ReturnKind(models.TextChoices):
    UNDERSPEND = "underspend", "Underspend returned"
    CLAWBACK = "clawback", "Clawback"


class Return(models.Model):
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="returns")
    kind = models.CharField(max_length=10, choices=ReturnKind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.TextField()
    returned_on = models.DateField()
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField()

    class Meta:
        ordering = ["returned_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_return_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="fund_return_has_reason"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} {self.kind} from {self.award}"
