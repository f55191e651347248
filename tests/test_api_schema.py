"""Schemathesis against the OpenAPI description, in process: for every operation and each
kind of caller, no response is a server error and every response matches the schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ambition.accounts.people import RoleSpec, create_person
from ambition.accounts.tokens import issue_token
from ambition.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
# A period is any label the importer reads (2019/20, Mar 2019, 2004-01-01/P1Y...): richer
# than a JSON Schema pattern can say, so a well-formed string may still be refused, with a
# documented 422 that says why. Every other check runs.
EXCLUDED = [positive_data_acceptance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Calling the WSGI app in process sends request_started and request_finished, which
    would close the test's database connection mid-transaction; Django's own test client
    holds these back in the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_schema_for_anonymous_callers(case: schemathesis.Case) -> None:
    case.call_and_validate(excluded_checks=EXCLUDED)


ROLE_SPECS = {
    "officer": "officer:E09000022",
    "analyst": "analyst",
    "board": "board",
    "administrator": "administrator",
}


@pytest.fixture(params=sorted(ROLE_SPECS))
def bearer(request: pytest.FixtureRequest) -> dict[str, str]:
    """A real API token for a person holding each role."""
    person = create_person(
        f"schema-{request.param}", "schema-password-1", [RoleSpec.parse(ROLE_SPECS[request.param])]
    )
    _, raw = issue_token(person, "schemathesis")
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_schema_for_every_role_token(
    case: schemathesis.Case, bearer: dict[str, str]
) -> None:
    response = case.call_and_validate(headers=bearer, excluded_checks=EXCLUDED)
    assert response.status_code != 401  # a valid token is never refused as unknown


def test_no_two_schemas_share_a_name() -> None:
    """The OpenAPI description names each schema by its class: two classes of one name
    would share one description, and the one imported last would describe both (a
    boundary neighbour was once described as a nearest neighbour)."""
    from ninja import Schema

    from ambition.api import api

    api.get_openapi_schema()  # every router's schemas imported and described
    seen: dict[str, str] = {}
    pending = list(Schema.__subclasses__())
    while pending:
        kind = pending.pop()
        pending.extend(kind.__subclasses__())
        if not kind.__module__.startswith("ambition."):
            continue
        where = f"{kind.__module__}.{kind.__qualname__}"
        assert seen.setdefault(kind.__name__, where) == where, (seen[kind.__name__], where)
