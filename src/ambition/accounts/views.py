"""The audit log's page for the performance office, searched, read-only and downloadable;
and the password-reset page, throttled."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import PasswordResetView
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ambition.web.tables import Column, Table, requested_format, respond

from .audit import audited_models, changes_of
from .models import AuditEntry

PER_PAGE = 50
AUDIT_COLUMNS = [
    Column("at", "When"),
    Column("username", "User"),
    Column("action", "Action"),
    Column("model", "Record kind"),
    Column("object_id", "Record id"),
    Column("object_repr", "Record"),
    Column("before", "Before"),
    Column("after", "After"),
    Column("via", "Via"),
    Column("path", "Page, API route or command"),
]


def _kinds() -> list[tuple[str, str]]:
    labels = sorted(model._meta.label_lower for model in audited_models())
    return [("", "Any"), *((label, label) for label in labels)]


class AuditSearch(forms.Form):
    user = forms.CharField(label="User name", required=False, max_length=150)
    model = forms.ChoiceField(label="Record kind", required=False, choices=_kinds)
    object_id = forms.CharField(label="Record id", required=False, max_length=64)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any"), *AuditEntry.Action.choices]
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    """Midnight where the office is, so a day means a London day and the index on `at` serves."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def search(values: dict[str, Any]) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("user")
    lookups = {k: values[k] for k in ("model", "action") if values.get(k)}
    if values.get("object_id"):
        lookups["object_id"] = values["object_id"].strip()
    if values.get("user"):
        lookups["username__icontains"] = values["user"].strip()
    if values.get("date_from"):
        lookups["at__gte"] = _day_start(values["date_from"])
    if values.get("date_to"):
        lookups["at__lt"] = _day_start(values["date_to"] + datetime.timedelta(days=1))
    return entries.filter(**lookups)


def _download_row(entry: AuditEntry, nested: bool) -> dict[str, Any]:
    """Before and after stay objects in JSON; a CSV cell holds them as JSON text."""

    def cell(value: Any) -> Any:
        return value if nested or value is None else json.dumps(value, sort_keys=True)

    return {
        **{column.key: getattr(entry, column.key) for column in AUDIT_COLUMNS},
        "at": entry.at.isoformat(),
        "before": cell(entry.before),
        "after": cell(entry.after),
    }


@login_required
@permission_required("accounts.view_auditentry", raise_exception=True)
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditSearch(request.GET)
    entries = search(form.cleaned_data) if form.is_valid() else AuditEntry.objects.none()
    nested = requested_format(request) == "json"
    if download := respond(
        request,
        lambda: Table(
            "audit-log", AUDIT_COLUMNS, (_download_row(e, nested) for e in entries.iterator())
        ),
    ):
        return download
    page_obj = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/audit.html",
        {
            "form": form,
            "page_obj": page_obj,
            "entries": [(entry, changes_of(entry)) for entry in page_obj],
        },
    )


RESET_WINDOW_SECONDS = 60 * 60


def _spend_reset_mail(key: str, limit: int) -> bool:
    """Count one reset mail against `key` for the hour; False once the hour's limit is spent.
    The count starts at the first mail and lapses an hour later (a fixed window)."""
    throttle = caches["throttle"]
    throttle.add(key, 0, RESET_WINDOW_SECONDS)
    try:
        return throttle.incr(key) <= limit
    except ValueError:  # lapsed between add and incr: this mail starts a new hour
        throttle.set(key, 1, RESET_WINDOW_SECONDS)
        return True


class ThrottledPasswordResetView(PasswordResetView):
    """Django's reset page, sending at most so many mails an hour to one address and for one
    client. A throttled request gets the very answer a sent one gets, so the page tells no
    one whether an address has an account or has been asked for too often."""

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        client = self.request.META.get("REMOTE_ADDR") or "unknown"
        # Both are counted every time, so a client cannot spread one address's mails around.
        address_ok = _spend_reset_mail(f"reset:address:{email}", settings.RESET_MAILS_PER_ADDRESS)
        client_ok = _spend_reset_mail(f"reset:client:{client}", settings.RESET_MAILS_PER_CLIENT)
        if address_ok and client_ok:
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())
