"""Comparator groups published by others (DfE statistical neighbours, Oflog nearest
neighbours), the judgements the performance office enters, and the immutable assessment runs
with their results."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse

from ambition.indicators.models import Indicator, ServiceArea
from ambition.registry.models import Authority


class ComparatorSet(models.Model):
    """A published list of comparators: for each focal authority, its ranked peers."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=500)
    source_file = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    service_area = models.SlugField(max_length=60, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class Comparator(models.Model):
    comparator_set = models.ForeignKey(
        ComparatorSet, on_delete=models.CASCADE, related_name="comparators"
    )
    focus = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    peer = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    distance = models.FloatField(null=True, blank=True)
    closeness = models.CharField(max_length=40, blank=True, help_text="As the source words it")

    class Meta:
        ordering = ["comparator_set", "focus", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["comparator_set", "focus", "peer"], name="uniq_comparator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.comparator_set.key}: {self.focus_id} -> {self.peer_id} #{self.rank}"


class Immutable(models.Model):
    """A row written once, with its run, and never changed: a new run supersedes an old
    one and both stay."""

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ValueError(f"{self._meta.verbose_name} is never changed once made")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Judgement(models.Model):
    """An input that data cannot give (a corporate assessment, use of resources), entered by
    the performance office with who and why. Never edited: a new judgement supersedes."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    method = models.SlugField(max_length=60)
    key = models.SlugField(max_length=60)
    score = models.PositiveSmallIntegerField()
    reason = models.TextField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-entered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=4), name="judgement_score_1_to_4"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.key} for {self.authority_id}: {self.score}"


class AssessmentRunQuerySet(models.QuerySet["AssessmentRun"]):
    """The named questions asked of the runs. "The latest run" has one meaning here: the
    greatest as-of date (the newest data), then the last made, then the highest id. A rerun
    of an old date made today is not the latest: it is history."""

    LATEST = ("-as_of", "-created_at", "-id")
    NEWEST = ("-created_at", "-id")

    def of(self, method: str | None = None, scope: str | None = None) -> AssessmentRunQuerySet:
        """The runs of a method, a scope (whom they rate), or both; None leaves it open."""
        runs = self
        if method is not None:
            runs = runs.filter(method=method)
        if scope is not None:
            runs = runs.filter(scope=scope)
        return runs

    def latest_first(self) -> AssessmentRunQuerySet:
        return self.order_by(*self.LATEST)

    def newest_first(self) -> AssessmentRunQuerySet:
        """In the order they were made, the last made first: the history of the runs."""
        return self.order_by(*self.NEWEST)

    def latest_run(self) -> AssessmentRun | None:
        """The latest run (greatest as-of, then last made), or None without one. (Django's
        own `latest()` raises instead, and orders by whatever field it is given.)"""
        return self.latest_first().first()

    def shown(self, method: str) -> AssessmentRun | None:
        """The run a page shows unless asked for another: the latest of the method rating
        the members, else the latest of the method rating anyone."""
        runs = self.of(method)
        return runs.of(scope="members").latest_run() or runs.latest_run()

    def as_of_before(self, day: datetime.date) -> AssessmentRunQuerySet:
        return self.filter(as_of__lt=day)

    def latest_per_as_of(self) -> AssessmentRunQuerySet:
        """For each as-of date among these runs, its latest (the last made), oldest date
        first: one point per date for a series over time. Narrow with `of()` first."""
        last_made = self.filter(as_of=OuterRef("as_of")).order_by(*self.NEWEST).values("pk")
        return self.filter(pk=Subquery(last_made[:1])).order_by("as_of")

    def made_before(self, run: AssessmentRun) -> AssessmentRunQuerySet:
        """Those made before the run, the last made first (`.first()`: the one before)."""
        earlier = Q(created_at__lt=run.created_at) | Q(created_at=run.created_at, id__lt=run.pk)
        return self.filter(earlier).newest_first()

    def made_after(self, run: AssessmentRun) -> AssessmentRunQuerySet:
        """Those made after the run, the first made first (`.first()`: the one after)."""
        later = Q(created_at__gt=run.created_at) | Q(created_at=run.created_at, id__gt=run.pk)
        return self.filter(later).order_by("created_at", "id")

    def made_from(
        self, method_sha256: str, as_of: datetime.date, scope: str, data_fingerprint: str
    ) -> AssessmentRunQuerySet:
        """The runs of this method file, date and scope over this data: the same inputs."""
        return self.filter(
            method_sha256=method_sha256, as_of=as_of, scope=scope, data_fingerprint=data_fingerprint
        )

    def by_id(self, pk: int | None) -> AssessmentRun | None:
        """The run with this id; None for none (or no id), where a caller answers that itself."""
        return self.filter(pk=pk).first() if pk else None

    def with_counts(self) -> AssessmentRunQuerySet:
        """With who made each, how many authorities it rated (`rated`) and assessed
        (`assessed`: rated or not, for want of data)."""
        return self.select_related("created_by").annotate(
            rated=Count("ratings", filter=Q(ratings__stars__isnull=False)),
            assessed=Count("ratings"),
        )


class AssessmentRun(Immutable):
    """One assessment: the method (and the hash and text of its file), the data it read
    (fingerprint), the code that ran it, who and when. Its results hang from it."""

    method = models.SlugField(max_length=60)
    method_version = models.CharField(max_length=40)
    method_sha256 = models.CharField(max_length=64)
    method_text = models.TextField()
    as_of = models.DateField(help_text="Observations of periods ending on or before this day")
    group = models.CharField(max_length=20, help_text="The comparator group positions are among")
    scope = models.CharField(max_length=20, help_text="Whose ratings the run makes")
    data_fingerprint = models.CharField(max_length=64)
    results_sha256 = models.CharField(max_length=64)
    observations = models.PositiveIntegerField()
    judgements_used = models.JSONField(default=list)
    code_version = models.CharField(max_length=80)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=10)
    seconds = models.FloatField(default=0.0)

    objects = AssessmentRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Run {self.pk}: {self.method} {self.method_version} as of {self.as_of}"

    def get_absolute_url(self) -> str:
        return reverse("assessment-run", args=[self.pk])


class RunIndicator(models.Model):
    run = models.ForeignKey(AssessmentRun, on_delete=models.PROTECT, related_name="indicators")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=40)
    value = models.FloatField(null=True)
    target = models.FloatField(null=True, help_text="The methodology's target, if it sets one")
    gap = models.FloatField(null=True, help_text="(value - target) x polarity: >= 0 meets it")
    n = models.PositiveIntegerField(null=True)
    rank = models.FloatField(null=True)
    percentile = models.FloatField(null=True)
    quartile = models.PositiveSmallIntegerField(null=True)
    robust_z = models.FloatField(null=True)
    trend_n = models.PositiveSmallIntegerField(null=True)
    slope = models.FloatField(null=True)
    p_value = models.FloatField(null=True)
    trend = models.CharField(max_length=30, blank=True)
    evidence = models.CharField(max_length=30, blank=True)
    position_change = models.FloatField(null=True)
    persistent_bottom = models.BooleanField(default=False)
    improving = models.BooleanField(default=False)
    worsening = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["run", "authority"], name="run_indicator_authority")]

    def __str__(self) -> str:
        return f"run {self.run_id}: {self.indicator_id} for {self.authority_id}"


class RunArea(models.Model):
    run = models.ForeignKey(AssessmentRun, on_delete=models.PROTECT, related_name="areas")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, help_text="Null: insufficient data")
    indicators = models.PositiveIntegerField()
    coverage = models.FloatField()
    mean_quartile = models.FloatField(null=True)
    weak = models.BooleanField(default=False)
    weak_reason = models.CharField(max_length=60, blank=True)

    class Meta:
        indexes = [models.Index(fields=["run", "authority"], name="run_area_authority")]

    def __str__(self) -> str:
        return f"run {self.run_id}: {self.area_id} for {self.authority_id}: {self.score}"


class RunRating(models.Model):
    run = models.ForeignKey(AssessmentRun, on_delete=models.PROTECT, related_name="ratings")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    stars = models.PositiveSmallIntegerField(null=True, help_text="Null: not rated")
    rule_id = models.CharField(max_length=60, blank=True)
    rule_text = models.CharField(max_length=300, blank=True)
    inferred = models.BooleanField(default=False)
    held_back = models.JSONField(default=list)
    to_next_star = models.JSONField(default=list)
    judgement_parts = models.JSONField(default=list)
    missing = models.JSONField(default=list)
    left_out = models.JSONField(default=list)
    weak_areas = models.JSONField(default=list)
    direction = models.CharField(max_length=40, blank=True)
    improving_share = models.FloatField(null=True)
    worsening_share = models.FloatField(null=True)
    judged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["authority__name"]
        constraints = [models.UniqueConstraint(fields=["run", "authority"], name="uniq_run_rating")]

    def __str__(self) -> str:
        return f"run {self.run_id}: {self.authority_id}: {self.stars} stars"


class RunWarning(models.Model):
    run = models.ForeignKey(AssessmentRun, on_delete=models.PROTECT, related_name="warnings")
    position = models.PositiveIntegerField(help_text="1 = the highest risk in the run")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    last_value = models.FloatField(null=True)
    forecast = models.FloatField(null=True)
    lower = models.FloatField(null=True)
    upper = models.FloatField(null=True)
    method = models.CharField(max_length=30)
    bottom_quartile = models.FloatField(null=True)
    p_bottom_quartile = models.FloatField(null=True)
    p_miss_target = models.FloatField(null=True)
    risk = models.FloatField()

    class Meta:
        ordering = ["run", "position"]

    def __str__(self) -> str:
        return f"run {self.run_id}: warning {self.position}"


class RunTarget(models.Model):
    run = models.ForeignKey(AssessmentRun, on_delete=models.PROTECT, related_name="targets")
    position = models.PositiveSmallIntegerField()
    target = models.CharField(max_length=200)
    value = models.FloatField(null=True)
    goal = models.FloatField()
    counted = models.PositiveIntegerField()
    met = models.BooleanField(null=True)
    holding_back = models.JSONField(default=list)
    forecast = models.FloatField(
        null=True, help_text="Straight-line forecast a year on; null: fewer than two dates"
    )
    forecast_as_of = models.DateField(null=True, help_text="The day the forecast is for")
    forecast_runs = models.JSONField(
        null=True,
        help_text="The runs the line went through, oldest first (one per date, with a value); "
        "null: the run was made before forecasts were stored with it",
    )

    class Meta:
        ordering = ["run", "position"]

    def __str__(self) -> str:
        return f"run {self.run_id}: {self.target}"
