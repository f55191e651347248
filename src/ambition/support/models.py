"""Peer support's data: requests, offers, matches, reviews, secondments and the ledger."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ambition.accounts.backends import grants_of
from ambition.accounts.policy import writable_authorities
from ambition.assessment.models import AssessmentRun, Immutable, RunArea, RunWarning
from ambition.indicators.models import ServiceArea
from ambition.registry.models import Authority

VIEW_PEOPLE = "support.view_offerperson"


class SupportKind(models.TextChoices):
    PEER_REVIEW = "peer-review", "Peer review"
    MENTORING = "mentoring", "Mentoring"
    SECONDMENT = "secondment", "Secondment"
    MEMBER_DEVELOPMENT = "member-development", "Member development"
    SPECIALIST_ADVICE = "specialist-advice", "Specialist advice"


class Preference(models.TextChoices):
    NEIGHBOUR = "neighbour", "Prefer a boundary neighbour"
    CONTROL = "control", "Prefer the same political control"
    NEITHER = "neither", "No preference"


class SupportRequest(models.Model):
    """A council asking for practical help in one service area, with what prompted it
    when it came from an assessment (a weak service area or an early warning)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MATCHED = "matched", "Matched"
        CLOSED = "closed", "Closed"

    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="support_requests"
    )
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=SupportKind.choices)
    problem = models.TextField("what is wrong")
    prompted_by_run = models.ForeignKey(
        AssessmentRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prompted_by_area = models.ForeignKey(
        RunArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prompted_by_warning = models.ForeignKey(
        RunWarning, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff_days = models.PositiveSmallIntegerField(help_text="Staff days of help wanted")
    window_start = models.DateField(help_text="The first day help could start")
    window_end = models.DateField(help_text="The last day help could be given")
    preference = models.CharField(
        max_length=10, choices=Preference.choices, default=Preference.NEITHER
    )
    avoid = models.ManyToManyField(
        Authority, blank=True, related_name="+", help_text="Conflicts of interest"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(staff_days__gte=1), name="request_wants_days"),
            models.CheckConstraint(
                condition=Q(window_start__lte=models.F("window_end")), name="request_window_order"
            ),
            # A weak area or a warning belongs to a run: the request names the run too.
            models.CheckConstraint(
                condition=Q(prompted_by_run__isnull=False)
                | Q(prompted_by_area__isnull=True, prompted_by_warning__isnull=True),
                name="request_prompt_names_run",
            ),
        ]
        indexes = [models.Index(fields=["status", "service_area"], name="request_status_area")]

    def __str__(self) -> str:
        return f"{self.authority}: {self.get_kind_display()} in {self.service_area}"

    def clean(self) -> None:
        for prompt in (self.prompted_by_area, self.prompted_by_warning):
            if prompt is None:
                continue
            if prompt.run_id != self.prompted_by_run_id:
                raise ValidationError("What prompted the request comes from another run.")
            if prompt.authority_id != self.authority_id:
                raise ValidationError("What prompted the request is another authority's.")


class SupportOffer(models.Model):
    """An authority's capacity to help in one service area and kind, for one year."""

    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="support_offers"
    )
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=SupportKind.choices)
    staff_days = models.PositiveSmallIntegerField(help_text="Staff days a year")
    year = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "service_area", "kind", "year"], name="uniq_support_offer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority}: {self.staff_days} days of {self.kind} in {self.service_area}"


def people_scope(user: Any) -> frozenset[int] | None:
    """The authorities whose offered people this person sees as a party: None for all."""
    if getattr(user, "is_superuser", False):
        return None
    return writable_authorities(grants_of(user), VIEW_PEOPLE)


class OfferPersonQuerySet(models.QuerySet["OfferPerson"]):
    def visible_to(self, user: Any) -> OfferPersonQuerySet:
        """The performance office sees everyone; a council officer sees their own
        authority's people, and those offered to help it (the supporter of a match with
        one of its requests in the offer's service area, not declined)."""
        scope = people_scope(user)
        if scope is None:
            return self
        helping = Match.objects.live().filter(
            supporter_id=OuterRef("offer__authority_id"),
            request__service_area_id=OuterRef("offer__service_area_id"),
            request__authority_id__in=scope,
        )
        return self.filter(Q(offer__authority_id__in=scope) | Exists(helping))


class OfferPerson(models.Model):
    """A named person an offer would send. Personal data: no default manager, so every
    query says who it is for (`private_objects.visible_to(user)`)."""

    offer = models.ForeignKey(SupportOffer, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    expertise = models.TextField(blank=True)

    private_objects = OfferPersonQuerySet.as_manager()

    class Meta:
        ordering = ["offer", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}"

    @property
    def authority_id(self) -> int:
        """The offering authority: whose officers may change this row."""
        return int(self.offer.authority_id)


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

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Broker run {self.pk} ({self.solver_status})"


class MatchQuerySet(models.QuerySet["Match"]):
    def live(self) -> MatchQuerySet:
        """Proposed or accepted: not declined."""
        return self.exclude(state=Match.State.DECLINED)

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
