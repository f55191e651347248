"""The performance office's pages: an analyst makes a run from the page and enters judgements
(append-only, audited, downloadable), a cpa-2005 run then rates the member judged, and no one
else may do either: 403 and nothing written, or the sign-in page for the anonymous."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

import pytest
from django.test import Client

from ambition.accounts.models import AuditEntry
from ambition.accounts.people import RoleSpec, create_person
from ambition.assessment.jobs import DONE, QUEUED, read_job, record_job, run_assessment
from ambition.assessment.models import AssessmentRun, Judgement, RunRating
from ambition.registry.models import Authority

LAMBETH, SOUTHWARK = "E09000022", "E09000028"
RUN_NEW, JUDGEMENTS = "/assessment/runs/new/", "/assessment/judgements/"


@pytest.fixture(autouse=True)
def _jobs_in_a_temporary_directory(settings: Any, tmp_path: Any) -> None:
    settings.VAR_DIR = tmp_path


@pytest.fixture
def office(analyst: Any) -> Client:
    client = Client()
    client.force_login(analyst)
    return client


def judge(client: Client, code: str, key: str, score: int, reason: str = "") -> Any:
    lambeth = Authority.objects.get(code=code)
    return client.post(
        JUDGEMENTS,
        {
            "authority": lambeth.pk,
            "method": "cpa-2005",
            "key": key,
            "score": score,
            "reason": reason or f"{key} {score}: from the office's review of the evidence",
        },
    )


def test_an_analyst_makes_a_run_from_the_page(office: Client, analyst: Any) -> None:
    form = office.get(RUN_NEW)
    assert form.status_code == 200
    assert {"ambition-default", "cpa-2005"} <= {
        v for v, _ in form.context["form"]["method"].field.choices
    }
    response = office.post(
        RUN_NEW, {"method": "ambition-default", "period": "2023", "scope": "members"}
    )
    run = AssessmentRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert (run.created_by, run.via, run.as_of) == (analyst, "page", datetime.date(2023, 12, 31))
    assert run.ratings.count() == 35
    entry = AuditEntry.objects.get(model="assessment.assessmentrun", object_id=str(run.pk))
    assert (entry.action, entry.user, entry.via) == ("create", analyst, "command")
    assert entry.path == "task:run_assessment"


def test_a_bad_period_or_method_is_shown_in_an_error_summary_and_nothing_runs(
    office: Client,
) -> None:
    response = office.post(
        RUN_NEW, {"method": "no-such-method", "period": "last year", "scope": "members"}
    )
    text = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in text
    assert 'href="#id_period"' in text and 'href="#id_method"' in text
    assert "Enter a year such as 2023" in text
    assert not AssessmentRun.objects.exists()


def test_a_queued_job_shows_its_progress_and_a_finished_one_goes_to_its_run(
    office: Client, analyst: Any
) -> None:
    job = record_job("ambition-default", datetime.date.today(), "members", analyst)
    assert read_job(job.id).state == QUEUED
    waiting = office.get(job.url)
    assert waiting.status_code == 200 and 'data-job-state="queued"' in waiting.content.decode()
    run_id = run_assessment.call(job.id)
    assert read_job(job.id).state == DONE
    assert office.get(job.url)["Location"] == f"/assessment/runs/{run_id}/"
    followed = office.get(job.url, headers={"HX-Request": "true"})
    assert followed["HX-Redirect"] == f"/assessment/runs/{run_id}/"
    assert office.get("/assessment/runs/jobs/not-a-job/").status_code == 404
    assert office.get(f"/assessment/runs/jobs/{'0' * 32}/").status_code == 404


def test_a_judgement_is_recorded_with_who_and_why_and_audited(office: Client, analyst: Any) -> None:
    response = judge(office, LAMBETH, "corporate_assessment", 3, "Strong leadership, weak delivery")
    assert response.status_code == 302 and response["Location"] == JUDGEMENTS
    made = Judgement.objects.get()
    assert (made.authority.code, made.method, made.key, made.score) == (
        LAMBETH,
        "cpa-2005",
        "corporate_assessment",
        3,
    )
    assert made.entered_by == analyst and made.reason == "Strong leadership, weak delivery"
    entry = AuditEntry.objects.get(model="assessment.judgement", object_id=str(made.pk))
    assert (entry.action, entry.user, entry.via) == ("create", analyst, "page")
    assert entry.after["reason"] == "Strong leadership, weak delivery"
    page = office.get(JUDGEMENTS)
    assert [r["code"] for r in page.context["current"]] == [LAMBETH]
    assert "Recorded: Corporate assessment 3 for Lambeth" in page.content.decode()


def test_a_new_judgement_supersedes_and_both_stay_in_the_history_and_downloads(
    office: Client,
) -> None:
    judge(office, LAMBETH, "corporate_assessment", 2, "First view")
    judge(office, LAMBETH, "corporate_assessment", 4, "After the peer review")
    page = office.get(JUDGEMENTS)
    assert [r["score"] for r in page.context["current"]] == [4]
    assert [r["reason"] for r in page.context["history"]] == ["After the peer review", "First view"]
    history = office.get(JUDGEMENTS, {"format": "csv", "table": "history"})
    rows = list(csv.DictReader(io.StringIO(history.content.decode())))
    assert [(r["Score"], r["Entered by"]) for r in rows] == [
        ("4", "test-analyst"),
        ("2", "test-analyst"),
    ]
    current = json.loads(office.get(JUDGEMENTS, {"format": "json"}).content)
    assert current["table"] == "current" and [r["reason"] for r in current["rows"]] == [
        "After the peer review"
    ]
    assert office.get(JUDGEMENTS, {"format": "csv", "table": "secret"}).status_code == 404


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"reason": "   "}, "This field is required"),
        ({"score": "5"}, "Select a valid choice"),
        ({"key": "use_of_money"}, "Select a valid choice"),
        ({"method": "ambition-default"}, "Select a valid choice"),
    ],
)
def test_a_judgement_that_is_not_complete_or_not_valid_writes_nothing(
    office: Client, change: dict[str, str], problem: str
) -> None:
    data = {
        "authority": Authority.objects.get(code=LAMBETH).pk,
        "method": "cpa-2005",
        "key": "use_of_resources",
        "score": "3",
        "reason": "Sound finances",
        **change,
    }
    response = office.post(JUDGEMENTS, data)
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert problem in response.content.decode()
    assert not Judgement.objects.exists()


def test_a_cpa_run_after_the_judgements_rates_the_member_judged(office: Client) -> None:
    judge(office, LAMBETH, "corporate_assessment", 3)
    judge(office, LAMBETH, "use_of_resources", 3)
    office.post(RUN_NEW, {"method": "cpa-2005", "period": "", "scope": "members"})
    run = AssessmentRun.objects.get(method="cpa-2005")
    lambeth = RunRating.objects.get(run=run, authority__code=LAMBETH)
    southwark = RunRating.objects.get(run=run, authority__code=SOUTHWARK)
    assert lambeth.stars is not None and lambeth.rule_id.startswith("ca3")
    assert {p["key"]: p["score"] for p in lambeth.judgement_parts} == {
        "corporate_assessment": 3,
        "use_of_resources": 3,
    }
    assert southwark.stars is None
    assert {m["input"] for m in southwark.missing} >= {"corporate_assessment", "use_of_resources"}
    assert [(j["authority"], j["key"]) for j in run.judgements_used] == [
        (LAMBETH, "corporate_assessment"),
        (LAMBETH, "use_of_resources"),
    ]


@pytest.mark.parametrize("role", ["resident", "officer", "board"])
def test_no_one_but_the_office_may_run_or_judge(role: str, db: None) -> None:
    specs = {"resident": [], "officer": ["officer:E09000022"], "board": ["board"]}[role]
    person = create_person(
        f"not-{role}", "password-not-office-1", [RoleSpec.parse(s) for s in specs]
    )
    client = Client()
    client.force_login(person)
    assert client.get(RUN_NEW).status_code == 403
    assert (
        client.post(RUN_NEW, {"method": "ambition-default", "scope": "members"}).status_code == 403
    )
    assert client.get(JUDGEMENTS).status_code == 403
    assert judge(client, LAMBETH, "corporate_assessment", 4).status_code == 403
    assert not AssessmentRun.objects.exists() and not Judgement.objects.exists()


@pytest.mark.django_db
def test_the_anonymous_are_sent_to_sign_in(client: Client) -> None:
    for path in (RUN_NEW, JUDGEMENTS):
        response = client.post(path, {"method": "ambition-default", "scope": "members"})
        assert response.status_code == 302 and response["Location"].startswith("/account/login/")
    assert not AssessmentRun.objects.exists() and not Judgement.objects.exists()


def test_the_forms_need_the_csrf_token(analyst: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    assert judge(client, LAMBETH, "corporate_assessment", 4).status_code == 403
    assert not Judgement.objects.exists()
