"""Meetings: annual review visits and board meetings, with attendees and agreed actions.
Board members and the performance office record them; board, office, administrators and
the council concerned read them. Saved through the ORM, so every change is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from ambition.registry.models import Authority
from ambition.web.tables import Column, Table, respond

from ..forms import ActionFormSet, AttendeeFormSet, MeetingForm
from ..models import VIEW_MEETING, Meeting, MeetingQuerySet

ADD_MEETING = "reports.add_meeting"
CHANGE_MEETING = "reports.change_meeting"
PAGE_SIZE = 50
MEETING_COLUMNS = [
    Column("id", "Meeting"),
    Column("date", "Date"),
    Column("kind", "Kind"),
    Column("code", "ONS code"),
    Column("authority", "Council it concerns"),
    Column("attendees", "Attendees"),
    Column("actions", "Actions agreed"),
    Column("open_actions", "Actions open"),
]


def listed(request: HttpRequest) -> tuple[MeetingQuerySet, Authority | None]:
    found = Meeting.objects.visible_to(request.user).select_related("authority")
    code = request.GET.get("authority", "").upper()
    authority = Authority.objects.filter(code=code).first() if code else None
    if authority is not None:
        found = found.about(authority)
    return found.prefetch_related("attendees", "actions"), authority


def meeting_row(m: Meeting) -> dict[str, Any]:
    actions = list(m.actions.all())
    return {
        "id": m.pk,
        "date": m.date,
        "kind": m.get_kind_display(),
        "code": m.authority.code if m.authority else "",
        "authority": m.authority.name if m.authority else "The partnership",
        "attendees": len(m.attendees.all()),
        "actions": len(actions),
        "open_actions": sum(1 for a in actions if not a.done),
        "url": m.get_absolute_url(),
    }


@login_required
@permission_required(VIEW_MEETING, raise_exception=True)
@require_safe
def meeting_list(request: HttpRequest) -> HttpResponse:
    found, authority = listed(request)
    if download := respond(
        request, lambda: Table("meetings", MEETING_COLUMNS, [meeting_row(m) for m in found])
    ):
        return download
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/meeting_list.html",
        {"page_obj": page, "rows": [meeting_row(m) for m in page], "authority": authority},
    )


@login_required
@permission_required(VIEW_MEETING, raise_exception=True)
@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("authority", "created_by"), pk=pk
    )
    return render(
        request,
        "reports/meeting_detail.html",
        {
            "meeting": meeting,
            "attendees": meeting.attendees.select_related("authority"),
            "actions": meeting.actions.all(),
        },
    )


def bound_forms(request: HttpRequest, meeting: Meeting, initial: dict[str, Any]) -> list[Any]:
    data = request.POST if request.method == "POST" else None
    return [
        MeetingForm(data, instance=meeting, initial=initial),
        AttendeeFormSet(data, instance=meeting, prefix="attendees"),
        ActionFormSet(data, instance=meeting, prefix="actions"),
    ]


@transaction.atomic
def save_all(request: HttpRequest, form: MeetingForm, attendees: Any, actions: Any) -> Meeting:
    meeting: Meeting = form.save(commit=False)
    if meeting.pk is None and request.user.is_authenticated:
        meeting.created_by = request.user  # type: ignore[assignment]
    meeting.save()
    for formset in (attendees, actions):
        formset.instance = meeting
        formset.save()
    return meeting


def edit(request: HttpRequest, meeting: Meeting, initial: dict[str, Any]) -> HttpResponse:
    form, attendees, actions = bound_forms(request, meeting, initial)
    if request.method == "POST" and all(f.is_valid() for f in (form, attendees, actions)):
        saved = save_all(request, form, attendees, actions)
        messages.success(request, f"Saved: {saved}.")
        return redirect(saved.get_absolute_url())
    return render(
        request,
        "reports/meeting_form.html",
        {
            "form": form,
            "attendees": attendees,
            "actions": actions,
            "formsets": [attendees, actions],
            "meeting": meeting,
        },
    )


@login_required
@permission_required(ADD_MEETING, raise_exception=True)
def meeting_new(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("authority", "").upper()
    authority = Authority.objects.filter(code=code).first() if code else None
    initial = {"authority": authority.pk, "kind": "annual-review"} if authority else {}
    return edit(request, Meeting(), initial)


@login_required
@permission_required(CHANGE_MEETING, raise_exception=True)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return edit(request, get_object_or_404(Meeting, pk=pk), {})
