"""The import page, its background jobs and what each import changed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from ..forms import ImportForm
from ..jobs import read_progress, start_import
from ..models import ImportBatch, ImportJob, Observation, ObservationQuerySet


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
            "jobs": ImportJob.objects.visible_to(request.user).select_related("user")[:10],
            "batches": ImportBatch.objects.visible_to(request.user).select_related("user")[:20],
        },
    )


@login_required
@permission_required("indicators.add_observation", raise_exception=True)
@require_safe
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's page; htmx asks again for its status part until the job has finished."""
    # Another person's job answers as if it did not exist, as on the import page's list.
    seen = ImportJob.objects.visible_to(request.user)
    job = get_object_or_404(seen.select_related("user", "batch"), pk=pk)
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
    seen = ImportBatch.objects.visible_to(request.user).select_related("user")
    batch = get_object_or_404(seen, pk=pk)
    readable = Observation.private_objects.visible_to(request.user)
    written = list(
        readable.filter(batch=batch)
        .with_codes()
        .order_by("indicator__code", "authority__code", "period__start")[:200]
    )
    before = _previous(readable, written)
    return render(
        request,
        "indicators/batch_detail.html",
        {
            "batch": batch,
            "revisions": [
                (o, before.get((o.authority_id, o.indicator_id, o.period_id, o.revision - 1)))
                for o in written
            ],
        },
    )


def _previous(
    readable: ObservationQuerySet, written: list[Observation]
) -> dict[tuple[int, int, int, int], Observation]:
    """The revisions these replaced that the viewer may see, in one query: what each value
    was before the import. A restricted one is left out, and the page says it is hidden."""
    keys = {(o.authority_id, o.indicator_id, o.period_id) for o in written if o.revision > 1}
    if not keys:
        return {}
    earlier = readable.filter(
        authority_id__in={k[0] for k in keys},
        indicator_id__in={k[1] for k in keys},
        period_id__in={k[2] for k in keys},
    ).select_related("batch")
    return {(o.authority_id, o.indicator_id, o.period_id, o.revision): o for o in earlier}
