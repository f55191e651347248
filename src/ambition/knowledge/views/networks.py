"""Professional networks: the list, and one network's members, events and outputs."""

from __future__ import annotations

from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ambition.web.tables import Column, Table, respond

from ..models import CaseStudy, Network, NetworkOutput

COLUMNS = [
    Column("slug", "Id"),
    Column("name", "Network"),
    Column("service_area", "Service area"),
    Column("members", "Member authorities"),
    Column("events", "Events"),
    Column("outputs", "Outputs"),
    Column("illustrative", "Illustrative (invented for the demo)"),
]
EVENT_COLUMNS = [
    Column("date", "Date"),
    Column("title", "Event"),
    Column("place", "Place"),
    Column("notes", "Notes"),
]


@require_safe
def network_list(request: HttpRequest) -> HttpResponse:
    found = Network.objects.select_related("service_area").annotate(
        member_count=Count("members", distinct=True),
        event_count=Count("events", distinct=True),
        output_count=Count("outputs", distinct=True),
    )
    rows = [
        {
            "slug": n.slug,
            "name": n.name,
            "url": n.get_absolute_url(),
            "service_area": n.service_area.name if n.service_area else "",
            "members": n.member_count,
            "events": n.event_count,
            "outputs": n.output_count,
            "illustrative": n.illustrative,
        }
        for n in found
    ]
    if download := respond(request, lambda: Table("networks", COLUMNS, rows)):
        return download
    illustrative = any(r["illustrative"] for r in rows)
    return render(
        request, "knowledge/network_list.html", {"rows": rows, "illustrative": illustrative}
    )


@require_safe
def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network.objects.select_related("service_area"), slug=slug)
    events = list(network.events.all())
    rows = [{"date": e.date, "title": e.title, "place": e.place, "notes": e.notes} for e in events]
    if download := respond(request, lambda: Table(f"network-{slug}-events", EVENT_COLUMNS, rows)):
        return download
    readable = set(CaseStudy.private_objects.visible_to(request.user).values_list("pk", flat=True))
    outputs = [
        (o, o.case_study if o.case_study_id in readable else None)
        for o in network.outputs.select_related("case_study")
    ]
    context = {
        "network": network,
        "members": network.members.select_related("authority"),
        "events": events,
        "outputs": outputs,
    }
    return render(request, "knowledge/network_detail.html", context)


@require_safe
def output_file(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    found = get_object_or_404(NetworkOutput, pk=pk, network__slug=slug)
    if not found.file:
        raise Http404("This output has no file")
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is no longer stored") from None
    name = found.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)
