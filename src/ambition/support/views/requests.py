"""Support requests and offers: the overview, asking, offering, and each one's page. The
server checks every permission; a council officer acts for their own authority only."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from ambition.web.tables import Column, Table, respond

from ..forms import OfferForm, PersonForm, RequestForm, prompted_initial
from ..matching import MAX_SUPPORTERS, latest_run
from ..models import (
    Match,
    OfferPerson,
    SupportKind,
    SupportOffer,
    SupportRequest,
    financial_year,
    year_label,
)
from .matches import match_rows, may_decide

REQUEST_COLUMNS = [
    Column("id", "Request"),
    Column("code", "ONS code"),
    Column("authority", "Authority"),
    Column("service_area", "Service area"),
    Column("kind", "Kind"),
    Column("staff_days", "Staff days"),
    Column("days_agreed", "Days agreed"),
    Column("window_start", "From"),
    Column("window_end", "To"),
    Column("preference", "Preference"),
    Column("status", "Status"),
    Column("prompted_by", "Prompted by"),
]
OFFER_COLUMNS = [
    Column("id", "Offer"),
    Column("code", "ONS code"),
    Column("authority", "Authority"),
    Column("service_area", "Service area"),
    Column("kind", "Kind"),
    Column("year", "Financial year"),
    Column("staff_days", "Staff days"),
    Column("days_agreed", "Days agreed"),
]


def request_row(r: SupportRequest, agreed: dict[int, int]) -> dict[str, Any]:
    prompt = ""
    if r.prompted_by_area_id:
        prompt = f"weak area in run {r.prompted_by_run_id}"
    elif r.prompted_by_warning_id:
        prompt = f"early warning in run {r.prompted_by_run_id}"
    return {
        "id": r.pk,
        "url": r.get_absolute_url(),
        "code": r.authority.code,
        "authority": r.authority.name,
        "service_area": r.service_area.name,
        "kind": r.get_kind_display(),
        "staff_days": r.staff_days,
        "days_agreed": agreed.get(r.pk, 0),
        "window_start": r.window_start.isoformat(),
        "window_end": r.window_end.isoformat(),
        "preference": r.get_preference_display(),
        "status": r.get_status_display(),
        "prompted_by": prompt,
        "illustrative": r.problem.startswith("Illustrative"),
    }


def offer_row(o: SupportOffer, agreed: dict[tuple[int, int, str], int]) -> dict[str, Any]:
    return {
        "id": o.pk,
        "url": o.get_absolute_url(),
        "code": o.authority.code,
        "authority": o.authority.name,
        "service_area": o.service_area.name,
        "kind": o.get_kind_display(),
        "year": year_label(o.year),
        "staff_days": o.staff_days,
        "days_agreed": agreed.get((o.authority_id, o.service_area_id, o.kind), 0),
    }


def agreed_by_request() -> dict[int, int]:
    found: dict[int, int] = {}
    for request_id, days in Match.objects.accepted().values_list("request_id", "days"):
        found[request_id] = found.get(request_id, 0) + days
    return found


def agreed_by_offer(year: int) -> dict[tuple[int, int, str], int]:
    rows = Match.objects.accepted().overlapping(year)
    found: dict[tuple[int, int, str], int] = {}
    fields = ("supporter_id", "request__service_area_id", "request__kind", "days")
    for supporter, area, kind, days in rows.values_list(*fields):
        found[supporter, area, kind] = found.get((supporter, area, kind), 0) + days
    return found


@login_required
@permission_required("support.view_supportrequest", raise_exception=True)
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    """Every request and this year's offers, with what the broker last proposed."""
    year = financial_year(datetime.date.today())
    requests = SupportRequest.objects.select_related("authority", "service_area")
    agreed = agreed_by_request()
    request_rows = [request_row(r, agreed) for r in requests]
    offers = SupportOffer.objects.filter(year__gte=year).select_related("authority", "service_area")
    agreed_days = {y: agreed_by_offer(y) for y in {o.year for o in offers}}
    offer_rows = [offer_row(o, agreed_days[o.year]) for o in offers]
    tables = {
        "requests": lambda: Table("support-requests", REQUEST_COLUMNS, request_rows),
        "offers": lambda: Table("support-offers", OFFER_COLUMNS, offer_rows),
    }
    wanted = tables.get(request.GET.get("table", "requests"), tables["requests"])
    if found := respond(request, wanted):
        return found
    context = {
        "requests": request_rows,
        "offers": offer_rows,
        "open_count": sum(1 for r in requests if r.status == SupportRequest.Status.OPEN),
        "latest": latest_run(),
        "year": year,
        "may_ask": request.user.has_perm("support.add_supportrequest"),
        "may_offer": request.user.has_perm("support.add_supportoffer"),
        "may_broker": request.user.has_perm("support.add_brokerrun"),
        "max_supporters": [(SupportKind(k).label, n) for k, n in MAX_SUPPORTERS.items()],
    }
    return render(request, "support/overview.html", context)


@login_required
@permission_required("support.add_supportrequest", raise_exception=True)
def request_new(request: HttpRequest) -> HttpResponse:
    """Ask for support; from a scorecard's weak area or warning the form comes filled in."""
    initial = prompted_initial(
        request.GET.get("run", ""), request.GET.get("area", ""), request.GET.get("warning", "")
    )
    form = RequestForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not request.user.has_perm("support.add_supportrequest", form.cleaned_data["authority"]):
            raise PermissionDenied("you may ask for support for your own authority only")
        made = form.save(request.user)
        messages.success(request, f"Request {made.pk} recorded: the broker will consider it.")
        return redirect(made)
    if initial and not form.fields["authority"].queryset.filter(pk=initial["authority"]).exists():
        raise PermissionDenied("you may ask for support for your own authority only")
    return render(request, "support/request_new.html", {"form": form, "prompted": bool(initial)})


@login_required
@permission_required("support.view_supportrequest", raise_exception=True)
@require_safe
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        SupportRequest.objects.select_related(
            "authority", "service_area", "prompted_by_area__area", "prompted_by_warning__indicator"
        ),
        pk=pk,
    )
    matches = list(
        Match.objects.filter(request=found)
        .select_related(
            "supporter", "broker_run", "decided_by", "request__authority", "request__service_area"
        )
        .order_by("-broker_run_id", "-score")
    )
    newest = latest_run()
    rows = match_rows(matches, request.user, newest)
    if got := respond(request, lambda: Table(f"request-{pk}-matches", MATCH_COLUMNS, rows)):
        return got
    context = {
        "r": found,
        "row": request_row(found, agreed_by_request()),
        "matches": rows,
        "avoid": found.avoid.order_by("name"),
        "latest": newest,
        "may_decide": any(may_decide(request.user, m) for m in matches),
    }
    return render(request, "support/request_detail.html", context)


MATCH_COLUMNS = [
    Column("id", "Match"),
    Column("broker_run", "Broker run"),
    Column("supporter_code", "Supporter ONS code"),
    Column("supporter", "Supporter"),
    Column("days", "Days"),
    Column("score", "Score"),
    Column("state", "State"),
]


@login_required
@permission_required("support.add_supportoffer", raise_exception=True)
def offer_new(request: HttpRequest) -> HttpResponse:
    form = OfferForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if not request.user.has_perm("support.add_supportoffer", form.cleaned_data["authority"]):
            raise PermissionDenied("you may offer support for your own authority only")
        made = form.save(request.user)
        messages.success(request, f"Offer {made.pk} recorded. Name the people it would send.")
        return redirect(made)
    return render(request, "support/offer_new.html", {"form": form})


@login_required
@permission_required("support.view_supportoffer", raise_exception=True)
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The offer, and its people for those who may see them (personal data)."""
    offer = get_object_or_404(
        SupportOffer.objects.select_related("authority", "service_area"), pk=pk
    )
    may_add = request.user.has_perm("support.add_offerperson", offer.authority)
    form = PersonForm(request.POST or None)
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied("you may name people for your own authority's offers only")
        if form.is_valid():
            OfferPerson.private_objects.create(offer=offer, **form.cleaned_data)
            messages.success(request, f"{form.cleaned_data['name']} added to the offer.")
            return redirect(request.path)
    people = OfferPerson.private_objects.visible_to(request.user).filter(offer=offer)
    row = offer_row(offer, agreed_by_offer(offer.year))
    return render(
        request,
        "support/offer_detail.html",
        {"offer": offer, "row": row, "people": people, "form": form, "may_add": may_add},
    )
