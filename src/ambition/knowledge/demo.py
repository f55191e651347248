"""The knowledge hub's demo: invented case studies and one network from
data/demo/knowledge.toml, each stored as illustrative (every page showing one says so).
The published ones are recorded in the ledger as publishing any case study is. Loading
twice changes nothing."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from ambition.indicators.models import Indicator, ServiceArea
from ambition.registry.models import Authority

from .models import CaseStudy, Network, NetworkEvent, NetworkMember, NetworkOutput
from .sharing import record_publication


def demo_path() -> Path:
    return Path(settings.DATA_DIR) / "demo" / "knowledge.toml"


def _case_study(spec: dict[str, Any]) -> tuple[CaseStudy, bool]:
    found = CaseStudy.private_objects.filter(title=spec["title"], illustrative=True).first()
    if found is not None:
        return found, False
    study = CaseStudy.private_objects.create(
        title=spec["title"],
        lead=Authority.objects.get(code=spec["lead"]),
        service_area=ServiceArea.objects.get(code=spec["service_area"]),
        summary=spec["summary"],
        what_they_did=spec["what_they_did"],
        cost=Decimal(spec["cost"]) if "cost" in spec else None,
        outcomes_claimed=spec["outcomes_claimed"],
        evidence_level=spec.get("evidence_level"),
        evidence_note=spec.get("evidence_note", ""),
        illustrative=True,
    )
    study.authorities.set(Authority.objects.filter(code__in=spec.get("authorities", [])))
    study.indicators.set(Indicator.objects.filter(code__in=spec.get("indicators", [])))
    if "published_on" in spec:
        record_publication(study, None, spec["published_on"])
    return study, True


def _network(spec: dict[str, Any]) -> tuple[Network, bool]:
    network, made = Network.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            "name": spec["name"],
            "purpose": spec["purpose"],
            "service_area": ServiceArea.objects.filter(code=spec.get("service_area")).first(),
            "illustrative": True,
        },
    )
    if not made:
        return network, False
    for m in spec.get("members", []):
        authority = Authority.objects.get(code=m["authority"])
        NetworkMember.objects.create(network=network, authority=authority, role=m["role"])
    for e in spec.get("events", []):
        NetworkEvent.objects.create(network=network, **e)
    for o in spec.get("outputs", []):
        study = CaseStudy.private_objects.filter(title=o.pop("case_study", None)).first()
        NetworkOutput.objects.create(network=network, case_study=study, **o)
    return network, True


@transaction.atomic
def load(path: Path | None = None) -> dict[str, int]:
    spec = tomllib.loads((path or demo_path()).read_text(encoding="utf-8"))
    studies = sum(_case_study(s)[1] for s in spec.get("case_study", []))
    networks = sum(_network(n)[1] for n in spec.get("network", []))
    return {"case_studies": studies, "networks": networks}
