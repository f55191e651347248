"""People's roles, each scoped to an authority where the role acts for one."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ambition.registry.models import Authority


class Role(models.TextChoices):
    OFFICER = "officer", "Council officer"
    ANALYST = "analyst", "Analyst (performance office)"
    BOARD = "board", "Board member"
    ADMINISTRATOR = "administrator", "Administrator"


SCOPED_ROLES = (Role.OFFICER,)


class RoleGrantQuerySet(models.QuerySet["RoleGrant"]):
    def for_user(self, user: object) -> RoleGrantQuerySet:
        return self.filter(user=user)

    def officer_authority_ids(self, user: object) -> set[int]:
        return set(
            self.for_user(user).filter(role=Role.OFFICER).values_list("authority_id", flat=True)
        )


class RoleGrant(models.Model):
    """One role held by one person; a council officer's is for one authority, and a
    person may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    authority = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "authority"], name="uniq_role_grant"),
            models.CheckConstraint(
                condition=~models.Q(role="officer") | models.Q(authority__isnull=False),
                name="officer_has_authority",
            ),
        ]

    def __str__(self) -> str:
        scope = f" for {self.authority}" if self.authority_id else ""
        return f"{self.user}: {self.get_role_display()}{scope}"
