"""The indicator catalogue and the observation store. Observations are never edited:
a changed value is a new revision, and every revision stays."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from ambition.accounts.backends import scope_of
from ambition.registry.models import Authority

from .periods import PeriodKind, YearBasis
from .values import Status

VIEW_RESTRICTED = "indicators.view_restricted_observation"
VIEW_BATCHES = "indicators.view_importbatch"
VIEW_JOBS = "indicators.view_importjob"


def restricted_scope(user: Any) -> frozenset[int] | None:
    """The authorities whose restricted data this person may see: None for all."""
    return scope_of(user, VIEW_RESTRICTED)


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NONE = "", "None stated by the source"


class ServiceArea(models.Model):
    code = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=300)
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, related_name="indicators"
    )
    unit = models.CharField(max_length=60, blank=True)
    polarity = models.CharField(max_length=6, choices=Polarity.choices, blank=True)
    polarity_basis = models.CharField(
        max_length=200, blank=True, help_text="Which metadata the polarity came from"
    )
    year_basis = models.CharField(
        max_length=10,
        choices=[(b.value, b.value) for b in YearBasis],
        default=YearBasis.FINANCIAL,
        help_text="How a label such as 2019/20 is read for this indicator",
    )
    definition = models.TextField(blank=True)
    source = models.CharField(max_length=500, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    licence = models.CharField(max_length=100, blank=True)
    decimal_places = models.PositiveSmallIntegerField(default=1)
    residents_view = models.BooleanField(
        default=False,
        help_text="Measured by asking a sample of residents (a survey): a residents' view, "
        "whose values are estimates with sampling intervals",
    )
    survey = models.CharField(
        max_length=200, blank=True, help_text="The survey that measures it, if any"
    )
    method_note = models.TextField(
        blank=True, help_text="How it is measured, and what that means for comparing values"
    )

    class Meta:
        ordering = ["service_area__name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("indicator-detail", args=[self.code])


class Period(models.Model):
    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in PeriodKind])
    basis = models.CharField(max_length=10, choices=[(b.value, b.value) for b in YearBasis])
    start = models.DateField()
    end = models.DateField(help_text="The last day of the period")
    label = models.CharField(max_length=40)

    class Meta:
        ordering = ["start", "end"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "basis", "start", "end"], name="uniq_period")
        ]

    def __str__(self) -> str:
        return self.label


class ImportBatchQuerySet(models.QuerySet["ImportBatch"]):
    def visible_to(self, user: Any) -> ImportBatchQuerySet:
        """Every batch for the performance office; for a council officer, their own and
        those that wrote their authority's observations: another council's file names,
        people and counts are its own business."""
        scope = scope_of(user, VIEW_BATCHES)
        if scope is None:
            return self
        wrote = Observation.private_objects.filter(batch=OuterRef("pk"), authority_id__in=scope)
        mine = Q(user_id=user.pk) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
        return self.filter(mine | Exists(wrote))


class ImportBatch(models.Model):
    """One run of an import: the file, who ran it, from where, and what it did."""

    class Origin(models.TextChoices):
        PAGE = "page"
        CLI = "cli"
        API = "api"
        DEMO = "demo"
        FORM = "form"

    file_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64, db_index=True)
    size_bytes = models.BigIntegerField()
    layout = models.CharField(max_length=10, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    revised = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    reason = models.TextField(
        blank=True, help_text="Why a value was corrected by hand, for a one-value revision"
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def visible_to(self, user: Any) -> ImportJobQuerySet:
        """Every job for the performance office; a council officer's own otherwise (a job
        names its file before anything is written, so it has no authority to share by)."""
        if scope_of(user, VIEW_JOBS) is None:
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user_id=user.pk)


class ImportJob(models.Model):
    """An import asked for from the page, run in the background; its progress is
    written to a small file the page polls, since the import's own transaction hides
    its rows until the end."""

    class State(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    upload = models.CharField(max_length=300, help_text="The stored file, under the uploads folder")
    file_name = models.CharField(max_length=300)
    indicator = models.CharField(max_length=80, blank=True)
    dry_run = models.BooleanField(default=False)
    restricted_until = models.DateField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(null=True, blank=True)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse("import-job", args=[self.pk])


def _published(on: datetime.date | None) -> Q:
    return Q(restricted_until__isnull=True) | Q(restricted_until__lte=on or timezone.localdate())


class ObservationQuerySet(models.QuerySet["Observation"]):
    def latest_revision(self) -> ObservationQuerySet:
        return self.filter(is_latest=True)

    def published(self, on: datetime.date | None = None) -> ObservationQuerySet:
        """What anyone may see: not restricted, or restricted only until a day now past."""
        return self.filter(_published(on))

    def visible_to(self, user: Any, on: datetime.date | None = None) -> ObservationQuerySet:
        """Published data, and the restricted data of the authorities this person may see
        early: their own, for a council officer; every one, for the performance office."""
        scope = restricted_scope(user)
        if scope is None:
            return self
        return self.filter(_published(on) | Q(authority_id__in=scope))

    def revisions_seen_by(self, user: Any, pk: int) -> ObservationQuerySet:
        """The revisions of observation `pk` (every one of its authority, indicator and
        period) this person may see, newest first, with the batch each came from: what its
        page and the API's history show. Empty when there are none, so that the caller
        answers 404 and restricted data does not even show that it exists."""
        key = Observation.private_objects.filter(pk=pk).values("authority", "indicator", "period")
        return (
            self.visible_to(user)
            .filter(
                authority__in=key.values("authority"),
                indicator__in=key.values("indicator"),
                period__in=key.values("period"),
            )
            .with_codes()
            .select_related("batch", "batch__user")
            .order_by("-revision")
        )

    def for_indicator(self, indicator: Indicator) -> ObservationQuerySet:
        return self.filter(indicator=indicator)

    def for_authority(self, authority: Authority) -> ObservationQuerySet:
        return self.filter(authority=authority)

    def for_period(self, period: Period) -> ObservationQuerySet:
        return self.filter(period=period)

    def between(self, start: object = None, end: object = None) -> ObservationQuerySet:
        qs = self
        if start is not None:
            qs = qs.filter(period__start__gte=start)
        if end is not None:
            qs = qs.filter(period__end__lte=end)
        return qs

    def with_codes(self) -> ObservationQuerySet:
        return self.select_related("authority", "indicator", "period")


class PublicManager(models.Manager.from_queryset(ObservationQuerySet)):  # type: ignore[misc]
    """What anyone may read, signed in or not: every published revision, with the
    queryset's named queries (`Observation.public_objects.latest_revision()`)."""

    def get_queryset(self) -> ObservationQuerySet:
        return super().get_queryset().published()  # type: ignore[no-any-return]


class Observation(models.Model):
    """One value of one indicator for one authority and period, at one revision."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveSmallIntegerField(default=1)
    value = models.FloatField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=[(s.value, s.value) for s in Status], blank=True
    )
    lower = models.FloatField(null=True, blank=True, help_text="Lower end of the interval")
    upper = models.FloatField(null=True, blank=True, help_text="Upper end of the interval")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")
    is_latest = models.BooleanField(default=True)
    restricted_until = models.DateField(
        null=True,
        blank=True,
        help_text="Local data a council keeps to itself and the performance office until this day",
    )

    # No `objects`: a read says whom it is for. `public_objects` for anyone (the assessment
    # and every page or figure not shown to one person); `private_objects.visible_to(user)`
    # for one person; `private_objects` alone only for the importers and corrections that
    # write (tests/indicators/test_reads.py holds the list).
    private_objects = ObservationQuerySet.as_manager()
    public_objects = PublicManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "indicator", "period", "revision"], name="uniq_obs_revision"
            ),
            models.UniqueConstraint(
                fields=["authority", "indicator", "period"],
                condition=models.Q(is_latest=True),
                name="uniq_obs_latest",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "is_latest"], name="obs_indicator_latest"),
            models.Index(fields=["authority", "is_latest"], name="obs_authority_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.authority_id}/{self.period_id} r{self.revision}"

    def history_entry(self) -> dict[str, Any]:
        """What a revision says in its observation's history, the same on the page and in
        the API (each adds its own keys: its id, when, and on the page who ran it)."""
        return {
            "revision": self.revision,
            "value": self.value,
            "status": self.status,
            "lower": self.lower,
            "upper": self.upper,
            "restricted_until": self.restricted_until,
            "source": self.batch.file_name,
            "reason": self.batch.reason,
        }


class ResidentsSurvey(models.Model):
    """One council's residents' survey for one period, as the import that wrote its shares
    read it: the counts behind each share stay with the batch that wrote them."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="surveys")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    illustrative = models.BooleanField(
        default=False, help_text="Made-up numbers for the demo, not a real survey"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "authority", "period"], name="uniq_survey_batch"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority_id} residents' survey, {self.period_id} (batch {self.batch_id})"


class SurveyAnswerCount(models.Model):
    """How many respondents gave one answer to one question (one indicator)."""

    survey = models.ForeignKey(ResidentsSurvey, on_delete=models.CASCADE, related_name="counts")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(help_text="The answer's place in the question")
    respondents = models.PositiveIntegerField()
    positive = models.BooleanField(help_text="Counts towards the share reported")

    class Meta:
        ordering = ["survey", "indicator", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "indicator", "answer"], name="uniq_survey_answer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.answer}: {self.respondents}"
