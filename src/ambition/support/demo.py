"""The demo's illustrative peer support: requests and offers from data/demo/support.toml,
so that a person can run the broker at once. Every request's text starts "Illustrative"
and every named person is "Illustrative ..."; nothing here is a real council's request.

A request that names `prompted_by = "weak-area"` is linked to its authority's weak service
area in the latest assessment run, when that run has it weak (as "Ask for support" on the
scorecard would); otherwise it stands alone. Dates are offsets into the current financial
year, so the demo stays current. Loading twice changes nothing."""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from ambition.assessment.models import AssessmentRun, RunArea
from ambition.indicators.models import ServiceArea
from ambition.indicators.periods import financial_year_dates
from ambition.registry.models import Authority

from .models import OfferPerson, SupportOffer, SupportRequest, financial_year

MARK = "Illustrative"


def demo_path() -> Path:
    return Path(settings.DATA_DIR) / "demo" / "support.toml"


@transaction.atomic
def load(today: datetime.date | None = None, path: Path | None = None) -> dict[str, int]:
    """Create the illustrative requests and offers that are not there yet."""
    spec = tomllib.loads((path or demo_path()).read_text(encoding="utf-8"))
    year = financial_year(today or datetime.date.today())
    authorities = Authority.objects.in_bulk(field_name="code")
    areas = ServiceArea.objects.in_bulk(field_name="code")
    made = {"requests": 0, "offers": 0, "people": 0}
    for item in spec.get("requests", []):
        made["requests"] += _request(item, year, authorities, areas)
    for item in spec.get("offers", []):
        offer, created = _offer(item, year, authorities, areas)
        made["offers"] += created
        made["people"] += _people(offer, item.get("people", []))
    return made


def _request(
    item: dict[str, Any],
    year: int,
    authorities: dict[str, Authority],
    areas: dict[str, ServiceArea],
) -> int:
    authority, area = authorities[item["authority"]], areas[item["area"]]
    problem = f"{MARK}: {item['problem']}"
    if SupportRequest.objects.filter(authority=authority, problem=problem).exists():
        return 0
    first = financial_year_dates(year)[0] + datetime.timedelta(
        days=int(item.get("starts_after", 0))
    )
    prompt = _weak_area(authority, area) if item.get("prompted_by") == "weak-area" else None
    made = SupportRequest.objects.create(
        authority=authority,
        service_area=area,
        kind=item["kind"],
        problem=problem,
        staff_days=int(item["days"]),
        window_start=first,
        window_end=first + datetime.timedelta(days=int(item.get("lasts", 120))),
        preference=item.get("preference", "neither"),
        prompted_by_run_id=prompt.run_id if prompt else None,
        prompted_by_area=prompt,
    )
    made.avoid.set([authorities[code] for code in item.get("avoid", [])])
    return 1


def _weak_area(authority: Authority, area: ServiceArea) -> RunArea | None:
    run = AssessmentRun.objects.of(settings.SUPPORT_METHOD, "members").latest_run()
    if run is None:
        return None
    found = RunArea.objects.filter(run=run, authority=authority, area=area).first()
    return found if found and (found.weak or found.score == 1) else None


def _offer(
    item: dict[str, Any],
    year: int,
    authorities: dict[str, Authority],
    areas: dict[str, ServiceArea],
) -> tuple[SupportOffer, int]:
    offer, created = SupportOffer.objects.get_or_create(
        authority=authorities[item["authority"]],
        service_area=areas[item["area"]],
        kind=item["kind"],
        year=year,
        defaults={"staff_days": int(item["days"])},
    )
    return offer, int(created)


def _people(offer: SupportOffer, people: list[dict[str, str]]) -> int:
    made = 0
    for person in people:
        name = f"{MARK} {person['name']}"
        _, created = OfferPerson.private_objects.get_or_create(
            offer=offer,
            name=name,
            defaults={"role": person["role"], "expertise": person.get("expertise", "")},
        )
        made += int(created)
    return made
