"""The import page, its background jobs and what each import changed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from ..forms import ImportForm
from ..jobs import read_progress, start_import, writable_by
from ..models import ImportBatch, ImportJob, Observation


@login_required
@permission_required("indicators.add_observation", raise_exception=True)
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = start_import(
            form.cleaned_data["file"],
            user=request.user,
            indicator=form.cleaned_data["indicator"],
            dry_run=form.cleaned_data["dry_run"],
            restricted_until=form.cleaned_data["restricted_until"],
        )
        return redirect(job)
    return render(
        request,
        "indicators/import.html",
        {
            "form": form,
            "jobs": ImportJob.objects.select_related("user")[:10],
            "batches": ImportBatch.objects.select_related("user")[:20],
        },
    )


@login_required
@permission_required("indicators.add_observation", raise_exception=True)
@require_safe
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's page; htmx asks again for its status part until the job has finished."""
    job = get_object_or_404(ImportJob.objects.select_related("user", "batch"), pk=pk)
    if job.user_id != request.user.pk and writable_by(request.user) is not None:
        raise PermissionDenied("another person's import")
    partial = request.headers.get("HX-Request") == "true"
    template = f"indicators/{'includes/import_job_status' if partial else 'import_job'}.html"
    progress = read_progress(job.pk)
    return render(
        request,
        template,
        {
            "job": job,
            "report": job.report,
            "progress": progress,
            "percent": round(100 * progress.get("fraction", 0.0)),
            "finished": job.state in (ImportJob.State.DONE, ImportJob.State.FAILED),
        },
    )


@login_required
@permission_required("indicators.add_observation", raise_exception=True)
@require_safe
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch.objects.select_related("user"), pk=pk)
    written = list(
        Observation.private_objects.visible_to(request.user)
        .filter(batch=batch)
        .with_codes()
        .order_by("indicator__code", "authority__code", "period__start")[:200]
    )
    return render(
        request,
        "indicators/batch_detail.html",
        {
            "batch": batch,
            "revisions": [(o, _previous(o)) for o in written],
        },
    )


def _previous(observation: Observation) -> Observation | None:
    """The revision this one replaced: what the value was before the import."""
    if observation.revision == 1:
        return None
    return (
        Observation.private_objects.filter(
            authority_id=observation.authority_id,
            indicator_id=observation.indicator_id,
            period_id=observation.period_id,
            revision=observation.revision - 1,
        )
        .select_related("batch")
        .first()
    )
