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

    def home_authority(self, user: object) -> Authority | None:
        """The authority a person acts for (a council officer's council; the first by name
        where they hold roles for several), or None for a person who acts for none."""
        if not getattr(user, "is_authenticated", False):
            return None
        grant = (
            self.for_user(user)
            .filter(authority__isnull=False)
            .select_related("authority")
            .order_by("authority__name")
            .first()
        )
        return grant.authority if grant else None


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


class AuditEntry(models.Model):
    """One write: who, when, to what, the values before and after, and from where (a
    page, an API call or a command). Entries are only ever added."""

    class Action(models.TextChoices):
        CREATE = "create"
        UPDATE = "update"
        DELETE = "delete"
        LOGIN_FAILED = "login-failed"
        LOCKED_OUT = "locked-out"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True, help_text="As it was at the time")
    action = models.CharField(max_length=20, choices=Action.choices)
    model = models.CharField(max_length=100, db_index=True, help_text="app_label.model")
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    via = models.CharField(max_length=10, help_text="page, api, command or system")
    path = models.CharField(max_length=300, blank=True, help_text="The page, API route or command")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["model", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or 'system'} {self.action} {self.model}"


class ApiToken(models.Model):
    """A script's key to the API, acting with its owner's roles. Only a digest is kept:
    the token itself is shown once, when it is made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for")
    prefix = models.CharField(max_length=12, db_index=True, help_text="Shown to tell tokens apart")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
