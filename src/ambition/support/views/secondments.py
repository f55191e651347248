"""Secondment pages: the list, one secondment, recording one, and recording it delivered
(which writes the ledger). The secondee's name is shown only to the performance office
and the two authorities (`Secondee.private_objects.visible_to`); its back-fill claims as
on each claim's own page (`Claim.objects.visible_to`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from ambition.fund.models import Claim
from ambition.web.tables import Column, Table, respond

from .. import lending
from ..models import Secondee, Secondment
from .review_forms import SecondmentForm

COLUMNS = [
    Column("id", "Secondment"),
    Column("person", "Person"),
    Column("role", "Post"),
    Column("from_code", "From (ONS code)"),
    Column("from_authority", "From"),
    Column("to_code", "To (ONS code)"),
    Column("to_authority", "To"),
    Column("start", "Start"),
    Column("end", "End"),
    Column("days", "Days"),
    Column("delivered_on", "Delivered on"),
    Column("claimed", "Back-fill claimed (GBP)"),
    Column("paid", "Back-fill paid (GBP)"),
]


CLAIMS_HIDDEN = (
    "Back-fill claims are seen only by the performance office, the board and the lending "
    "authority, as on each claim's own page."
)


def secondment_row(s: Secondment, names: dict[int, str], user: Any) -> dict[str, Any]:
    claimed, paid = lending.backfill(s, user) or (None, None)
    return {
        "id": s.pk,
        "url": s.get_absolute_url(),
        "person": names.get(s.pk),
        "role": s.role,
        "from_code": s.from_authority.code,
        "from_authority": s.from_authority.name,
        "to_code": s.to_authority.code,
        "to_authority": s.to_authority.name,
        "start": s.start,
        "end": s.end,
        "days": s.days,
        "delivered_on": s.delivered_on,
        "claimed": claimed,
        "paid": paid,
    }


def visible_names(user: Any) -> dict[int, str]:
    rows = Secondee.private_objects.visible_to(user).values_list("secondment_id", "name")
    return dict(rows)


@login_required
@permission_required("support.view_supportrequest", raise_exception=True)
@require_safe
def secondment_list(request: HttpRequest) -> HttpResponse:
    names = visible_names(request.user)
    found = Secondment.objects.select_related("from_authority", "to_authority")
    rows = [secondment_row(s, names, request.user) for s in found]
    if download := respond(request, lambda: Table("secondments", COLUMNS, rows)):
        return download
    may_add = request.user.has_perm("support.add_secondment")
    return render(request, "support/secondment_list.html", {"rows": rows, "may_add": may_add})


@login_required
@permission_required("support.view_supportrequest", raise_exception=True)
@require_safe
def secondment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    s = get_object_or_404(
        Secondment.objects.select_related("from_authority", "to_authority"), pk=pk
    )
    row = secondment_row(s, visible_names(request.user), request.user)
    if download := respond(request, lambda: Table(f"secondment-{s.pk}", COLUMNS, [row])):
        return download
    context = {
        "s": s,
        "row": row,
        "claims": Claim.objects.visible_to(request.user)
        .filter(cause__secondment=s)
        .select_related("budget")
        .order_by("submitted_at"),
        "claims_seen": row["claimed"] is not None,
        "claims_hidden": CLAIMS_HIDDEN,
        "may_deliver": s.delivered_on is None and may_change(request.user, s),
    }
    return render(request, "support/secondment_detail.html", context)


def may_change(user: Any, s: Secondment) -> bool:
    """The office, or an officer of either authority."""
    perm = "support.change_secondment"
    return user.has_perm(perm, s.from_authority) or user.has_perm(perm, s.to_authority)


@login_required
@permission_required("support.add_secondment", raise_exception=True)
def secondment_new(request: HttpRequest) -> HttpResponse:
    form = SecondmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        perm = "support.add_secondment"
        user = request.user
        if not (
            user.has_perm(perm, data["from_authority"]) or user.has_perm(perm, data["to_authority"])
        ):
            raise PermissionDenied
        s = lending.record_secondment(lending.Terms(**data), user)
        messages.success(request, f"Secondment recorded: {s.role}, {s.days} days.")
        return redirect(s.get_absolute_url())
    return render(request, "support/secondment_new.html", {"form": form})


@login_required
@require_POST
def secondment_delivered(request: HttpRequest, pk: int) -> HttpResponse:
    s = get_object_or_404(Secondment, pk=pk)
    if not may_change(request.user, s):
        raise PermissionDenied
    try:
        lending.record_delivered(s, request.user)
    except lending.SecondmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Recorded as delivered: {s.days} staff days in the ledger.")
    return redirect(s.get_absolute_url())
