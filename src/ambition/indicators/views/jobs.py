"""Running a failed import job again, from its page: a new job over the same stored file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from ..jobs import may_rerun, rerun
from ..models import ImportJob


@login_required
@permission_required("indicators.add_observation", raise_exception=True)
@require_POST
def rerun_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the job may run it again, with their own rights to write. A job that
    has not failed, or whose file is no longer kept, goes back to its page, which says why."""
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    if not may_rerun(job):
        return redirect(job)
    return redirect(rerun(job, request.user))
