"""Who reads observations, and through which door (issue 10, item 6): a read for anyone goes
through `Observation.public_objects`, a read for one person through
`Observation.private_objects.visible_to(user)`, and the revisions of one observation a person
may see through `revisions_seen_by`, the one query behind its page and the API's history.
`private_objects` alone is for the modules that write."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

import ambition
from ambition.accounts.people import RoleSpec, create_person
from ambition.assessment.frames import observation_frame
from ambition.assessment.models import AssessmentRun
from ambition.assessment.views.scorecard import series_of
from ambition.indicators.imports import import_observations
from ambition.indicators.models import Indicator, Observation
from ambition.registry.models import Authority
from ambition.support.outcomes import before_and_after

LAMBETH, SOUTHWARK = "E09000022", "E09000028"
INDICATOR = "ons-employment-rate"
PUBLIC, SECRET = 62.5432, 61.2345  # values that appear nowhere else in the shipped data
SOON = datetime.date.today() + datetime.timedelta(days=30)

SRC = Path(ambition.__file__).resolve().parent
# The modules that may read observations without saying for whom: the importers and the
# correction write, and read only to lock or supersede the latest revision; the models ask
# which batches wrote an authority's rows (to decide who sees a batch) and which revisions
# share an observation's key; the residents' survey import reads the rows its batch wrote,
# to keep their answer counts. The staging tables are the importer's raw SQL.
WRITERS = frozenset({"indicators/models.py", "indicators/revisions.py", "indicators/residents.py"})
RAW_SQL = frozenset({"indicators/staging.py"})
FOR_ONE_PERSON = re.compile(r"Observation\.private_objects\s*\.\s*(visible_to|revisions_seen_by)\(")
PRIVATE = re.compile(r"Observation\.private_objects\b")
# Doors round the managers: the reverse relation and the default manager read every row.
AROUND = re.compile(
    r"indicators_observation|Observation\._meta\.db_table|Observation\._(default|base)_manager"
    r"|\bobservations__|\.observations\.(all|filter|exclude|get|values)"
)


def sources() -> dict[str, str]:
    return {
        path.relative_to(SRC).as_posix(): path.read_text(encoding="utf-8")
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
    }


def test_only_the_writers_read_observations_without_saying_for_whom() -> None:
    bare = {
        name
        for name, text in sources().items()
        if len(PRIVATE.findall(text)) > len(FOR_ONE_PERSON.findall(text))
    }
    assert bare <= WRITERS, "read through public_objects or private_objects.visible_to(user)"
    around = {name for name, text in sources().items() if AROUND.search(text)}
    assert around <= RAW_SQL, "read observations through their managers"


def imported(tmp_path: Path, name: str, value: float, **options: Any) -> None:
    path = tmp_path / name
    path.write_text(f"authority,indicator,period,value\n{LAMBETH},{INDICATOR},2031,{value}\n")
    report = import_observations(path, origin="cli", **options)
    assert report.ok, report.problems


@pytest.fixture
def corrected(tmp_path: Path, db: None) -> Observation:
    """Lambeth's published value, then a correction over it that Lambeth keeps restricted
    for a month: the latest revision is the restricted one."""
    imported(tmp_path, "public.csv", PUBLIC)
    imported(tmp_path, "secret.csv", SECRET, restricted_until=SOON)
    return Observation.private_objects.get(value=SECRET)


def test_every_public_read_leaves_out_the_restricted_revision(corrected: Observation) -> None:
    """The assessment, the scorecard's trend lines and a peer review's before-and-after read
    for everyone: none shows the restricted correction, nor (since it is not the latest) the
    published value it replaced."""
    lambeth = Authority.objects.get(code=LAMBETH)
    indicator = Indicator.objects.get(code=INDICATOR)
    published = set(Observation.public_objects.values_list("value", flat=True))
    assert PUBLIC in published and SECRET not in published
    current = set(Observation.public_objects.latest_revision().values_list("value", flat=True))
    frame = set(observation_frame(indicators=[INDICATOR])["value"].to_list())
    series = series_of(AssessmentRun(as_of=datetime.date(2099, 1, 1)), lambeth)
    trend = {p["value"] for p in series[indicator.pk]}
    outcomes = before_and_after(lambeth, indicator.service_area_id, None)
    review = {p.value for row in outcomes if row.indicator == indicator for p in row.series}
    for read in (current, frame, trend, review):
        assert not {PUBLIC, SECRET} & read


def person(name: str, role: str) -> Any:
    return create_person(name, f"{name}-password-1", [RoleSpec.parse(role)])


def history(client: Client, pk: int) -> tuple[list[int], list[int]]:
    """The revisions the page's download and the API's history show, or none (a 404)."""
    page = client.get(f"/observations/{pk}/", {"format": "json"})
    api = client.get(f"/api/v1/observations/{pk}")
    assert page.status_code == api.status_code, (page.status_code, api.status_code)
    if page.status_code == 404:
        return [], []
    return [r["revision"] for r in page.json()["rows"]], [
        r["revision"] for r in api.json()["revisions"]
    ]


def test_the_page_and_the_api_show_the_same_revisions_to_each_person(
    corrected: Observation,
) -> None:
    first = Observation.private_objects.get(value=PUBLIC)
    expected = {
        None: [1],
        "southwark": [1],
        "lambeth": [2, 1],
        "analyst": [2, 1],
    }
    roles = {"southwark": f"officer:{SOUTHWARK}", "lambeth": f"officer:{LAMBETH}"}
    for who, revisions in expected.items():
        client = Client()
        if who is not None:
            client.force_login(person(f"reads-{who}", roles.get(who, "analyst")))
        for pk in (first.pk, corrected.pk):
            page, api = history(client, pk)
            assert page == api == revisions, (who, pk)
            text = client.get(f"/observations/{pk}/").content.decode()
            assert (str(SECRET) in text) == (2 in revisions), who


def test_no_revision_seen_is_a_404_on_both(tmp_path: Path, db: None) -> None:
    imported(tmp_path, "secret.csv", SECRET, restricted_until=SOON)
    secret = Observation.private_objects.get(value=SECRET)
    assert history(Client(), secret.pk) == ([], [])
    assert not Observation.private_objects.revisions_seen_by(AnonymousUser(), secret.pk).exists()
    assert not Observation.public_objects.filter(pk=secret.pk).exists()
