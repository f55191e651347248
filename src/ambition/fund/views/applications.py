"""Applications for a grant: the partnership reads every bid; an officer drafts one for their
own council (or leads a joint bid), adds its targets and milestones while it is a draft.
The steps that move a bid on (confirm, submit, appraise, decide) are in application_steps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from ambition.web.tables import Column, Table, respond

from .. import applications, criteria
from ..applications import ApplicationError
from ..forms import (
    ApplicationForm,
    AppraisalForm,
    DecisionForm,
    MilestoneForm,
    NoteForm,
    TargetForm,
)
from ..models import Application

VIEW, ADD, CHANGE = "fund.view_application", "fund.add_application", "fund.change_application"
APPLICATION_COLUMNS = [
    Column("id", "Application"),
    Column("code", "ONS code"),
    Column("lead", "Lead council"),
    Column("partners", "Partner councils"),
    Column("title", "Title"),
    Column("budget", "Budget"),
    Column("amount", "Amount requested (GBP)"),
    Column("state", "State"),
    Column("submitted_at", "Submitted at"),
    Column("illustrative", "Illustrative"),
]
HISTORY_COLUMNS = [
    Column("from_state", "From"),
    Column("to_state", "To"),
    Column("by", "By"),
    Column("at", "At"),
    Column("note", "Note"),
]


def url_of(application: Application) -> str:
    return reverse("fund-application", args=[application.pk])


def application_row(a: Application) -> dict[str, Any]:
    return {
        "id": a.pk,
        "url": url_of(a),
        "code": a.lead.code,
        "lead": a.lead.name,
        "partners": ", ".join(p.authority.name for p in a.partners.all()),
        "title": a.title,
        "budget": a.budget.name,
        "amount": a.amount if a.amount_published else None,
        "state": a.state,
        "state_label": a.get_state_display(),
        "submitted_at": a.submitted_at.isoformat(timespec="minutes") if a.submitted_at else None,
        "illustrative": a.illustrative,
    }


@login_required
@permission_required(VIEW, raise_exception=True)
@require_safe
def application_list(request: HttpRequest) -> HttpResponse:
    found = Application.objects.select_related("lead", "budget").prefetch_related(
        "partners__authority"
    )
    if state := request.GET.get("state"):
        found = found.filter(state=state)
    rows = [application_row(a) for a in found]
    if download := respond(request, lambda: Table("fund-applications", APPLICATION_COLUMNS, rows)):
        return download
    context = {"rows": rows, "may_apply": request.user.has_perm(ADD)}
    return render(request, "fund/application_list.html", context)


@login_required
@permission_required(ADD, raise_exception=True)
def application_new(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.has_perm(ADD, data["lead"]):
            raise PermissionDenied
        made = applications.create(
            data["lead"],
            data["budget"],
            data["title"],
            data["purpose"],
            data["service_area"],
            data["amount"],
            user=request.user,
            partners=data["partners"],
        )
        messages.success(request, "Draft saved: add its targets and milestones, then submit.")
        return redirect(url_of(made))
    return render(request, "fund/application_new.html", {"form": form})


def detail_context(request: HttpRequest, application: Application, **bound: Any) -> dict[str, Any]:
    """The detail page's context; `bound` replaces an empty form with one that has errors."""
    user = request.user
    published = criteria.load()
    forms = {
        "target_form": TargetForm(),
        "milestone_form": MilestoneForm(),
        "note_form": NoteForm(),
        "appraisal_form": AppraisalForm(published=published),
        "decision_form": DecisionForm(),
        **bound,
    }
    draft = application.state == "draft"
    return {
        "application": application,
        "row": application_row(application),
        "partners": application.partners.select_related("authority", "confirmed_by"),
        "targets": application.targets.select_related("indicator", "by_period"),
        "milestones": application.milestones.all(),
        "illustrative_parts": application.targets.filter(illustrative=True).exists()
        or application.milestones.filter(illustrative=True).exists(),
        "history": application.changes.select_related("by"),
        "appraisals": application.appraisals.select_related("by"),
        "decision": getattr(application, "decision", None),
        "award": getattr(application, "award", None),
        "problems": applications.submission_problems(application) if draft else [],
        "criteria": published,
        "may_change": draft and user.has_perm(CHANGE, application),
        "may_withdraw": application.state in applications.OPEN
        and user.has_perm(CHANGE, application),
        "may_confirm": [
            p
            for p in application.partners.all()
            if not p.confirmed and user.has_perm(CHANGE, p.authority)
        ]
        if draft
        else [],
        "may_appraise": application.state in ("submitted", "appraised")
        and user.has_perm("fund.add_appraisal", application),
        "may_decide": application.state == "appraised"
        and user.has_perm("fund.add_decision", application),
        **forms,
        "form": next(iter(bound.values()), None),  # the one with errors, for the summary
    }


def detail_page(request: HttpRequest, application: Application, **bound: Any) -> HttpResponse:
    context = detail_context(request, application, **bound)
    return render(request, "fund/application_detail.html", context)


def viewable(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("lead", "budget", "service_area"), pk=pk
    )
    # The partnership reads every bid (a partner council must see the bid it confirms).
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    return application


def changeable(request: HttpRequest, pk: int, perm: str = CHANGE) -> Application:
    application = viewable(request, pk)
    if not request.user.has_perm(perm, application):
        raise PermissionDenied
    return application


@login_required
@require_safe
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = viewable(request, pk)
    history = [
        {
            "from_state": c.from_state,
            "to_state": c.to_state,
            "by": c.by.username if c.by else None,
            "at": c.at.isoformat(timespec="minutes"),
            "note": c.note,
        }
        for c in application.changes.select_related("by")
    ]
    name = f"fund-application-{application.pk}-history"
    if download := respond(request, lambda: Table(name, HISTORY_COLUMNS, history)):
        return download
    return detail_page(request, application)


@login_required
@require_POST
def add_target(request: HttpRequest, pk: int) -> HttpResponse:
    application = changeable(request, pk)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            applications.add_target(application, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Target added.")
            return redirect(url_of(application))
    return detail_page(request, application, target_form=form)


@login_required
@require_POST
def add_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    application = changeable(request, pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            applications.add_milestone(application, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Milestone added.")
            return redirect(url_of(application))
    return detail_page(request, application, milestone_form=form)
