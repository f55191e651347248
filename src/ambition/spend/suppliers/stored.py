"""Supplier runs kept in the database beside their folders, and people's decisions about
them. A run's members and Splink's clusters are written once; its clusters are Splink's
with every decision applied (`labels`), made again when a person decides, so the pages show
the decision at once and every later run starts from all of them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl
from django.db import transaction

from ambition.assessment.making import code_version
from ambition.registry.models import Authority
from ambition.spend.models import SupplierCluster, SupplierDecision, SupplierMember, SupplierRun

from .labels import Applied, Label, applied, display_name, member_key, state
from .runs import Run

BATCH = 2000


def labels() -> list[Label]:
    """Every decision ever made, as labels in the order they were made."""
    return [
        Label(d.pk, d.action, tuple(d.together), tuple(d.apart))
        for d in SupplierDecision.objects.order_by("decided_at", "id")
    ]


@transaction.atomic
def store_run(run: Run, user: Any = None) -> SupplierRun:
    """The run's records, Splink's clusters and the clusters with every decision applied,
    in one transaction."""
    resolution = run.resolution
    stored = SupplierRun.objects.create(
        ran_by=user if user is not None and user.is_authenticated else None,
        threshold=resolution.threshold,
        **resolution.counts,
        seconds=round(resolution.seconds, 3),
        model=resolution.model,
        code_version=code_version(),
        folder=str(run.folder),
    )
    members = _members(stored, resolution.records)
    _cluster(stored, members)
    return stored


def _members(run: SupplierRun, records: pl.DataFrame) -> list[SupplierMember]:
    codes = records["authority"].unique().to_list() if records.height else []
    authority = dict(Authority.objects.filter(code__in=codes).values_list("code", "id"))
    made = []
    for r in records.iter_rows(named=True):
        numbers = (r["company_number"], r["charity_number"], r["postcode"])
        made.append(
            SupplierMember(
                run=run,
                key=member_key(r["authority"], r["supplier"], *numbers),
                splink_cluster=str(r["cluster_id"]),
                authority_id=authority[r["authority"]],
                supplier=r["supplier"],
                company_number=r["company_number"] or "",
                charity_number=r["charity_number"] or "",
                postcode=r["postcode"] or "",
                match_probability=r["match_probability"],
            )
        )
    return made


def _cluster(run: SupplierRun, members: list[SupplierMember]) -> None:
    """Group the members as Splink did and every decision says, and write the clusters
    (reusing the run's rows by key, so a cluster's address stays) and the members' places."""
    found = labels()
    result = applied({m.key: m.splink_cluster for m in members}, found)
    existing = {c.key: c for c in SupplierCluster.objects.filter(run=run)}
    by_key = {m.key: m for m in members}
    naming: dict[str, list[Label]] = {}
    for label in found:
        for key in {*label.together, *label.apart}:
            naming.setdefault(key, []).append(label)
    clusters = [
        _filled(
            existing.get(key) or SupplierCluster(run=run, key=key), keys, by_key, naming, result
        )
        for key, keys in result.groups.items()
    ]
    SupplierCluster.objects.bulk_create([c for c in clusters if c.pk is None], batch_size=BATCH)
    changed = [c for c in clusters if c.key in existing]
    emptied = [c for key, c in existing.items() if key not in result.groups]
    for c in emptied:
        c.members_count, c.authorities, c.min_probability, c.overridden = 0, 0, None, []
    SupplierCluster.objects.bulk_update(
        changed + emptied,
        ["name", "members_count", "authorities", "min_probability", "state", "overridden"],
        batch_size=BATCH,
    )
    placed = {c.key: c for c in clusters}
    for m in members:
        m.cluster = placed[result.group_of[m.key]]
    if members and members[0].pk is None:
        SupplierMember.objects.bulk_create(members, batch_size=BATCH)
    else:
        SupplierMember.objects.bulk_update(members, ["cluster"], batch_size=BATCH)
    run.disagreements = [
        {"decision": label.id, "action": label.action}
        for label in found
        if result.disagreed.get(label.id)
    ]
    run.save(update_fields=["disagreements"])


def _filled(
    cluster: SupplierCluster,
    keys: set[str],
    by_key: dict[str, SupplierMember],
    naming: dict[str, list[Label]],
    result: Applied,
) -> SupplierCluster:
    members = [by_key[k] for k in keys]
    probabilities = [m.match_probability for m in members if m.match_probability is not None]
    touched = {label.id: label for k in keys for label in naming.get(k, [])}
    touching = [touched[i] for i in sorted(touched)]
    cluster.name = display_name(m.supplier for m in members)[:500]
    cluster.members_count = len(members)
    cluster.authorities = len({m.authority_id for m in members})
    cluster.min_probability = min(probabilities, default=None)
    cluster.state = state(keys, touching)
    cluster.overridden = [label.id for label in touching if result.disagreed.get(label.id)]
    return cluster


def relabel(run: SupplierRun) -> None:
    """The run's clusters made again with every decision applied."""
    members = list(SupplierMember.objects.filter(run=run).order_by("id"))
    _cluster(run, members)


@transaction.atomic
def decide(
    action: str,
    cluster: SupplierCluster,
    reason: str,
    user: Any,
    member: SupplierMember | None = None,
    other: SupplierCluster | None = None,
) -> SupplierDecision:
    """Record a person's decision about a cluster of the latest run and apply it there."""
    keys = _keys(cluster)
    if action == SupplierDecision.Action.SPLIT:
        assert member is not None and member.cluster_id == cluster.pk
        together, apart = [member.key], sorted(set(keys) - {member.key})
    elif action == SupplierDecision.Action.MERGE:
        assert other is not None and other.run_id == cluster.run_id and other.pk != cluster.pk
        together, apart = sorted(set(keys) | set(_keys(other))), []
    else:
        together, apart = keys, []
    decision = SupplierDecision.objects.create(
        action=action, cluster=cluster, other=other, together=together, apart=apart,
        reason=reason, decided_by=user,
    )  # fmt: skip
    relabel(cluster.run)
    return decision


def _keys(cluster: SupplierCluster) -> list[str]:
    return sorted(SupplierMember.objects.filter(cluster=cluster).values_list("key", flat=True))


def decisions_about(keys: Iterable[str]) -> list[SupplierDecision]:
    """The decisions naming any of these members, oldest first."""
    wanted = set(keys)
    return [
        d
        for d in SupplierDecision.objects.select_related("decided_by").order_by("decided_at", "id")
        if wanted & (set(d.together) | set(d.apart))
    ]
