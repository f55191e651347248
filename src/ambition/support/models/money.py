"""What a back-fill or incentive claim was for: peer support's side of a claim whose money,
budget and decision are the fund's (fund.Claim). A claim may name the secondment it covers,
or the review team member whose days it replaces, or neither (its text says what)."""

from __future__ import annotations

from django.db import models

from ambition.fund.models import Claim

from .reviews import ReviewTeamMember
from .secondments import Secondment


class ClaimCause(models.Model):
    claim = models.OneToOneField(
        Claim, primary_key=True, on_delete=models.PROTECT, related_name="cause"
    )
    secondment = models.ForeignKey(
        Secondment, null=True, blank=True, on_delete=models.PROTECT, related_name="claim_causes"
    )
    team_member = models.ForeignKey(
        ReviewTeamMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Claim {self.claim_id}: {self.secondment or self.team_member or 'other'}"
