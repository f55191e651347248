"""Meetings: recorded by board members and the office with attendees and agreed actions,
checked whole before anything is saved, audited, and read by the council concerned only."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from ambition.accounts.models import AuditEntry
from ambition.reports.models import AgreedAction, Attendee, Meeting

from .conftest import LAMBETH, SOUTHWARK, authority, client_for

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def posted(**fields: str) -> dict[str, str]:
    lambeth = authority(LAMBETH)
    return {
        "authority": str(lambeth.pk),
        "date": "2025-11-04",
        "kind": "annual-review",
        "notes": "Visited the cabinet member for adults.",
        **management("attendees", 2),
        "attendees-0-name": "Councillor A. Board",
        "attendees-0-role": "Liaison board member",
        "attendees-0-authority": "",
        "attendees-1-name": "B. Leader",
        "attendees-1-role": "Leader of the council",
        "attendees-1-authority": str(lambeth.pk),
        **management("actions", 1),
        "actions-0-text": "Send the adult social care recovery plan",
        "actions-0-owner": "Director of adults",
        "actions-0-due": "2026-01-31",
        **fields,
    }


def test_a_board_member_records_a_meeting_with_attendees_and_actions(
    people: dict[str, Any],
) -> None:
    response = client_for(people["board"]).post("/reports/meetings/new/", posted())
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.authority == authority(LAMBETH) and meeting.created_by == people["board"]
    assert [a.name for a in meeting.attendees.all()] == ["Councillor A. Board", "B. Leader"]
    action = meeting.actions.get()
    assert (action.due, action.done) == (datetime.date(2026, 1, 31), False)
    audited = AuditEntry.objects.filter(action="create", username="reports-board")
    assert set(audited.values_list("model", flat=True)) >= {
        "reports.meeting",
        "reports.attendee",
        "reports.agreedaction",
    }


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"date": "4 November"}, "Enter a valid date."),
        ({"authority": ""}, "An annual review visit is to one council: choose it."),
        ({"actions-0-due": "2026-13-01"}, "Enter a valid date."),
        ({"attendees-1-name": ""}, "This field is required."),
        ({"actions-0-owner": ""}, "This field is required."),
    ],
)
def test_errors_are_shown_and_nothing_is_saved(
    people: dict[str, Any], fields: dict[str, str], error: str
) -> None:
    response = client_for(people["analyst"]).post("/reports/meetings/new/", posted(**fields))
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and error in body
    assert not Meeting.objects.exists() and not Attendee.objects.exists()
    assert not AgreedAction.objects.exists()
    assert not AuditEntry.objects.filter(model__startswith="reports.").exists()


def test_an_action_is_marked_done_by_editing_the_meeting(people: dict[str, Any]) -> None:
    board = client_for(people["board"])
    board.post("/reports/meetings/new/", posted())
    meeting = Meeting.objects.get()
    action = meeting.actions.get()
    attendees = list(meeting.attendees.all())
    data = {
        "authority": str(meeting.authority_id),
        "date": "2025-11-04",
        "kind": "annual-review",
        "notes": "",
        **management("attendees", 2, 2),
        **{
            f"attendees-{i}-{f}": v
            for i, a in enumerate(attendees)
            for f, v in (
                ("id", str(a.pk)),
                ("name", a.name),
                ("role", a.role),
                ("meeting", str(meeting.pk)),
            )
        },
        "attendees-1-DELETE": "on",
        **management("actions", 1, 1),
        "actions-0-id": str(action.pk),
        "actions-0-meeting": str(meeting.pk),
        "actions-0-text": action.text,
        "actions-0-owner": action.owner,
        "actions-0-due": "2026-01-31",
        "actions-0-done": "on",
    }
    response = board.post(f"/reports/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done
    assert [a.name for a in meeting.attendees.all()] == ["Councillor A. Board"]
    assert AuditEntry.objects.filter(model="reports.agreedaction", action="update").exists()


def test_a_council_reads_its_own_meetings_only(people: dict[str, Any]) -> None:
    ours = Meeting.objects.create(
        authority=authority(LAMBETH), date=datetime.date(2025, 11, 4), kind="annual-review"
    )
    theirs = Meeting.objects.create(
        authority=authority(SOUTHWARK), date=datetime.date(2025, 11, 5), kind="annual-review"
    )
    board = Meeting.objects.create(authority=None, date=datetime.date(2025, 12, 1), kind="board")
    officer = client_for(people["officer"])
    listed = officer.get("/reports/meetings/").content.decode()
    assert ours.get_absolute_url() in listed
    assert theirs.get_absolute_url() not in listed and board.get_absolute_url() not in listed
    assert officer.get(ours.get_absolute_url()).status_code == 200
    assert officer.get(theirs.get_absolute_url()).status_code == 404
    assert officer.get(board.get_absolute_url()).status_code == 404
    assert officer.get("/reports/meetings/new/").status_code == 403
    assert client_for(people["resident"]).get("/reports/meetings/").status_code == 403
    everyone = client_for(people["board"]).get("/reports/meetings/?format=csv").content.decode()
    assert len(everyone.strip().splitlines()) == 4
