"""Secondments: an officer lent by one authority to another for a number of days. The
person is personal data, kept in its own row (`Secondee`) with no default manager."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ambition.registry.models import Authority

from .matches import Match
from .requests import SupportRequest, people_scope


class Secondment(models.Model):
    """Who is lent is in `secondee`; this row holds what anyone may read."""

    from_authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    to_authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=200, help_text="The post seconded, e.g. Head of housing")
    start = models.DateField()
    end = models.DateField()
    days = models.DecimalField(max_digits=6, decimal_places=1, help_text="Staff days lent")
    match = models.ForeignKey(
        Match, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    request = models.ForeignKey(
        SupportRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivered_on = models.DateField(
        null=True, blank=True, help_text="When it was recorded as delivered: the ledger's date"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lte=models.F("end")), name="secondment_order"
            ),
            models.CheckConstraint(condition=Q(days__gt=0), name="secondment_gives_days"),
            models.CheckConstraint(
                condition=~Q(from_authority=models.F("to_authority")), name="secondment_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.from_authority} to {self.to_authority} from {self.start}"

    def get_absolute_url(self) -> str:
        return reverse("support-secondment", args=[self.pk])

    @property
    def parties(self) -> frozenset[int]:
        return frozenset({int(self.from_authority_id), int(self.to_authority_id)})


class SecondeeQuerySet(models.QuerySet["Secondee"]):
    def visible_to(self, user: Any) -> SecondeeQuerySet:
        """The performance office sees everyone; a council officer, the people of the
        secondments their authority gives or hosts."""
        scope = people_scope(user)
        if scope is None:
            return self
        return self.filter(
            Q(secondment__from_authority_id__in=scope) | Q(secondment__to_authority_id__in=scope)
        )


class Secondee(models.Model):
    """The person a secondment lends. Personal data: `private_objects.visible_to(user)`."""

    secondment = models.OneToOneField(Secondment, on_delete=models.CASCADE, related_name="secondee")
    name = models.CharField(max_length=200)

    private_objects = SecondeeQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name
