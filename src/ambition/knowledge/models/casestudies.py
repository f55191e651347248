"""Case studies: what councils did, what it cost, what they claim it changed, and how
strong the evidence is (set by the performance office). Drafts are their authors' and the
office's; residents read published ones only, through `public_objects`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ambition.accounts.backends import scope_of
from ambition.fund.models import Award
from ambition.indicators.models import Indicator, ServiceArea
from ambition.registry.models import Authority
from ambition.support.models import PeerReview, Secondment

from ..evidence import EvidenceLevel

# Who may read drafts, asked with the case study's lead authority as the object.
VIEW_DRAFTS = "knowledge.view_draft_casestudy"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class CaseStudyQuerySet(models.QuerySet["CaseStudy"]):
    def published(self) -> CaseStudyQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user: Any) -> CaseStudyQuerySet:
        """Published ones, and the drafts this person may read: the office's every draft,
        a council officer's own council's."""
        scope = scope_of(user, VIEW_DRAFTS)
        if scope is None:
            return self
        return self.filter(Q(status=Status.PUBLISHED) | Q(lead_id__in=scope))

    def about(
        self,
        authority: Authority | None = None,
        service_area: ServiceArea | None = None,
        indicator: Indicator | None = None,
    ) -> CaseStudyQuerySet:
        """Case studies an authority led or took part in, on a service area or meant to move
        an indicator (any of them may be left out): the query "who improved on this" reads."""
        found = self
        if authority is not None:
            found = found.filter(Q(lead=authority) | Q(authorities=authority))
        if service_area is not None:
            found = found.filter(service_area=service_area)
        if indicator is not None:
            found = found.filter(indicators=indicator)
        return found.distinct()


class PublicManager(models.Manager.from_queryset(CaseStudyQuerySet)):  # type: ignore[misc]
    """Published case studies only, with the queryset's named queries:
    `CaseStudy.public_objects.about(authority, indicator=...)`."""

    def get_queryset(self) -> CaseStudyQuerySet:
        return CaseStudyQuerySet(self.model, using=self._db).published()


class CaseStudy(models.Model):
    title = models.CharField(max_length=200)
    lead = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The council that shares it: the ledger records it as theirs",
    )
    authorities = models.ManyToManyField(
        Authority, blank=True, related_name="+", help_text="Other authorities involved"
    )
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="+")
    summary = models.CharField(max_length=300, help_text="One or two sentences")
    what_they_did = models.TextField()
    cost = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="What it cost, in pounds; blank if not known",
    )
    outcomes_claimed = models.TextField(help_text="The outcomes the council claims")
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="+", help_text="The indicators it should have moved"
    )
    peer_reviews = models.ManyToManyField(PeerReview, blank=True, related_name="+")
    secondments = models.ManyToManyField(Secondment, blank=True, related_name="+")
    grants = models.ManyToManyField(Award, blank=True, related_name="+")
    evidence_level = models.PositiveSmallIntegerField(
        choices=EvidenceLevel.choices, null=True, blank=True
    )
    evidence_note = models.TextField(blank=True, help_text="Why the office gave this level")
    evidence_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_set_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(null=True, blank=True)
    illustrative = models.BooleanField(
        default=False, help_text="Invented for the demo: every page showing it says so"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    private_objects = CaseStudyQuerySet.as_manager()
    public_objects = PublicManager()

    class Meta:
        ordering = ["-published_on", "title", "id"]
        verbose_name_plural = "case studies"
        permissions = [
            ("view_draft_casestudy", "Can read draft case studies"),
            ("set_evidence_level", "Can set a case study's strength of evidence"),
            ("publish_casestudy", "Can publish a case study"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="casestudy_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(evidence_level__isnull=True)
                | Q(evidence_level__gte=1, evidence_level__lte=5),
                name="casestudy_evidence_level_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_on__isnull=False),
                name="casestudy_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge-case-study", args=[self.pk])

    @property
    def authority_id(self) -> int:
        """The lead authority: whose officers write it (for the permission policy)."""
        return int(self.lead_id)

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class Attachment(models.Model):
    """A file behind a case study, stored as every upload is (under MEDIA_ROOT, its size
    limited as it streams) and served only to those who may read the case study."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="knowledge/attachments/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge-attachment", args=[self.case_study_id, self.pk])
