"""Hostile query parameters and form fields get a clear refusal (400, 404 or a form error),
never a 500 (issue 9, item 9): first the cases found, then a walk over every page of the
permission matrix with hostile values in every parameter and every field of its forms."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client

from ambition.support.models import ActionPlanItem
from tests import test_permission_matrix
from tests.support.samples import review_samples
from tests.test_permission_matrix import MATRIX, sample_path

pytestmark = pytest.mark.django_db
people = test_permission_matrix.people  # the matrix's people, one for each role

TWENTY_DIGITS = "9" * 20
# Not a number, a digit that int() refuses, too big for any id, and text a database refuses.
HOSTILE = (
    "abc",
    "²",
    TWENTY_DIGITS,
    "-1",
    "1e309",
    "NaN",
    "\u0661\u0662",
    "x\x00y",
    "%",
    "9999-12-31",
    "0001-01-01",
)
# Every query parameter a page reads (grep request.GET), and the pages' filter forms.
QUERY_NAMES = (
    "run", "area", "warning", "compare", "k", "set", "page", "year", "q", "service_area",
    "focus", "authorities", "limits", "method", "kind", "region", "current", "authority",
    "user", "model", "object_id", "action", "date_from", "date_to", "table", "format",
)  # fmt: skip
SELECTORS = ("table", "format", "set", "method", "kind")  # an unknown one may 404 first


def signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.mark.parametrize(
    "query",
    [
        "run=abc&area=1",
        "run=1&area=abc",
        "run=1&warning=abc",
        f"run={TWENTY_DIGITS}&area=1",
        f"run=1&area={TWENTY_DIGITS}",
        "run=²&warning=²",
    ],
)
def test_asking_from_a_bad_prompt_is_refused_not_a_crash(
    query: str, people: dict[str, Any]
) -> None:
    response = signed_in(people["officer"]).get(f"/support/requests/new/?{query}")
    assert response.status_code in (200, 400, 404)


@pytest.mark.parametrize("field", ["run", "area", "warning"])
@pytest.mark.parametrize("value", ["abc", "²", TWENTY_DIGITS, "-1"])
def test_a_bad_hidden_prompt_is_a_form_error(
    field: str, value: str, people: dict[str, Any]
) -> None:
    data = {"run": "1", field: value, "authority": "", "problem": "x"}
    response = signed_in(people["officer"]).post("/support/requests/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize("done", ["²", "abc", TWENTY_DIGITS, "-1", "\u0661"])
def test_marking_a_bad_action_done_is_not_found(done: str, people: dict[str, Any]) -> None:
    review = review_samples("{review}")["review"]
    item = ActionPlanItem.objects.create(
        review_id=review, action="Hold a workshop", owner="Director", due=datetime.date(2026, 9, 1)
    )
    response = signed_in(people["administrator"]).post(
        f"/support/reviews/{review}/actions/", {"done": done}
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.done_on is None


def form_fields(html: str) -> set[str]:
    """The names of the fields of a page's forms, as a browser would send them."""
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', html))
    return names - {"csrfmiddlewaretoken"}


PAGES = sorted(p for p in MATRIX if not p.startswith(("admin/", "api/")) and "." not in p)


@pytest.mark.parametrize("pattern", PAGES)
def test_every_page_refuses_hostile_parameters_and_fields_without_crashing(
    pattern: str, people: dict[str, Any]
) -> None:
    path = sample_path(pattern, people["administrator"]).split("?")[0]
    client = signed_in(people["administrator"])
    page = client.get(path)
    # A file (an attachment, a network's output) streams: it has no forms to fill.
    body = b"" if page.streaming else page.content
    fields = form_fields(body.decode(errors="replace"))
    for value in HOSTILE:
        every = dict.fromkeys(QUERY_NAMES, value)
        for query in (every, {k: v for k, v in every.items() if k not in SELECTORS}):
            assert client.get(path, query).status_code < 500, (path, query)
        if fields and "POST" in MATRIX[pattern][1] and "logout" not in path:
            sent = dict.fromkeys(fields, value)
            assert client.post(path, sent).status_code < 500, (path, sent)


@pytest.mark.parametrize("value", ["abc", "²", TWENTY_DIGITS, "-1"])
def test_a_bad_authority_to_avoid_is_a_form_error(value: str, people: dict[str, Any]) -> None:
    response = signed_in(people["officer"]).post("/support/requests/new/", {"avoid": value})
    assert response.status_code == 200
    assert "avoid" in response.context["form"].errors
