"""The audit log: every write through the ORM to the project's tables and to people and
groups, with who made it, from where (a page, an API call, a command or a background
task) and the values before and after. Sign-ins that fail, and lock-outs, are kept too.

Who is acting is held in a context variable: the middleware sets it for a request, the
wrapped `BaseCommand.execute` for a command, and the task signals for a background task.
Observations are written by the importer in bulk SQL, which sends no signals; the import
batch each writing import saves is recorded instead (and the batch page lists every row it
wrote, with the value before). A correction of one value is saved through the ORM and
recorded in full. The one other bulk write is an API token's last-used time: usage, not a
change anyone made, and kept off the log on purpose."""

from __future__ import annotations

import contextvars
import functools
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from axes.signals import user_locked_out  # type: ignore[import-untyped]
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest
from django_tasks.signals import task_finished, task_started

from .models import AuditEntry

PROJECT_APPS = "ambition."
AUTH_MODELS = frozenset({"auth.user", "auth.group"})
NOT_AUDITED = frozenset({"accounts.auditentry"})  # recording its own rows would never end
# A password hash, or an API token's digest, is a secret even hashed: offline guessing.
SECRET_FIELDS = frozenset({"password", "digest"})
REDACTED = "[redacted]"
# A boundary's geometry runs to tens of thousands of characters; its digest shows that
# it changed, and matches it to a file, without copying the file into the log.
LARGEST_VALUE = 10_000
SHOWN_CHARACTERS = 200
BEFORE_ATTRIBUTE = "_audit_before"


def nobody() -> Any:
    return None


@dataclass(frozen=True)
class Actor:
    """Who is writing: `who` is asked only when a write happens, so a person who signs in,
    or an API caller known only once their token is read, is the one recorded."""

    via: str
    path: str = ""
    who: Callable[[], Any] = nobody


SYSTEM = Actor("system")  # a write with no request, command or task around it
_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("audit_actor", default=None)
_task_tokens: dict[Any, contextvars.Token[Actor | None]] = {}


def current_actor() -> Actor:
    return _actor.get() or SYSTEM


@contextmanager
def acting(actor: Actor) -> Iterator[Actor]:
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def request_actor(request: HttpRequest) -> Actor:
    via = "api" if request.path.startswith("/api/") else "page"
    path = f"{request.method} {request.path}"[:300]
    return Actor(via, path, who=lambda: getattr(request, "user", None))


# What is recorded


class AuditEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        try:
            return super().default(o)
        except TypeError:
            return str(o)  # a file, an expression: its text is what a reader can use


def _json_value(value: Any) -> Any:
    text = json.dumps(value, cls=AuditEncoder)
    if len(text) <= LARGEST_VALUE:
        return json.loads(text)
    return {"sha256": hashlib.sha256(text.encode()).hexdigest(), "characters": len(text)}


def snapshot(instance: models.Model, names: Any = None) -> dict[str, Any]:
    """The instance's field values as JSON; only `names` (names or column names) if given.
    Deferred fields are left out: reading one would query, and after a delete, fail."""
    deferred = instance.get_deferred_fields()
    return {
        field.name: _json_value(field.value_from_object(instance))
        for field in instance._meta.concrete_fields
        if field.attname not in deferred
        and (names is None or field.name in names or field.attname in names)
    }


def redacted(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: REDACTED if k in SECRET_FIELDS else v for k, v in values.items()}


def describe(instance: models.Model) -> str:
    try:
        return str(instance)[:300]
    except ObjectDoesNotExist:  # a related row already deleted in the same cascade
        return f"{instance._meta.verbose_name} {instance.pk}"[:300]


def _acting_user(actor: Actor, action: str, instance: models.Model) -> Any:
    user = actor.who()
    if not getattr(user, "is_authenticated", False):
        return None
    deletes_self = action == AuditEntry.Action.DELETE and instance == user
    return None if deletes_self else user  # the entry cannot point at a row now gone


def _add(action: str, instance: models.Model, before: Any, after: Any) -> None:
    actor = current_actor()
    user = _acting_user(actor, action, instance)
    AuditEntry.objects.create(
        action=action,
        user=user,
        username=user.get_username() if user else "",
        model=instance._meta.label_lower,
        object_id=str(instance.pk)[:64],
        object_repr=describe(instance),
        before=redacted(before),
        after=redacted(after),
        via=actor.via,
        path=actor.path[:300],
    )


# The receivers


def remember_before(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """The row as it is in the database, read before the save overwrites it."""
    if instance.pk is None:
        return
    stored = sender._base_manager.filter(pk=instance.pk).first()
    names = kwargs.get("update_fields")
    setattr(instance, BEFORE_ATTRIBUTE, snapshot(stored, names) if stored else None)


def record_save(instance: models.Model, created: bool, **kwargs: Any) -> None:
    """A new row in full; an update as the fields it changed, and nothing if it changed none."""
    before = instance.__dict__.pop(BEFORE_ATTRIBUTE, None)
    if created or before is None:  # an update of a row not found before it: kept whole
        action = AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE
        _add(action, instance, None, snapshot(instance))
        return
    after = snapshot(instance, kwargs.get("update_fields"))
    changed = sorted(name for name, value in after.items() if before.get(name) != value)
    if changed:
        old, new = {k: before.get(k) for k in changed}, {k: after[k] for k in changed}
        _add(AuditEntry.Action.UPDATE, instance, old, new)


def record_delete(instance: models.Model, **kwargs: Any) -> None:
    _add(AuditEntry.Action.DELETE, instance, snapshot(instance), None)


def _id_of_person_named(name: str) -> str:
    """The user the name belongs to, if any, so a person's history shows the attempts."""
    people = get_user_model()._default_manager.filter(**{username_field(): name})
    return str(people.values_list("pk", flat=True).first() or "")


def username_field() -> str:
    return str(get_user_model().USERNAME_FIELD)


def _add_sign_in(action: str, username: str | None, request: HttpRequest | None) -> None:
    actor = request_actor(request) if request is not None else current_actor()
    name = (username or "")[:150]
    AuditEntry.objects.create(
        action=action,
        username=name,
        model=get_user_model()._meta.label_lower,
        object_id=_id_of_person_named(name),
        object_repr=name,
        after={"ip_address": request.META.get("REMOTE_ADDR") if request is not None else None},
        via=actor.via,
        path=actor.path,
    )


def record_login_failed(credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # An attempt axes refuses while the name is locked is recorded once, as the lock-out.
    if getattr(request, "axes_locked_out", False):
        return
    _add_sign_in(AuditEntry.Action.LOGIN_FAILED, credentials.get(username_field()), request)


def record_locked_out(request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    _add_sign_in(AuditEntry.Action.LOCKED_OUT, username, request)


def task_began(task_result: Any, **kwargs: Any) -> None:
    """A background task acts as a command named after it; run inside the request that
    asked (the immediate backend), it keeps that person as the one acting."""
    actor = Actor("command", f"task:{task_result.task.name}", current_actor().who)
    _task_tokens[task_result.id] = _actor.set(actor)


def task_ended(task_result: Any, **kwargs: Any) -> None:
    token = _task_tokens.pop(task_result.id, None)
    if token is not None:
        _actor.reset(token)


# Connecting them


def is_audited(model: type[models.Model]) -> bool:
    label = model._meta.label_lower
    ours = model._meta.app_config is not None and model._meta.app_config.name.startswith(
        PROJECT_APPS
    )
    return (ours or label in AUTH_MODELS) and label not in NOT_AUDITED


def audited_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if is_audited(model)]


def command_name(command: BaseCommand) -> str:
    return type(command).__module__.rsplit(".", 1)[-1]


def audit_commands() -> None:
    """Every management command, `ambition ...` and call_command alike, acts as itself:
    one wrapper here rather than a line in each command."""
    original = BaseCommand.execute
    if getattr(original, "audited", False):
        return

    @functools.wraps(original)
    def execute(self: BaseCommand, *args: Any, **options: Any) -> Any:
        with acting(Actor("command", command_name(self))):
            return original(self, *args, **options)

    execute.audited = True  # type: ignore[attr-defined]
    BaseCommand.execute = execute  # type: ignore[method-assign]


def connect() -> None:
    """Called once from AccountsConfig.ready(), when every model is known."""
    for model in audited_models():
        uid = f"audit:{model._meta.label_lower}"
        pre_save.connect(remember_before, sender=model, dispatch_uid=uid)
        post_save.connect(record_save, sender=model, dispatch_uid=uid)
        post_delete.connect(record_delete, sender=model, dispatch_uid=uid)
    user_login_failed.connect(record_login_failed, dispatch_uid="audit:login-failed")
    user_locked_out.connect(record_locked_out, dispatch_uid="audit:locked-out")
    task_started.connect(task_began, dispatch_uid="audit:task-started")
    task_finished.connect(task_ended, dispatch_uid="audit:task-finished")
    audit_commands()


# Reading the log


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any

    @property
    def before_text(self) -> str:
        return shown(self.before)

    @property
    def after_text(self) -> str:
        return shown(self.after)


def shown(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + "…"


def changes_of(entry: AuditEntry) -> list[Change]:
    """Field by field, in name order: PostgreSQL's jsonb keeps no order of its own."""
    before, after = entry.before or {}, entry.after or {}
    return [Change(name, before.get(name), after.get(name)) for name in sorted({*before, *after})]


def history_for(obj: models.Model, limit: int = 20) -> list[tuple[AuditEntry, list[Change]]]:
    """The latest changes to one object, newest first, each with its field changes."""
    entries = AuditEntry.objects.filter(model=obj._meta.label_lower, object_id=str(obj.pk))
    return [(entry, changes_of(entry)) for entry in entries.select_related("user")[:limit]]
