"""What is known about the spending files stored: each file (by its content's digest, so
the same file is never stored twice), the rows it refused, the mappings of headings to
fields that people confirmed, and which file is current for each authority and month.
The transactions themselves are Parquet files (see `store`); no table here holds a
supplier's name, so none can leak a redacted one."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q

from ambition.registry.models import Authority
from ambition.spend.reading.fields import folded

IMPORT_SPEND = "spend.add_spendfile"


class SpendFileQuerySet(models.QuerySet["SpendFile"]):
    def for_authority(self, authority: Authority) -> SpendFileQuerySet:
        return self.filter(authority=authority)


class SpendFile(models.Model):
    """One spending file as published, stored once; its rows are Parquet under
    `authority=<code>/year=<fy>/file-<id>.parquet`."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64, help_text="The digest of the file's bytes")
    name = models.CharField("original name", max_length=255)
    size = models.PositiveBigIntegerField(help_text="Bytes, as uploaded (compressed or not)")
    sheets = models.JSONField(default=list, help_text="The worksheets read ('' for a CSV file)")
    mapping = models.JSONField(default=dict, help_text="Per sheet, each heading's field")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    # The file's own period where one was given for it; else the days its rows hold.
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    first_month = models.DateField(help_text="The first day of the first month it covers")
    last_month = models.DateField(help_text="The first day of the last month it covers")
    rows_read = models.PositiveIntegerField(help_text="Rows of spend read, stored or refused")
    rows_stored = models.PositiveIntegerField()
    rows_refused = models.PositiveIntegerField()
    errors_accepted = models.BooleanField(
        default=False, help_text="Stored with its good rows although some were refused"
    )

    objects = SpendFileQuerySet.as_manager()

    class Meta:
        ordering = ["authority__name", "first_month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "sha256"], name="uniq_spend_file"),
            models.CheckConstraint(
                condition=Q(rows_read=models.F("rows_stored") + models.F("rows_refused")),
                name="spend_file_rows_add_up",
            ),
            models.CheckConstraint(
                condition=Q(first_month__lte=models.F("last_month")), name="spend_file_span"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority}: {self.name} ({self.rows_stored} rows)"


class SpendProblem(models.Model):
    """A row an accepted file refused: kept so the report can be read again."""

    file = models.ForeignKey(SpendFile, on_delete=models.CASCADE, related_name="problems")
    sheet = models.CharField(max_length=100, blank=True)
    row = models.PositiveIntegerField(help_text="The row as a spreadsheet numbers it")
    column = models.CharField(max_length=200, blank=True, help_text="The column's heading")
    value = models.TextField(blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["file", "sheet", "row", "id"]

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.reason}"


def headings_key(headings: Iterable[str]) -> str:
    """One key for a set of headings, as the reader compares them (folded, any order)."""
    return hashlib.sha256(json.dumps(sorted(map(folded, headings))).encode()).hexdigest()


class SpendMappingQuerySet(models.QuerySet["SpendMapping"]):
    def for_headings(self, authority: Authority, headings: Iterable[str]) -> SpendMappingQuerySet:
        return self.filter(authority=authority, headings_key=headings_key(headings))

    def latest_for(self, authority: Authority, headings: Iterable[str]) -> SpendMapping | None:
        """The mapping that counts: the newest confirmed for these headings."""
        return self.for_headings(authority, headings).order_by("-confirmed_at", "-id").first()


class SpendMapping(models.Model):
    """A mapping of headings to fields that a person confirmed for an authority's files.
    Never changed: a new confirmation is a new row, so the history is the rows."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    headings = models.JSONField(help_text="The headings, as the file wrote them")
    headings_key = models.CharField(max_length=64, editable=False)
    fields = models.JSONField(help_text="Heading -> field (null for a column left out)")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    objects = SpendMappingQuerySet.as_manager()

    class Meta:
        ordering = ["authority__name", "-confirmed_at"]
        indexes = [models.Index(fields=["authority", "headings_key"], name="spend_mapping_key")]

    def __str__(self) -> str:
        return f"{self.authority}: {len(self.headings)} headings"

    def save(self, *args: object, **kwargs: object) -> None:
        self.headings_key = headings_key(self.headings)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class CoverageQuerySet(models.QuerySet["SpendCoverage"]):
    def current(self) -> CoverageQuerySet:
        return self.filter(superseded_by__isnull=True)

    def for_authority(self, authority: Authority) -> CoverageQuerySet:
        return self.filter(authority=authority)


class SpendCoverage(models.Model):
    """The days of one month that one file covers for its authority. A later file
    covering every one of those days replaces that month of this one (`superseded_by`);
    its rows stay stored. Two files may both be current in a month when neither covers the
    other's days (the GLA's four-weekly periods: 1 to 27 April, then 28 April to 25 May)."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The month's first day")
    file = models.ForeignKey(SpendFile, on_delete=models.CASCADE, related_name="coverage")
    first_day = models.DateField()
    last_day = models.DateField()
    superseded_by = models.ForeignKey(
        SpendFile, null=True, blank=True, on_delete=models.PROTECT, related_name="replaced"
    )

    objects = CoverageQuerySet.as_manager()

    class Meta:
        ordering = ["authority__name", "month", "file"]
        constraints = [
            models.UniqueConstraint(fields=["file", "month"], name="uniq_spend_coverage"),
            models.CheckConstraint(
                condition=Q(first_day__lte=models.F("last_day")), name="spend_coverage_days"
            ),
        ]
        indexes = [models.Index(fields=["authority", "month"], name="spend_coverage_month")]

    def __str__(self) -> str:
        state = "current" if self.superseded_by_id is None else "superseded"
        return f"{self.authority} {self.month:%Y-%m}: file {self.file_id} ({state})"
