"""Data a viewer may not see, through the import pages and the correction form: an earlier
revision restricted to its council stays hidden on the batch page, a restricted observation's
correction form answers 404 like its page, and the import page lists only the viewer's own
jobs and their authority's batches (the performance office sees them all)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ambition.accounts.people import RoleSpec, create_person
from ambition.indicators.imports import import_observations
from ambition.indicators.models import ImportBatch, ImportJob, Observation

pytestmark = pytest.mark.django_db
LAMBETH, SOUTHWARK = "E09000022", "E09000028"
INDICATOR = "ons-employment-rate"
SECRET = "61.2345"  # Southwark's restricted value: it appears nowhere else in the shipped data
PUBLIC = "62.5432"
UNTIL = datetime.date(2099, 12, 31)


def imported(tmp_path: Path, name: str, rows: list[str], **options: Any) -> ImportBatch:
    path = tmp_path / name
    path.write_text("authority,indicator,period,value\n" + "\n".join(rows) + "\n")
    report = import_observations(path, origin="cli", **options)
    assert report.ok and report.batch_id is not None, report.problems
    return ImportBatch.objects.get(pk=report.batch_id)


def person(name: str, role: str) -> Any:
    return create_person(name, f"{name}-password-1", [RoleSpec.parse(role)])


@pytest.fixture
def people() -> dict[str, Any]:
    return {
        "lambeth": person("leak-lambeth", f"officer:{LAMBETH}"),
        "southwark": person("leak-southwark", f"officer:{SOUTHWARK}"),
        "analyst": person("leak-analyst", "analyst"),
    }


def client_of(who: Any) -> Client:
    client = Client()
    client.force_login(who)
    return client


def secret_then_public(tmp_path: Path) -> ImportBatch:
    """Southwark's value restricted until 2099, then a public value over it, in a file that
    also writes a Lambeth value (so Lambeth's officer may read the batch)."""
    imported(
        tmp_path, "secret.csv", [f"{SOUTHWARK},{INDICATOR},2031,{SECRET}"], restricted_until=UNTIL
    )
    return imported(
        tmp_path,
        "over.csv",
        [f"{SOUTHWARK},{INDICATOR},2031,{PUBLIC}", f"{LAMBETH},{INDICATOR},2031,70.1"],
    )


def test_the_batch_page_hides_a_restricted_value_before(
    tmp_path: Path, people: dict[str, Any]
) -> None:
    batch = secret_then_public(tmp_path)
    page = client_of(people["lambeth"]).get(f"/import/{batch.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert PUBLIC in text and SECRET not in text and "secret.csv" not in text
    assert "Restricted: not shown" in text
    for allowed in ("southwark", "analyst"):
        assert SECRET in client_of(people[allowed]).get(f"/import/{batch.pk}/").content.decode()


def test_every_history_hides_the_restricted_revision_alike(
    tmp_path: Path, people: dict[str, Any]
) -> None:
    """The batch page, the observation's page and downloads, and the API agree."""
    batch = secret_then_public(tmp_path)
    latest = Observation.private_objects.get(value=float(PUBLIC))
    lambeth = client_of(people["lambeth"])
    surfaces = [
        f"/import/{batch.pk}/",
        f"/observations/{latest.pk}/",
        f"/observations/{latest.pk}/?format=csv",
        f"/observations/{latest.pk}/?format=json",
        f"/api/v1/observations/{latest.pk}",
    ]
    for path in surfaces:
        response = lambeth.get(path)
        assert response.status_code == 200, path
        assert SECRET not in response.content.decode(), path


def test_a_restricted_observations_correction_form_answers_404_like_its_page(
    tmp_path: Path, people: dict[str, Any]
) -> None:
    imported(
        tmp_path, "secret.csv", [f"{SOUTHWARK},{INDICATOR},2031,{SECRET}"], restricted_until=UNTIL
    )
    secret = Observation.private_objects.get(value=float(SECRET))
    lambeth = client_of(people["lambeth"])
    assert lambeth.get(f"/observations/{secret.pk}/").status_code == 404
    assert lambeth.get(f"/observations/{secret.pk}/revise/").status_code == 404
    assert lambeth.post(f"/observations/{secret.pk}/revise/", {}).status_code == 404
    api = f"/api/v1/observations/{secret.pk}/revisions"
    body = {"value": 1.0, "reason": "probing"}
    assert lambeth.post(api, body, content_type="application/json").status_code == 404
    assert (
        client_of(people["southwark"]).get(f"/observations/{secret.pk}/revise/").status_code == 200
    )
    # A value Lambeth may read but not write stays a refusal, not a 404.
    public = (
        Observation.private_objects.published()
        .latest_revision()
        .filter(authority__code=SOUTHWARK)
        .first()
    )
    assert public is not None
    assert lambeth.get(f"/observations/{public.pk}/revise/").status_code == 403
    api = f"/api/v1/observations/{public.pk}/revisions"
    assert lambeth.post(api, body, content_type="application/json").status_code == 403


def test_the_import_page_lists_own_jobs_and_own_authoritys_batches(
    tmp_path: Path, people: dict[str, Any]
) -> None:
    southwark = people["southwark"]
    theirs = imported(
        tmp_path,
        "southwark-private-plans.csv",
        [f"{SOUTHWARK},{INDICATOR},2031,55.5"],
        user=southwark,
    )
    job = ImportJob.objects.create(
        upload="x.csv", file_name="southwark-job-file.csv", user=southwark, state="done"
    )
    lambeth = client_of(people["lambeth"])
    page = lambeth.get("/import/").content.decode()
    assert "southwark-private-plans.csv" not in page and "southwark-job-file.csv" not in page
    assert lambeth.get(f"/import/{theirs.pk}/").status_code == 404
    assert lambeth.get(f"/import/jobs/{job.pk}/").status_code == 404
    for allowed in ("southwark", "analyst"):
        page = client_of(people[allowed]).get("/import/").content.decode()
        assert "southwark-private-plans.csv" in page and "southwark-job-file.csv" in page
        assert client_of(people[allowed]).get(f"/import/{theirs.pk}/").status_code == 200


def test_an_observations_history_names_who_imported_only_with_their_batch(
    tmp_path: Path, people: dict[str, Any]
) -> None:
    """Who ran another council's import, and its batch's page, are its own business; the
    file a public value came from stays its provenance for everyone."""
    southwark = people["southwark"]
    batch = imported(
        tmp_path, "southwark-2031.csv", [f"{SOUTHWARK},{INDICATOR},2031,55.5"], user=southwark
    )
    value = Observation.private_objects.get(batch=batch)
    link = f"/import/{batch.pk}/"
    lambeth = client_of(people["lambeth"]).get(f"/observations/{value.pk}/").content.decode()
    assert "southwark-2031.csv" in lambeth
    assert "leak-southwark" not in lambeth and link not in lambeth
    for allowed in ("southwark", "analyst"):
        text = client_of(people[allowed]).get(f"/observations/{value.pk}/").content.decode()
        assert "leak-southwark" in text and link in text
