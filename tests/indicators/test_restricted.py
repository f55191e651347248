"""Restricted local data: before its date only its own authority and the performance
office see it, on every page, table, chart, download and API response; after it, all do."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.test import Client

from ambition.accounts.people import RoleSpec, create_person
from ambition.indicators.imports import import_observations
from ambition.indicators.models import Observation

pytestmark = pytest.mark.django_db
LAMBETH = "E09000022"
MARKER = "61.2345"  # a value that appears nowhere else in the shipped data
INDICATOR = "ons-employment-rate"


def import_restricted(tmp_path: Path, until: datetime.date) -> None:
    path = tmp_path / "lambeth-local.csv"
    path.write_text(f"authority,indicator,period,value\n{LAMBETH},{INDICATOR},2031,{MARKER}\n")
    report = import_observations(path, origin="cli", restricted_until=until)
    assert report.ok and report.created == 1, report.problems


def surfaces(client: Client) -> dict[str, str]:
    """Every place the figure could show: pages, downloads, chart specs, search and the API."""
    group = {"focus": LAMBETH, "compare": "chosen", "authorities": f"{LAMBETH},E09000028"}
    marked = Observation.private_objects.get(value=float(MARKER))
    search = {"q": "Lambeth employment rate"}
    return {
        "search page": client.get("/search/", search).content.decode(),
        "search csv": client.get("/search/", {**search, "format": "csv"}).content.decode(),
        "observation page": client.get(f"/observations/{marked.pk}/").content.decode(),
        "observation json": client.get(
            f"/observations/{marked.pk}/", {"format": "json"}
        ).content.decode(),
        "api observation": client.get(f"/api/v1/observations/{marked.pk}").content.decode(),
        "authority page": client.get(f"/authorities/{LAMBETH}/").content.decode(),
        "authority csv": client.get(f"/authorities/{LAMBETH}/", {"format": "csv"}).content.decode(),
        "authority json": client.get(
            f"/authorities/{LAMBETH}/", {"format": "json"}
        ).content.decode(),
        "indicator page": client.get(f"/indicators/{INDICATOR}/", group).content.decode(),
        "indicator json": client.get(
            f"/indicators/{INDICATOR}/", {**group, "format": "json"}
        ).content.decode(),
        "api": json.dumps(
            json.loads(
                client.get(
                    "/api/v1/observations", {"indicator": INDICATOR, "authority": LAMBETH}
                ).content
            )
        ),
    }


def people() -> dict[str, object]:
    return {
        "lambeth officer": create_person(
            "o1", "pw-lambeth-1x", [RoleSpec.parse(f"officer:{LAMBETH}")]
        ),
        "southwark officer": create_person(
            "o2", "pw-southwark-1x", [RoleSpec.parse("officer:E09000028")]
        ),
        "board member": create_person("b1", "pw-board-1xx", [RoleSpec.parse("board")]),
        "analyst": create_person("a1", "pw-analyst-1x", [RoleSpec.parse("analyst")]),
    }


def shown(client: Client, who: object | None) -> set[str]:
    client.logout()
    if who is not None:
        client.force_login(who)  # type: ignore[arg-type]
    return {name for name, text in surfaces(client).items() if "61.2345" in text}


def test_before_its_date_only_its_authority_and_the_office_see_it(
    client: Client, tmp_path: Path
) -> None:
    import_restricted(tmp_path, datetime.date.today() + datetime.timedelta(days=30))
    everyone = people()
    assert shown(client, None) == set()
    assert shown(client, everyone["southwark officer"]) == set()
    assert shown(client, everyone["board member"]) == set()
    assert shown(client, everyone["lambeth officer"]) == set(surfaces(client))
    assert shown(client, everyone["analyst"]) == set(surfaces(client))


def test_on_its_date_everyone_sees_it(client: Client, tmp_path: Path) -> None:
    import_restricted(tmp_path, datetime.date.today())
    assert shown(client, None) == set(surfaces(client))


def test_a_restricted_until_column_that_is_not_a_date_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        f"authority,indicator,period,value,restricted until\n{LAMBETH},{INDICATOR},2031,1,soon\n"
    )
    report = import_observations(path, origin="cli")
    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (2, "restricted until", "soon")
    ]
