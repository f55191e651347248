"""The tables of the peer review pages, each downloadable (?format=csv|json): the list,
and on one review's page its indicators before and after, team, actions and timeline.
Team names come only through `ReviewTeamMember.private_objects.visible_to`."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.http import Http404, HttpRequest

from ambition.web.tables import Column, Table

from .. import review_lifecycle as lifecycle
from ..charts import review_indicator
from ..models import PeerReview, ReviewStage, ReviewTeamMember
from ..outcomes import before_and_after

LIST_COLUMNS = [
    Column("id", "Review"),
    Column("code", "ONS code"),
    Column("authority", "Authority"),
    Column("service_area", "Service area"),
    Column("stage", "Stage"),
    Column("on_site_start", "On site from"),
    Column("progress_review_due", "Progress review due"),
]
INDICATOR_COLUMNS = [
    Column("indicator", "Indicator code"),
    Column("name", "Indicator"),
    Column("polarity", "Polarity"),
    Column("before_period", "Before: period"),
    Column("before", "Before: value"),
    Column("after_period", "After: period"),
    Column("after", "After: value"),
    Column("change", "Change"),
]
TEAM_COLUMNS = [
    Column("name", "Name"),
    Column("authority", "Authority"),
    Column("role", "Role"),
    Column("party", "Party"),
    Column("days", "Days"),
]
ACTION_COLUMNS = [
    Column("action", "Action"),
    Column("owner", "Owner"),
    Column("due", "Due"),
    Column("done_on", "Done on"),
]
TIMELINE_COLUMNS = [
    Column("from_stage", "From"),
    Column("to_stage", "To"),
    Column("at", "When"),
    Column("by", "By"),
    Column("note", "Note"),
]


def review_row(r: PeerReview) -> dict[str, Any]:
    return {
        "id": r.pk,
        "url": r.get_absolute_url(),
        "code": r.request.authority.code,
        "authority": r.request.authority.name,
        "service_area": r.request.service_area.name,
        "stage": ReviewStage(r.stage).label,
        "on_site_start": r.on_site_start,
        "progress_review_due": r.progress_review_due,
    }


def indicator_rows(review: PeerReview, user: Any) -> list[dict[str, Any]]:
    rows = before_and_after(
        review.authority,
        review.request.service_area_id,
        review.on_site_start,
        review.on_site_end,
        user,
    )
    return [
        {
            "indicator": r.indicator.code,
            "name": r.indicator.name,
            "unit": r.indicator.unit,
            "polarity": r.indicator.polarity,
            "before_period": r.before.period if r.before else None,
            "before": r.before.value if r.before else None,
            "after_period": r.after.period if r.after else None,
            "after": r.after.value if r.after else None,
            "change": r.change,
            "chart": review_indicator(r, review.on_site_start),
            "source": r,
        }
        for r in rows
    ]


def team_rows(review: PeerReview, user: Any) -> list[dict[str, Any]]:
    visible = ReviewTeamMember.private_objects.visible_to(user).filter(review=review)
    return [
        {
            "name": m.name,
            "authority": m.authority.name,
            "role": m.get_role_display(),
            "party": m.party,
            "days": m.days,
        }
        for m in visible.select_related("authority")
    ]


def team_composition(review: PeerReview) -> dict[str, Any]:
    """What anyone may know of the team: how many, from where, which roles and parties."""
    team = ReviewTeamMember.private_objects.filter(review=review)
    rows = list(team.values_list("authority__name", "role", "party"))
    return {
        "size": len(rows),
        "authorities": sorted({a for a, _, _ in rows}),
        "roles": Counter(role for _, role, _ in rows),
        "parties": sorted({p for _, role, p in rows if role == "member"}),
        "problems": lifecycle.team_problems(review),
    }


def detail_tables(review: PeerReview, user: Any) -> dict[str, list[dict[str, Any]]]:
    changes = review.stage_changes.select_related("by")
    return {
        "indicators": indicator_rows(review, user),
        "team": team_rows(review, user),
        "actions": [vars(a) | {"done": a.done} for a in review.actions.all()],
        "timeline": [
            {
                "from_stage": ReviewStage(c.from_stage).label,
                "to_stage": ReviewStage(c.to_stage).label,
                "at": c.at.isoformat(timespec="minutes"),
                "by": c.by.get_username() if c.by else "",
                "note": c.note,
            }
            for c in changes
        ],
    }


DOWNLOADS = {
    "indicators": INDICATOR_COLUMNS,
    "team": TEAM_COLUMNS,
    "actions": ACTION_COLUMNS,
    "timeline": TIMELINE_COLUMNS,
}


def download(request: HttpRequest, review: PeerReview, tables: dict[str, Any]) -> Table:
    wanted = request.GET.get("table", "indicators")
    if wanted not in DOWNLOADS:
        raise Http404("No such table: indicators, team, actions or timeline")
    name = f"peer-review-{review.pk}-{wanted}"
    return Table(name, DOWNLOADS[wanted], tables[wanted], meta={"review": review.pk})
