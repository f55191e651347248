"""Correcting one observation by hand: a new revision with its reason, by someone who may
write for its authority; anyone else is refused with a 403 on every route and the store is
left exactly as it was."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from ambition.accounts.models import AuditEntry
from ambition.accounts.people import RoleSpec, create_person
from ambition.accounts.tokens import issue_token
from ambition.indicators.models import ImportBatch, Observation

pytestmark = pytest.mark.django_db
LAMBETH, SOUTHWARK = "E09000022", "E09000028"
INDICATOR = "recycling-rate"


@pytest.fixture
def officer() -> Any:
    return create_person("lambeth-officer", "pw-lambeth-12", [RoleSpec.parse(f"officer:{LAMBETH}")])


def latest(code: str) -> Observation:
    return (
        Observation.private_objects.latest_revision()
        .filter(authority__code=code, indicator__code=INDICATOR, value__isnull=False)
        .order_by("-period__end")
        .select_related("period")
        .first()
    )


def store() -> tuple[Any, ...]:
    """Everything a refused write could have touched."""
    rows = Observation.private_objects.order_by("pk").values_list("pk", "value", "is_latest")
    return (
        tuple(rows),
        ImportBatch.objects.count(),
        AuditEntry.objects.exclude(model="auth.user").filter(action="create").count(),
    )


def signed_in(user: Any, enforce_csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    return client


FORM = {"value": "33.3", "status": "", "reason": "The return double-counted garden waste"}


def test_an_officer_corrects_their_own_authority_and_both_revisions_stay(officer: Any) -> None:
    before = latest(LAMBETH)
    response = signed_in(officer).post(f"/observations/{before.pk}/revise/", FORM)
    assert response.status_code == 302
    made = latest(LAMBETH)
    assert (made.revision, made.value, made.batch.reason) == (
        before.revision + 1,
        33.3,
        FORM["reason"],
    )
    assert made.batch.user == officer and made.batch.origin == "form"
    old = Observation.private_objects.get(pk=before.pk)
    assert (old.is_latest, old.value) == (False, before.value)
    page = Client().get(response["Location"]).content.decode()
    assert FORM["reason"] in page and str(before.value) in page and "33.3" in page
    entry = AuditEntry.objects.filter(model="indicators.observation", object_id=str(made.pk)).get()
    assert (entry.user, entry.via, entry.after["value"]) == (officer, "page", 33.3)


def test_an_officer_is_refused_another_authority_on_every_route(officer: Any) -> None:
    other = latest(SOUTHWARK)
    _, raw = issue_token(officer, "script")
    unchanged = store()
    client = signed_in(officer)
    attempts = {
        "form page": client.get(f"/observations/{other.pk}/revise/"),
        "form post": client.post(f"/observations/{other.pk}/revise/", FORM),
        # A post crafted by hand: the right form, aimed at another authority's value.
        "crafted post": client.post(
            f"/observations/{other.pk}/revise/",
            {**FORM, "authority": LAMBETH, "value": "1"},
        ),
        "download url": client.get(f"/observations/{other.pk}/revise/", {"format": "csv"}),
        "api": Client().post(
            f"/api/v1/observations/{other.pk}/revisions",
            json.dumps({"value": 1.0, "reason": "x"}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        ),
        "api with session": client.post(
            f"/api/v1/observations/{other.pk}/revisions",
            json.dumps({"value": 1.0, "reason": "x"}),
            content_type="application/json",
        ),
    }
    assert {name: r.status_code for name, r in attempts.items()} == dict.fromkeys(attempts, 403)
    assert store() == unchanged


def test_a_form_post_without_its_csrf_token_is_refused(officer: Any) -> None:
    own = latest(LAMBETH)
    unchanged = store()
    response = signed_in(officer, enforce_csrf=True).post(f"/observations/{own.pk}/revise/", FORM)
    assert response.status_code == 403
    assert store() == unchanged


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"value": "-12"}, "value"),  # a negative percentage
        ({"reason": ""}, "reason"),
        ({"value": "", "status": ""}, "value"),  # no value, and no status saying why
        ({"lower": "40", "upper": "30"}, "lower"),
        ({"status": "missing"}, "status"),  # a number that says it is missing
    ],
)
def test_a_bad_correction_is_explained_and_writes_nothing(
    officer: Any, change: dict[str, str], field: str
) -> None:
    own = latest(LAMBETH)
    unchanged = store()
    response = signed_in(officer).post(f"/observations/{own.pk}/revise/", {**FORM, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "There is a problem" in response.content.decode()
    assert store() == unchanged


def test_the_same_value_again_is_not_a_revision(officer: Any) -> None:
    own = latest(LAMBETH)
    unchanged = store()
    response = signed_in(officer).post(
        f"/observations/{own.pk}/revise/", {**FORM, "value": repr(own.value)}
    )
    assert "nothing to correct" in response.content.decode()
    assert store() == unchanged


def test_a_script_corrects_through_the_api_and_keeps_the_restriction(officer: Any) -> None:
    own = latest(LAMBETH)
    _, raw = issue_token(officer, "script")
    response = Client().post(
        f"/api/v1/observations/{own.pk}/revisions",
        json.dumps({"value": 30.5, "status": "provisional", "reason": "late return"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [r["value"] for r in body["revisions"][:2]] == [30.5, own.value]
    assert body["latest"]["status"] == "provisional"
    made = latest(LAMBETH)
    assert (made.batch.origin, made.restricted_until) == ("api", own.restricted_until)
    history = Client().get(f"/api/v1/observations/{own.pk}").json()
    assert history["latest"]["id"] == made.pk and len(history["revisions"]) == own.revision + 1


def test_the_history_downloads_as_csv_without_names_for_the_public(officer: Any) -> None:
    own = latest(LAMBETH)
    signed_in(officer).post(f"/observations/{own.pk}/revise/", FORM)
    text = Client().get(f"/observations/{own.pk}/", {"format": "csv"}).content.decode()
    assert text.splitlines()[0].startswith("Revision,Value")
    assert FORM["reason"] in text and "lambeth-officer" not in text
