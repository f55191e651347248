"""Section (d) of the pack: the meetings held about the member and the actions still open."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ambition.registry.models import Authority

from ..models import AgreedAction, Meeting

MEETINGS_SHOWN = 10


@dataclass(frozen=True)
class MeetingSummary:
    date: datetime.date
    kind: str
    attendees: int
    actions: int
    url: str


@dataclass(frozen=True)
class OpenAction:
    text: str
    owner: str
    due: datetime.date | None
    meeting_date: datetime.date
    url: str
    overdue: bool


def meetings_of(authority: Authority) -> tuple[MeetingSummary, ...]:
    found = (
        Meeting.objects.about(authority)
        .prefetch_related("attendees", "actions")
        .order_by("-date", "-id")[:MEETINGS_SHOWN]
    )
    return tuple(
        MeetingSummary(
            m.date,
            m.get_kind_display(),
            len(m.attendees.all()),
            len(m.actions.all()),
            m.get_absolute_url(),
        )
        for m in found
    )


def open_actions_of(authority: Authority, today: datetime.date) -> tuple[OpenAction, ...]:
    found = (
        AgreedAction.objects.open()
        .filter(meeting__authority=authority)
        .select_related("meeting")
        .order_by("meeting__date", "id")
    )
    # Soonest due first, and those with no date last, on every database alike.
    found = sorted(found, key=lambda a: (a.due is None, a.due or datetime.date.max))
    return tuple(
        OpenAction(
            a.text,
            a.owner,
            a.due,
            a.meeting.date,
            a.meeting.get_absolute_url(),
            a.is_overdue(today),
        )
        for a in found
    )
