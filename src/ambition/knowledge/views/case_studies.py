"""Case study pages: the list (filtered by service area, authority and strength of
evidence, downloadable), one case study, the author's form, the office's evidence form
and publishing, and an attachment's file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ambition.fund.models import Award
from ambition.indicators.membership import members_in
from ambition.indicators.models import ServiceArea
from ambition.registry.models import Authority
from ambition.web.parameters import whole_number
from ambition.web.tables import Column, Table, respond

from .. import sharing
from ..evidence import NOT_ASSESSED, STANDARDS, EvidenceLevel, standard
from ..forms import WRITE, CaseStudyForm, EvidenceForm
from ..models import Attachment, CaseStudy

CHANGE = "knowledge.change_casestudy"
READ_SUPPORT = "support.view_supportrequest"

COLUMNS = [
    Column("id", "Id"),
    Column("title", "Title"),
    Column("lead", "Lead authority (ONS code)"),
    Column("lead_name", "Lead authority"),
    Column("authorities", "Other authorities (ONS codes)"),
    Column("service_area", "Service area"),
    Column("cost", "Cost (GBP)"),
    Column("evidence_level", "Strength of evidence (Nesta level 1-5)"),
    Column("status", "Status"),
    Column("published_on", "Published on"),
    Column("indicators", "Indicators"),
    Column("illustrative", "Illustrative (invented for the demo)"),
]


def visible(request: HttpRequest) -> Any:
    return CaseStudy.private_objects.visible_to(request.user)


def _filters(request: HttpRequest) -> dict[str, Any]:
    """The list's filters, each read from the query string or left out."""
    chosen: dict[str, Any] = {}
    if code := request.GET.get("service_area"):
        chosen["service_area"] = ServiceArea.objects.filter(code=code).first()
    if code := request.GET.get("authority"):
        chosen["authority"] = Authority.objects.filter(code=code).first()
    chosen["level"] = whole_number(request.GET.get("level"), 1, 5)
    return chosen


def row(c: CaseStudy) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "url": c.get_absolute_url(),
        "lead": c.lead.code,
        "lead_name": c.lead.name,
        "authorities": " ".join(a.code for a in c.authorities.all()),
        "service_area": c.service_area.name,
        "cost": c.cost,
        "evidence_level": c.evidence_level,
        "evidence_label": c.get_evidence_level_display() if c.evidence_level else NOT_ASSESSED,
        "status": c.status,
        "published_on": c.published_on,
        "indicators": " ".join(i.code for i in c.indicators.all()),
        "illustrative": c.illustrative,
    }


@require_safe
def case_study_list(request: HttpRequest) -> HttpResponse:
    chosen = _filters(request)
    found = visible(request).about(chosen.get("authority"), chosen.get("service_area"))
    if chosen["level"] is not None:
        found = found.filter(evidence_level=chosen["level"])
    found = found.select_related("lead", "service_area").prefetch_related(
        "authorities", "indicators"
    )
    rows = [row(c) for c in found]
    if download := respond(request, lambda: Table("case-studies", COLUMNS, rows)):
        return download
    context = {
        "rows": rows,
        "chosen": chosen,
        "service_areas": ServiceArea.objects.all(),
        "authorities": members_in().order_by("name"),
        "levels": EvidenceLevel.choices,
        "illustrative": any(r["illustrative"] for r in rows),
        "may_add": request.user.has_perm(WRITE),
        "may_evidence": request.user.has_perm(sharing.SET_EVIDENCE),
    }
    return render(request, "knowledge/case_study_list.html", context)


def _links(request: HttpRequest, study: CaseStudy) -> dict[str, Any]:
    """What lies behind a case study, each linked where this person may open its page:
    grants are public, reviews and secondments the partnership's."""
    partner = request.user.has_perm(READ_SUPPORT)
    return {
        "reviews": [
            (str(r), r.get_absolute_url() if partner else "") for r in study.peer_reviews.all()
        ],
        "secondments": [
            (str(s), s.get_absolute_url() if partner else "") for s in study.secondments.all()
        ],
        "grants": Award.objects.filter(pk__in=study.grants.all()).select_related(
            "application__lead", "budget"
        ),
    }


@require_safe
def case_study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    study = get_object_or_404(visible(request).select_related("lead", "service_area"), pk=pk)
    context = {
        "study": study,
        "standard": standard(study.evidence_level),
        "not_assessed": NOT_ASSESSED,
        "authorities": study.authorities.order_by("name"),
        "indicators": study.indicators.select_related("service_area").order_by("name"),
        "attachments": study.attachments.all(),
        "ledger": sharing.ledger_entries(study),
        "revisions": study.history.select_related("history_user")[:20],
        "may_edit": request.user.has_perm(CHANGE, study),
        "may_evidence": request.user.has_perm(sharing.SET_EVIDENCE),
        "may_publish": request.user.has_perm(sharing.PUBLISH) and not study.is_published,
        **_links(request, study),
    }
    return render(request, "knowledge/case_study_detail.html", context)


def _save(form: CaseStudyForm, request: HttpRequest) -> CaseStudy:
    with transaction.atomic():
        study = form.save(commit=False)
        if study.created_by_id is None:
            study.created_by = request.user
        study._history_user = request.user  # type: ignore[attr-defined]
        study.save()
        form.save_m2m()
        if upload := form.cleaned_data.get("attachment"):
            Attachment.objects.create(
                case_study=study,
                title=form.cleaned_data["attachment_title"].strip(),
                file=upload,
                uploaded_by=request.user,
            )
    return study


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_study_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(WRITE):
        raise PermissionDenied("Council officers and the performance office write case studies")
    form = CaseStudyForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        study = _save(form, request)
        messages.success(request, "Case study saved as a draft")
        return redirect(study)
    return render(request, "knowledge/case_study_form.html", {"form": form, "study": None})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_study_edit(request: HttpRequest, pk: int) -> HttpResponse:
    study = get_object_or_404(visible(request), pk=pk)
    if not request.user.has_perm(CHANGE, study):
        raise PermissionDenied("Only the lead council's officers and the office edit this")
    form = CaseStudyForm(
        request.POST or None, request.FILES or None, instance=study, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        _save(form, request)
        messages.success(request, "Case study saved")
        return redirect(study)
    return render(request, "knowledge/case_study_form.html", {"form": form, "study": study})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_study_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(sharing.SET_EVIDENCE):
        raise PermissionDenied("Only the performance office sets the strength of evidence")
    study = get_object_or_404(visible(request), pk=pk)
    initial = {"level": study.evidence_level, "note": study.evidence_note}
    form = EvidenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        sharing.set_evidence(
            study, form.cleaned_data["level"], form.cleaned_data["note"], request.user
        )
        messages.success(request, "Strength of evidence saved")
        return redirect(study)
    context = {"form": form, "study": study, "standards": STANDARDS}
    return render(request, "knowledge/case_study_evidence.html", context)


@login_required
@require_POST
def case_study_publish(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(sharing.PUBLISH):
        raise PermissionDenied("Only the performance office publishes case studies")
    study = get_object_or_404(visible(request), pk=pk)
    sharing.publish(study, request.user)
    messages.success(request, "Case study published, and recorded in the ledger")
    return redirect(study)


@require_safe
def attachment_file(request: HttpRequest, pk: int, attachment: int) -> FileResponse:
    study = get_object_or_404(visible(request), pk=pk)
    found = get_object_or_404(Attachment, pk=attachment, case_study=study)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is no longer stored") from None
    name = found.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)
