"""The failed-job part of an import job's page: why it failed, and the button that runs it
again while its file is kept."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from ..jobs import failure_of, may_rerun, upload_kept
from ..models import ImportJob

register = template.Library()


@register.inclusion_tag("indicators/includes/import_job_failed.html", takes_context=True)
def import_job_failure(context: template.Context, job: ImportJob) -> dict[str, Any]:
    return {
        "job": job,
        "failure": failure_of(job),
        "may_rerun": may_rerun(job),
        "upload_kept": upload_kept(job),
        "retention_days": settings.UPLOAD_RETENTION_DAYS,
        "csrf_token": context.get("csrf_token"),
    }
