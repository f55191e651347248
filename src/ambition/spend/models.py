"""What is known about the spending files stored: each file (by its content's digest, so
the same file is never stored twice), the rows it refused, the mappings of headings to
fields that people confirmed, and which file is current for each authority and month.
The transactions themselves are Parquet files (see `store`); no table here holds a
supplier's name, so none can leak a redacted one."""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ambition.registry.models import Authority
from ambition.spend.reading.answered import Confirmed, headings_key
from ambition.spend.reading.mapping import SavedMapping

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


class SpendMappingQuerySet(models.QuerySet["SpendMapping"]):
    def counting(self, authority: Authority) -> Confirmed:
        """The mappings that count for `authority`'s files: the newest confirmed for each
        set of headings, by their `headings_key`."""
        newest: dict[str, SavedMapping] = {}
        mappings = self.filter(authority=authority).order_by("confirmed_at", "id")
        for key, fields in mappings.values_list("headings_key", "fields"):
            newest[key] = fields
        return newest


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


# Supplier resolution kept in the database (issue 13). A run is Splink's clustering of every
# authority's named suppliers (redacted ones never enter: `suppliers.runs.SUPPLIERS` leaves
# them out); its members and their Splink clusters are written once. The clusters a page
# shows are those with people's decisions applied (`suppliers.labels`): a decision is a
# label kept forever, applied again to every later run.

REVIEW_SUPPLIERS = "spend.add_supplierdecision"
VIEW_SUPPLIERS = "spend.view_suppliercluster"
# Categories and where to buy together: the partnership's staff read; the office labels
# categories and sets the assumed saving rates (accounts.policy).
VIEW_OPPORTUNITIES = "spend.view_opportunity"
LABEL_CATEGORIES = "spend.add_categorylabel"
SET_SAVING_RATES = "spend.add_savingrate"
# A cluster joined by a pair below this probability is worth a person's look.
REVIEW_BELOW = 0.99


class SupplierRunQuerySet(models.QuerySet["SupplierRun"]):
    def latest_run(self) -> SupplierRun | None:
        """The last run stored, or None before the first."""
        return self.order_by("-ran_at", "-id").first()


class SupplierRun(models.Model):
    """One resolution of the suppliers: when, by whom, the threshold, the counts, the
    trained model (Splink's settings with its m and u), the code, and its folder of Parquet."""

    ran_at = models.DateTimeField(auto_now_add=True)
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    threshold = models.FloatField(help_text="The match probability joining two records")
    records = models.PositiveIntegerField(help_text="Distinct suppliers as written, resolved")
    clusters = models.PositiveIntegerField(help_text="Splink's clusters, before any decision")
    pairs = models.PositiveIntegerField(help_text="Pairs scored at or above the threshold")
    seconds = models.FloatField(default=0.0)
    model = models.JSONField(default=dict, help_text="The trained model as Splink saves it")
    code_version = models.CharField(max_length=80)
    folder = models.CharField(max_length=500, help_text="The run's folder of Parquet")
    disagreements = models.JSONField(
        default=list,
        help_text="Decisions this run's clustering disagreed with: [{decision, action}]",
    )

    objects = SupplierRunQuerySet.as_manager()

    class Meta:
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"Supplier run {self.pk} ({self.records} names)"


class SupplierClusterQuerySet(models.QuerySet["SupplierCluster"]):
    def of_run(self, run: SupplierRun | None) -> SupplierClusterQuerySet:
        return self.filter(run=run) if run is not None else self.none()

    def needing_review(self) -> SupplierClusterQuerySet:
        """Not confirmed, and spread over several authorities or joined by a weak pair."""
        return self.exclude(state=SupplierCluster.State.CONFIRMED).filter(
            Q(authorities__gt=1) | Q(min_probability__lt=REVIEW_BELOW)
        )


class SupplierCluster(models.Model):
    """One supplier in one run, people's decisions applied: a key that stays the same from
    run to run while its first member does (`suppliers.labels.cluster_key`), and a name to
    show."""

    class State(models.TextChoices):
        UNREVIEWED = "unreviewed", "Not reviewed"
        CONFIRMED = "confirmed", "Confirmed"
        CHANGED = "changed", "Confirmed, new names since"
        DECIDED = "decided", "Split or merged by a person"

    run = models.ForeignKey(SupplierRun, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=20)
    name = models.CharField(max_length=500, help_text="The spelling shown for the supplier")
    members_count = models.PositiveIntegerField(default=0)
    authorities = models.PositiveIntegerField(default=0)
    min_probability = models.FloatField(null=True, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.UNREVIEWED)
    overridden = models.JSONField(
        default=list, help_text="Decisions that changed this run's clustering here (ids)"
    )

    objects = SupplierClusterQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "key"], name="uniq_supplier_cluster_key")
        ]
        indexes = [models.Index(fields=["run", "name"], name="supplier_cluster_name")]

    def __str__(self) -> str:
        return self.name


class SupplierMember(models.Model):
    """One supplier as an authority wrote it (with its numbers and postcode), in a run: the
    cluster Splink put it in and the one it is in after decisions."""

    run = models.ForeignKey(SupplierRun, on_delete=models.CASCADE, related_name="+")
    cluster = models.ForeignKey(SupplierCluster, on_delete=models.CASCADE, related_name="members")
    key = models.CharField(max_length=20, help_text="The same record in every run")
    splink_cluster = models.CharField(max_length=40, help_text="Splink's cluster, before decisions")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    supplier = models.CharField(max_length=500, help_text="As the authority wrote it")
    company_number = models.CharField(max_length=10, blank=True)
    charity_number = models.CharField(max_length=12, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    match_probability = models.FloatField(
        null=True, blank=True, help_text="The strongest pair joining it to its cluster"
    )

    class Meta:
        ordering = ["supplier", "authority__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "key"], name="uniq_supplier_member_key")
        ]

    def __str__(self) -> str:
        return f"{self.supplier} ({self.authority})"


class SupplierDecision(models.Model):
    """A person's label, kept forever and applied to every later run: these members are one
    supplier (confirm, merge), or this member is not the others' supplier (split). Members
    are named by their keys, so a label outlives the run it was made on."""

    class Action(models.TextChoices):
        CONFIRM = "confirm", "Confirmed"
        SPLIT = "split", "Split out"
        MERGE = "merge", "Merged"

    action = models.CharField(max_length=8, choices=Action.choices)
    cluster = models.ForeignKey(SupplierCluster, on_delete=models.PROTECT, related_name="+")
    other = models.ForeignKey(
        SupplierCluster, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    together = models.JSONField(help_text="Member keys that are one supplier")
    apart = models.JSONField(default=list, help_text="Member keys `together` is not one with")
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.cluster} ({self.decided_at:%Y-%m-%d})"


Kept = TypeVar("Kept", bound=models.Model)


class StandingQuerySet(models.QuerySet[Kept]):
    """Rows kept as revisions (`replace`): the standing one of each key is the one no later
    row has replaced."""

    def standing(self) -> StandingQuerySet[Kept]:
        return self.filter(replaced_at__isnull=True)


class CategoryLabel(models.Model):
    """A person's word on the procurement category of one combination of expense type,
    account, service and purpose (as the rules read them, `categories.rules.FIELDS`): it
    overrides the rules for every transaction with that combination, in every authority, and
    is what the category model learns from. Never edited: a new label replaces the old (see
    `replace`)."""

    key = models.CharField(max_length=64, db_index=True, help_text="Digest of the four texts")
    expense_type = models.CharField(max_length=500, blank=True)
    account = models.CharField(max_length=500, blank=True)
    service = models.CharField(max_length=500, blank=True)
    purpose = models.CharField(max_length=500, blank=True)
    category = models.CharField(max_length=40, help_text="A category code of proclass.toml")
    reason = models.TextField(blank=True)
    labelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    labelled_at = models.DateTimeField(auto_now_add=True)
    replaced_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = StandingQuerySet["CategoryLabel"].as_manager()

    class Meta:
        ordering = ["labelled_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(replaced_at__isnull=True),
                name="uniq_category_label_standing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.expense_type or self.account or self.service}"


class SavingRate(models.Model):
    """The share of a category's combined spend the office assumes buying together saves:
    an assumption, shown as one wherever a saving is estimated from it. Never edited: a new
    rate replaces the old, which is kept with who set it and why (see `replace`)."""

    category = models.CharField(max_length=40, help_text="A category code of proclass.toml")
    rate = models.DecimalField(
        max_digits=5, decimal_places=4, help_text="A share of spend, 0 to 0.5 (0.05 is 5%)"
    )
    basis = models.TextField(help_text="Where the assumption comes from")
    illustrative = models.BooleanField(
        default=False, help_text="Invented for the demo: every page showing it says so"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now_add=True)
    replaced_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = StandingQuerySet["SavingRate"].as_manager()

    class Meta:
        ordering = ["category", "set_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["category"],
                condition=Q(replaced_at__isnull=True),
                name="uniq_saving_rate_standing",
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte="0.5"), name="saving_rate_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.rate:%}"


def replace(old: CategoryLabel | SavingRate | None, new: CategoryLabel | SavingRate) -> None:
    """Store `new` in the place of `old` (a standing row of the same key, locked by the
    caller in its transaction), which is kept: it steps aside (`replaced_at`) before the new
    row stands, as one standing row per key allows, then names its successor."""
    if old is None:
        new.save()
        return
    old.replaced_at = timezone.now()
    old.save(update_fields=["replaced_at"])  # saved, not updated: the audit log sees it
    new.save()
    old.replaced_by = new
    old.save(update_fields=["replaced_by"])
