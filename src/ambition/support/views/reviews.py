"""Peer review pages: the list, asking for a review, and one review's page (stage and
timeline, team, documents, action plan, the area's indicators before and after) with the
forms that move it on. The server checks every permission; names are shown only to the
performance office and the two parties (`ReviewTeamMember.private_objects.visible_to`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from ambition.web.parameters import object_id
from ambition.web.tables import Table, respond

from .. import review_lifecycle as lifecycle
from ..models import ActionPlanItem, PeerReview, ReviewStage
from ..outcomes import summary
from .review_forms import ActionForm, DetailsForm, ReviewRequestForm, StageForm, TeamMemberForm
from .review_tables import LIST_COLUMNS, detail_tables, download, review_row, team_composition


@login_required
@permission_required("support.view_supportrequest", raise_exception=True)
@require_safe
def review_list(request: HttpRequest) -> HttpResponse:
    reviews = PeerReview.objects.select_related("request__authority", "request__service_area")
    rows = [review_row(r) for r in reviews]
    if found := respond(request, lambda: Table("peer-reviews", LIST_COLUMNS, rows)):
        return found
    may_ask = request.user.has_perm("support.add_peerreview")
    return render(request, "support/review_list.html", {"rows": rows, "may_ask": may_ask})


@login_required
@permission_required("support.add_peerreview", raise_exception=True)
def review_new(request: HttpRequest) -> HttpResponse:
    form = ReviewRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.has_perm("support.add_peerreview", data["authority"]):
            raise PermissionDenied
        window = (data["window_start"], data["window_end"])
        review = lifecycle.request_review(
            data["authority"],
            data["service_area"],
            data["problem"],
            data["staff_days"],
            window,
            request.user,
        )
        messages.success(request, f"{review} requested.")
        return redirect(review.get_absolute_url())
    return render(request, "support/review_new.html", {"form": form})


def _review(pk: int) -> PeerReview:
    found = PeerReview.objects.select_related("request__authority", "request__service_area")
    return get_object_or_404(found, pk=pk)


def permissions(user: Any, review: PeerReview) -> dict[str, bool]:
    return {
        "may_move": user.has_perm("support.change_peerreview", review),
        "may_add_team": user.has_perm("support.add_reviewteammember"),
        "may_act": user.has_perm("support.add_actionplanitem", review),
    }


@login_required
@permission_required("support.view_supportrequest", raise_exception=True)
@require_safe
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(pk)
    tables = detail_tables(review, request.user)
    if found := respond(request, lambda: download(request, review, tables)):
        return found
    return render(request, "support/review_detail.html", page_context(request, review, tables))


def page_context(
    request: HttpRequest, review: PeerReview, tables: dict[str, Any], **forms: Any
) -> dict[str, Any]:
    user = request.user
    stages = [
        {"label": label, "done": i < review.stage_index, "current": i == review.stage_index}
        for i, label in enumerate(ReviewStage.labels)
    ]
    return {
        "review": review,
        "stages": stages,
        "next_stage": lifecycle.next_stage(review),
        "composition": team_composition(review),
        "outcome": summary([r["source"] for r in tables["indicators"]]),
        "stage_form": forms.get("stage_form") or StageForm(review=review),
        "details_form": forms.get("details_form") or DetailsForm(instance=review),
        "team_form": forms.get("team_form") or TeamMemberForm(user=user),
        "action_form": forms.get("action_form") or ActionForm(),
        **tables,
        **permissions(user, review),
    }


def _rerender(request: HttpRequest, review: PeerReview, **forms: Any) -> HttpResponse:
    tables = detail_tables(review, request.user)
    context = page_context(request, review, tables, **forms)
    return render(request, "support/review_detail.html", context, status=400)


@login_required
@require_POST
def review_stage(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(pk)
    if not request.user.has_perm("support.change_peerreview", review):
        raise PermissionDenied
    form = StageForm(request.POST, review=review)
    if form.is_valid():
        try:
            lifecycle.advance(
                review, form.cleaned_data["to_stage"], request.user, form.cleaned_data["note"]
            )
        except lifecycle.StageError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Moved to {ReviewStage(review.stage).label}.")
            return redirect(review.get_absolute_url())
    return _rerender(request, review, stage_form=form)


@login_required
@require_POST
def review_details(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(pk)
    if not request.user.has_perm("support.change_peerreview", review):
        raise PermissionDenied
    form = DetailsForm(request.POST, request.FILES, instance=review)
    if not form.is_valid():
        return _rerender(request, review, details_form=form)
    form.save()
    messages.success(request, "The review's details are saved.")
    return redirect(review.get_absolute_url())


@login_required
@require_POST
def review_team(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(pk)
    if not request.user.has_perm("support.add_reviewteammember"):
        raise PermissionDenied
    form = TeamMemberForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        if not request.user.has_perm("support.add_reviewteammember", data["authority"]):
            raise PermissionDenied
        try:
            lifecycle.add_team_member(
                review, data["name"], data["authority"], data["role"], data["party"], data["days"]
            )
        except lifecycle.StageError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Added to the team, from {data['authority']}.")
            return redirect(review.get_absolute_url() + "#team")
    return _rerender(request, review, team_form=form)


@login_required
@require_POST
def review_actions(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an action to the plan, or (with `done`, an action's id) mark one done today."""
    review = _review(pk)
    if not request.user.has_perm("support.add_actionplanitem", review):
        raise PermissionDenied
    if done := request.POST.get("done", "").strip():
        item = get_object_or_404(ActionPlanItem, review=review, pk=object_id(done) or 0)
        if item.done_on is None:
            item.done_on = timezone.localdate()
            item.save(update_fields=["done_on"])
        return redirect(review.get_absolute_url() + "#actions")
    form = ActionForm(request.POST)
    if not form.is_valid():
        return _rerender(request, review, action_form=form)
    ActionPlanItem.objects.create(review=review, **form.cleaned_data)
    messages.success(request, "Action added to the plan.")
    return redirect(review.get_absolute_url() + "#actions")


@login_required
@require_safe
def review_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The report or action plan: the attached file, else the text as a text file."""
    review = _review(pk)
    if not request.user.has_perm("support.view_peerreview_documents", review):
        raise PermissionDenied
    if kind not in ("report", "action-plan"):
        raise Http404("No such document")
    attached = review.report if kind == "report" else review.action_plan
    text = review.report_text if kind == "report" else review.action_plan_text
    if attached:
        return FileResponse(
            attached.open("rb"), as_attachment=True, filename=attached.name.rsplit("/", 1)[-1]
        )
    if not text.strip():
        raise Http404("Nothing attached")
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="peer-review-{review.pk}-{kind}.txt"'
    return response
