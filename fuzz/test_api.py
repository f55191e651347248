"""The API's write bodies (POST /api/v1/observations/{id}/revisions): any JSON, any text, is
answered with a status below 500, and a refused body writes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import strategies as st

from ambition.accounts.people import RoleSpec, create_person
from ambition.indicators.models import Observation
from fuzz.campaign import campaign, report
from fuzz.inputs import correction_bodies, json_values

pytestmark = pytest.mark.django_db

# A JSON body (allow_nan: Python writes NaN and Infinity, which hostile clients send), or text.
bodies = st.one_of(
    correction_bodies.map(lambda body: json.dumps(body)),
    json_values.map(lambda body: json.dumps(body)),
    st.text(max_size=80),
)


def test_api_revisions() -> None:
    analyst = create_person("fuzz-analyst", "fuzz-password-1", [RoleSpec.parse("analyst")])
    client = Client()
    client.force_login(analyst)
    observation = Observation.private_objects.latest_revision().first()
    assert observation is not None
    path = f"/api/v1/observations/{observation.pk}/revisions"

    def post(body: str) -> None:
        with transaction.atomic():
            before = Observation.private_objects.count()
            response: Any = client.post(path, body, content_type="application/json")
            assert response.status_code < 500, (response.status_code, body)
            if response.status_code != 201:
                assert Observation.private_objects.count() == before, body
            transaction.set_rollback(True)

    tally = campaign("API revisions", bodies, post)
    assert not tally.crashes, report(tally)
