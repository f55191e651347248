"""Limits on uploads, stated by the import page before anyone uploads and enforced while an
upload streams: a file over the size limit is dropped as it arrives and nothing is kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ambition.indicators.jobs import uploads_dir
from ambition.indicators.models import ImportJob
from ambition.web.uploads import RefusedUpload

pytestmark = pytest.mark.django_db
LAMBETH, EMPLOYMENT = "E09000022", "ons-employment-rate"


def test_the_import_page_states_the_limits_before_the_upload(
    client: Client, analyst: Any, settings: Any
) -> None:
    settings.UPLOAD_MAX_MB, settings.IMPORT_MAX_ROWS = 7, 1234567
    client.force_login(analyst)
    hint = " ".join(client.get("/import/").content.decode().split())
    assert "up to 7 MB" in hint and "1,234,567 rows" in hint
    assert "columns" in hint and ".gz" in hint


def test_an_upload_over_the_size_limit_is_refused_while_it_streams_and_leaves_no_file(
    client: Client, analyst: Any, settings: Any, tmp_path: Path
) -> None:
    settings.UPLOAD_MAX_MB = 1
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # spill to a temporary file at once
    client.force_login(analyst)
    body = b"authority,indicator,period,value\n" + b"x" * (3 << 20)
    stored_before = set(uploads_dir().iterdir())
    jobs_before = ImportJob.objects.count()
    response = client.post(
        "/import/", {"file": SimpleUploadedFile("big.csv", body, content_type="text/csv")}
    )
    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    assert "larger than 1 MB" in page and "the limit is 1 MB" in page
    assert ImportJob.objects.count() == jobs_before
    assert set(uploads_dir().iterdir()) == stored_before
    assert list(tmp_path.iterdir()) == []


def test_an_upload_under_the_size_limit_is_imported(
    client: Client, analyst: Any, settings: Any
) -> None:
    settings.UPLOAD_MAX_MB = 1
    client.force_login(analyst)
    text = f"authority,indicator,period,value\n{LAMBETH},{EMPLOYMENT},2004,70.1\n"
    upload = SimpleUploadedFile("small.csv", text.encode(), content_type="text/csv")
    response = client.post("/import/", {"file": upload, "dry_run": "on"}, follow=True)
    assert response.status_code == 200
    job = ImportJob.objects.latest("pk")
    assert job.file_name == "small.csv" and job.report["ok"], job.report


def test_any_file_field_refuses_an_upload_over_the_limit_naming_the_limit() -> None:
    # The limit covers every upload (review reports too): any form's FileField says so.
    with pytest.raises(forms.ValidationError, match="larger than 3 MB; the limit is 3 MB"):
        forms.FileField().clean(RefusedUpload("report.pdf", 3))
