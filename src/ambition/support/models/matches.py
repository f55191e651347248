"""The broker's runs and the matches they propose."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ambition.assessment.models import Immutable
from ambition.registry.models import Authority

from .ledger import financial_year_of
from .requests import SupportRequest


class BrokerRunQuerySet(models.QuerySet["BrokerRun"]):
    def newest_first(self) -> BrokerRunQuerySet:
        """The latest run first: the one whose undecided proposals are live."""
        return self.order_by("-created_at", "-id")


class BrokerRun(Immutable):
    """One run of the broker over every open request: the weights it used, the total
    suitability it reached and what the solver said. Its proposals hang from it."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=10, help_text="page, api or command")
    weights = models.JSONField(help_text="The suitability weights used, part -> weight")
    objective = models.FloatField(help_text="Total suitability of the proposed matches")
    solver_status = models.CharField(max_length=30)
    seconds = models.FloatField(default=0.0)
    requests = models.JSONField(default=list, help_text="Ids of the open requests it considered")
    unmatched = models.JSONField(
        default=list,
        help_text="Requests given fewer days than asked: how many, why, and the "
        "best supporters not chosen",
    )
    fairness_cap = models.PositiveIntegerField(
        default=0, help_text="The most days any one supporter could carry in this run"
    )

    objects = BrokerRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Broker run {self.pk} ({self.solver_status})"

    def get_absolute_url(self) -> str:
        return reverse("support-broker-run", args=[self.pk])


class MatchQuerySet(models.QuerySet["Match"]):
    def live(self) -> MatchQuerySet:
        """Accepted, or proposed by the latest broker run and not yet decided: a newer run
        replaces an older run's undecided proposals everywhere."""
        newest = BrokerRun.objects.newest_first().values("pk")[:1]
        proposed = Q(state=Match.State.PROPOSED, broker_run_id=models.Subquery(newest))
        return self.filter(Q(state=Match.State.ACCEPTED) | proposed)

    def drawing_on(self, supporter: Any, service_area: Any, kind: Any, year: Any) -> MatchQuerySet:
        """Matches for one offer (each argument a value or an OuterRef to the offer's):
        its authority supports a request of its service area and kind whose window
        overlaps its financial year, as the broker pairs them."""
        return self.overlapping(year).filter(
            supporter_id=supporter, request__service_area_id=service_area, request__kind=kind
        )

    def overlapping(self, year: Any) -> MatchQuerySet:
        """Matches whose request's window overlaps the financial year `year` (a value or an
        OuterRef): those that draw on that year's offers."""
        return self.annotate(
            first_year=financial_year_of("request__window_start"),
            last_year=financial_year_of("request__window_end"),
        ).filter(first_year__lte=year, last_year__gte=year)

    def accepted(self) -> MatchQuerySet:
        return self.filter(state=Match.State.ACCEPTED)

    def declined_pairs(self) -> set[tuple[int, int]]:
        """(request id, supporter id) of every declined match: never proposed again."""
        declined = self.filter(state=Match.State.DECLINED)
        return set(declined.values_list("request_id", "supporter_id"))

    def relationships(self) -> Counter[frozenset[int]]:
        """Accepted matches between each pair of authorities, whichever way help went."""
        rows = self.accepted().values_list("request__authority_id", "supporter_id")
        return Counter(frozenset(pair) for pair in rows)


DECISION_FIELDS = frozenset({"state", "decided_by", "decided_at"})


class Match(models.Model):
    """A proposal that `supporter` gives `days` to `request`, with its suitability broken
    into parts and the best alternatives not chosen. Written once by a broker run;
    afterwards only decided (accepted or declined), once."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    broker_run = models.ForeignKey(BrokerRun, on_delete=models.PROTECT, related_name="matches")
    request = models.ForeignKey(SupportRequest, on_delete=models.PROTECT, related_name="matches")
    supporter = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    days = models.PositiveSmallIntegerField()
    score = models.FloatField(help_text="Total suitability: the weighted sum of the parts")
    parts = models.JSONField(default=dict, help_text="part -> value in [0, 1]")
    alternatives = models.JSONField(default=list, help_text="Best supporters not chosen, and why")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["broker_run", "request", "-score"]
        verbose_name_plural = "matches"
        constraints = [
            models.UniqueConstraint(
                fields=["broker_run", "request", "supporter"], name="uniq_match_in_run"
            ),
            models.CheckConstraint(condition=Q(days__gte=1), name="match_gives_days"),
            models.CheckConstraint(
                condition=Q(state="proposed", decided_at__isnull=True)
                | (~Q(state="proposed") & Q(decided_at__isnull=False)),
                name="match_decided_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["request", "supporter"],
                condition=Q(state="declined"),
                name="match_declined_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supporter} helps {self.request.authority}: {self.days} days"

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if not self._state.adding and (fields is None or not set(fields) <= DECISION_FIELDS):
            raise ValueError("A match is never changed once proposed, only decided")
        super().save(*args, **kwargs)

    @transaction.atomic
    def decide(self, user: Any, accept: bool) -> bool:
        """Accept or decline, once: False if it was already decided."""
        current = Match.objects.select_for_update().get(pk=self.pk)
        if current.state != Match.State.PROPOSED:
            return False
        self.state = Match.State.ACCEPTED if accept else Match.State.DECLINED
        self.decided_by = user if getattr(user, "is_authenticated", False) else None
        self.decided_at = timezone.now()
        self.save(update_fields=sorted(DECISION_FIELDS))
        return True
