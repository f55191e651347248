"""The steps that move an application on, each a POST from its page: a partner council's
officer confirms a joint bid; the lead council's officer submits or withdraws it; the
office appraises it against the published criteria; the board decides. The engine
(ambition.fund.applications) checks the state and writes; its refusals come back as the
form's errors, with nothing written."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from .. import applications, criteria
from ..applications import ApplicationError
from ..awards import GrantError
from ..criteria import InvalidScores
from ..forms import AppraisalForm, DecisionForm, NoteForm
from ..models import Partner
from .applications import CHANGE, changeable, detail_page, url_of, viewable

REFUSALS = (ApplicationError, GrantError, InvalidScores)


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int, partner: int) -> HttpResponse:
    """The partner council's own officer (or the office) confirms it takes part."""
    application = viewable(request, pk)
    taking_part = get_object_or_404(Partner, pk=partner, application=application)
    if not request.user.has_perm(CHANGE, taking_part.authority):
        raise PermissionDenied
    form = NoteForm(request.POST)
    try:
        applications.confirm_partner(application, taking_part.authority, request.user)
    except ApplicationError as error:
        form.add_error(None, str(error))
        return detail_page(request, application, note_form=form)
    messages.success(request, f"{taking_part.authority.name} confirmed its part in the bid.")
    return redirect(url_of(application))


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return move(request, pk, applications.submit, "Application submitted to the office.")


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return move(request, pk, applications.withdraw, "Application withdrawn.")


def move(request: HttpRequest, pk: int, step: object, done: str) -> HttpResponse:
    application = changeable(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            step(application, request.user, form.cleaned_data["note"])  # type: ignore[operator]
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect(url_of(application))
    return detail_page(request, application, note_form=form)


@login_required
@require_POST
def appraise(request: HttpRequest, pk: int) -> HttpResponse:
    application = changeable(request, pk, "fund.add_appraisal")
    form = AppraisalForm(request.POST, published=criteria.load())
    if form.is_valid():
        try:
            made = applications.appraise(
                application, request.user, form.scores(), form.cleaned_data["comments"]
            )
        except REFUSALS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Appraisal recorded: {made.total} out of 100.")
            return redirect(url_of(application))
    return detail_page(request, application, appraisal_form=form)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = changeable(request, pk, "fund.add_decision")
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = applications.decide(
                application,
                request.user,
                data["outcome"],
                reasons=data["reasons"],
                conditions=data["conditions"],
                amount=data["amount"],
                day=data["decided_on"],
            )
        except REFUSALS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Decision recorded: {made.get_outcome_display()}.")
            return redirect(url_of(application))
    return detail_page(request, application, decision_form=form)
