"""Meetings: an annual review visit to one council, or a board meeting of the whole
partnership, with who came and the actions agreed. Written by board members and the
performance office; a council reads its own."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from ambition.accounts.backends import scope_of
from ambition.registry.models import Authority

VIEW_MEETING = "reports.view_meeting"


class MeetingKind(models.TextChoices):
    ANNUAL_REVIEW = "annual-review", "Annual review visit"
    BOARD = "board", "Board meeting"
    OTHER = "other", "Other meeting"


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user: Any) -> MeetingQuerySet:
        """Board, office and administrators read every meeting; a council officer only
        those about their own authority (not the partnership's board meetings)."""
        scope = scope_of(user, VIEW_MEETING)
        return self if scope is None else self.filter(authority_id__in=scope)

    def about(self, authority: Authority) -> MeetingQuerySet:
        return self.filter(authority=authority)


class Meeting(models.Model):
    authority = models.ForeignKey(
        Authority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="The council it concerns; none for a partnership-wide board meeting",
    )
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["authority", "date"], name="meeting_authority_date")]

    def __str__(self) -> str:
        about = self.authority.name if self.authority else "the partnership"
        return f"{self.get_kind_display()}, {about}, {self.date.isoformat()}"

    def get_absolute_url(self) -> str:
        return reverse("reports-meeting", args=[self.pk])


class Attendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    authority = models.ForeignKey(
        Authority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Whom they came for; none for the partnership's own people",
    )

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


class ActionQuerySet(models.QuerySet["AgreedAction"]):
    def open(self) -> ActionQuerySet:
        return self.filter(done=False)

    def overdue(self, today: datetime.date) -> ActionQuerySet:
        return self.open().filter(due__lt=today)


class AgreedAction(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField("action")
    owner = models.CharField(max_length=200, help_text="Who will do it")
    due = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "due", "id"]

    def __str__(self) -> str:
        return f"{self.owner}: {self.text[:60]}"

    def is_overdue(self, today: datetime.date) -> bool:
        return not self.done and self.due is not None and self.due < today
