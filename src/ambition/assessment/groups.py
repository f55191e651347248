"""Comparator groups: the published lists (the DfE's statistical neighbours, Oflog's
nearest neighbours) loaded as named sets, and the nearest neighbours computed from the
methodology's profile variables, cached until the data they are computed from change."""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max

from ambition.indicators.api import store_version
from ambition.registry.loading import upsert
from ambition.registry.models import Authority, ProfileFigure

from .engine.neighbours import RESULT_SCHEMA, nearest_neighbours
from .frames import today
from .models import Comparator, ComparatorSet
from .profiles import NeighbourMethod, Tier, VariableSet, member_codes, profile_frame, tier_codes

DFE_KEY = "dfe-statistical-neighbours-2021"
OFLOG_KEY = "oflog-nearest-neighbours"
DFE_FILE = "dfe_statistical_neighbours_2021.csv"
OFLOG_FILE = "oflog_nearest_neighbours.json"
MAX_K = 50


@dataclass(frozen=True)
class PublishedList:
    """One focus's ranked peers as a file gives them: (peer code, closeness words)."""

    focus: str
    peers: list[tuple[str, str]]


def dfe_lists(path: Path) -> list[PublishedList]:
    """The DfE's ten statistical neighbours of each LA, closest first, with the words
    the DfE grades their closeness in. The closeness columns all share one name (SNP),
    so they are read by position: each follows its SNn column. `-` marks no neighbour
    (the 2023 Cumbrian unitaries have none yet)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    lists = []
    for row in rows[1:]:
        cells = dict(zip(header, row, strict=False))
        peers = [
            (cells[f"SN{n}_gss_code"], row[header.index(f"SN{n}") + 1].strip())
            for n in range(1, 11)
        ]
        lists.append(PublishedList(cells["gss_code"], [p for p in peers if p[0] not in ("", "-")]))
    return lists


def oflog_lists(path: Path) -> list[PublishedList]:
    """Oflog's neighbour groups: each authority's list holds itself, and its peers in
    code order, not by closeness (the file gives no ranks or distances)."""
    groups: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
    # dict.fromkeys keeps the first of a repeated code: Folkestone and Hythe (E07000112)
    # is listed twice in its neighbours' lists, and its own list names every code twice.
    return [
        PublishedList(focus, [(peer, "") for peer in dict.fromkeys(peers) if peer != focus])
        for focus, peers in groups.items()
    ]


PUBLISHED = {
    DFE_KEY: {
        "name": "DfE children's services statistical neighbours (April 2021)",
        "source": (
            "Department for Education, Local Authority Interactive Tool (LAIT), "
            "sn_april_2021.xlsx (OGL v3)"
        ),
        "source_file": DFE_FILE,
        "service_area": "childrens-services",
        "notes": (
            "Ten neighbours per local authority, closest first, graded in the DfE's words: "
            "Extremely Close, Very Close, Close, Somewhat close or Not Close. Four lists "
            "are for councils since reorganised (Dorset, Poole and Bournemouth before 2019; "
            "Northamptonshire); Cumberland and Westmorland and Furness have none yet."
        ),
    },
    OFLOG_KEY: {
        "name": "Oflog nearest neighbours",
        "source": (
            "Office for Local Government, Local Authority Data Explorer prototype, NN.json (OGL v3)"
        ),
        "source_file": OFLOG_FILE,
        "service_area": "",
        "notes": (
            "Fifteen neighbours per council, of the same class (London boroughs; "
            "metropolitan districts and unitaries; counties; districts). The file lists "
            "them in code order, not by closeness: the rank here is that order, and no "
            "distance is given. A code the file repeats is kept once. Most likely CIPFA's "
            "nearest-neighbour model."
        ),
    },
}
READERS = {DFE_KEY: dfe_lists, OFLOG_KEY: oflog_lists}


@transaction.atomic
def load_published(data: Path) -> dict[str, int]:
    """Load (or bring up to date) both published lists; returns comparators per set.
    Idempotent: a second run writes nothing. The set row, with the file's SHA-256, is
    saved through the ORM (and so audited); its comparators are written in bulk only
    where they differ, as the importer writes observations under its batch."""
    counts = {}
    ids = dict(Authority.objects.values_list("code", "id"))
    for key, meta in PUBLISHED.items():
        path = data / "registry" / meta["source_file"]
        lists = READERS[key](path)
        defaults = {
            **meta,
            "notes": meta["notes"] + _left_out(lists, ids),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
        comparator_set, _ = upsert(ComparatorSet, defaults, key=key)
        counts[key] = _store(comparator_set, lists, ids)
    return counts


def _left_out(lists: list[PublishedList], ids: dict[str, int]) -> str:
    codes = {entry.focus for entry in lists} | {p for entry in lists for p, _ in entry.peers}
    unknown = sorted(codes - set(ids))
    return (
        f" Left out, as the register does not hold them: {', '.join(unknown)}." if unknown else ""
    )


def _store(comparator_set: ComparatorSet, lists: list[PublishedList], ids: dict[str, int]) -> int:
    wanted: dict[tuple[int, int], tuple[int, str]] = {}
    for entry in lists:
        peers = [(code, words) for code, words in entry.peers if code in ids]
        if entry.focus in ids:
            for rank, (code, words) in enumerate(peers, start=1):
                wanted[(ids[entry.focus], ids[code])] = (rank, words)
    held = {(c.focus_id, c.peer_id): c for c in comparator_set.comparators.all()}
    stale = [c.pk for pair, c in held.items() if pair not in wanted]
    changed = [c for pair, c in held.items() if pair in wanted and _differs(c, wanted[pair])]
    for c in changed:
        c.rank, c.closeness = wanted[(c.focus_id, c.peer_id)]
    Comparator.objects.filter(pk__in=stale).delete()
    Comparator.objects.bulk_update(changed, ["rank", "closeness"])
    Comparator.objects.bulk_create(
        Comparator(comparator_set=comparator_set, focus_id=f, peer_id=p, rank=r, closeness=w)
        for (f, p), (r, w) in wanted.items()
        if (f, p) not in held
    )
    return len(wanted)


def _differs(comparator: Comparator, wanted: tuple[int, str]) -> bool:
    return (comparator.rank, comparator.closeness) != wanted


def published_frame(key: str, focus: str | None = None) -> pl.DataFrame:
    """A published set as `focus, peer, rank, closeness` (empty when not loaded)."""
    qs = Comparator.objects.filter(comparator_set__key=key)
    if focus is not None:
        qs = qs.filter(focus__code=focus)
    rows = qs.values_list("focus__code", "peer__code", "rank", "closeness")
    return pl.DataFrame(
        list(rows),
        schema={"focus": pl.String, "peer": pl.String, "rank": pl.Int32, "closeness": pl.String},
        orient="row",
    ).sort("focus", "rank")


def profile_version() -> str:
    """Changes when profile figures are added or removed."""
    stats = ProfileFigure.objects.aggregate(n=Count("id"), last=Max("id"))
    return f"{stats['n']}:{stats['last']}"


def pool_for(tier: Tier, among: str) -> list[str]:
    """The authorities compared: every current English council of the tier, or the
    partnership's members of it."""
    return member_codes(tier) if among == "members" else tier_codes(tier)


def computed(
    method: NeighbourMethod, variable_set: VariableSet, tier: Tier, among: str = "england"
) -> pl.DataFrame:
    """The MAX_K nearest of every authority in the pool, cached until the observations,
    the profile figures, the methodology or the day (restrictions lapse) change."""
    inputs = (method.sha256, variable_set.key, tier.key, among, store_version())
    stamp = "|".join((*inputs, profile_version(), today().isoformat()))
    key = "neighbours:" + hashlib.sha256(stamp.encode()).hexdigest()
    rows: list[tuple[Any, ...]] | None = cache.get(key)
    if rows is None:
        pool = pool_for(tier, among)
        profile = profile_frame(variable_set).filter(pl.col("authority").is_in(pool))
        frame = nearest_neighbours(
            profile, variable_set.weights, MAX_K, pool=pool, min_shared=variable_set.min_shared
        )
        rows = frame.rows()
        cache.set(key, rows, timeout=3600)
    return pl.DataFrame(rows, schema=RESULT_SCHEMA, orient="row")


class NoNeighbours(LookupError):
    """The methodology computes no neighbours for this authority (the reason says why)."""


@dataclass(frozen=True)
class Neighbours:
    """One authority's computed nearest neighbours, nearest first."""

    focus: Authority
    variable_set: VariableSet
    tier: Tier
    among: str
    pool_size: int
    rows: list[dict[str, Any]]


AMONG = {"england": "every English council of its tier", "members": "the partnership's members"}


def neighbours_of(
    authority: Authority,
    method: NeighbourMethod,
    variable_set: VariableSet,
    among: str = "england",
    k: int | None = None,
) -> Neighbours:
    tier = method.tier_of(authority.kind)
    if tier is None or authority.end_date is not None:
        raise NoNeighbours(f"{authority.name} is not a current council of a compared tier")
    if not variable_set.applies_to(tier):
        raise NoNeighbours(f"the {variable_set.name} set is not computed for {tier.name}")
    pool = pool_for(tier, among)
    if authority.code not in pool:
        raise NoNeighbours(f"{authority.name} is not among {AMONG[among]}")
    frame = computed(method, variable_set, tier, among).filter(
        pl.col("focus") == authority.code, pl.col("rank") <= (k or method.k)
    )
    return Neighbours(authority, variable_set, tier, among, len(pool), _described(frame))


def _described(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows with the peer's name, kind and region, for pages and the API."""
    peers = Authority.objects.in_bulk(frame["peer"].to_list(), field_name="code")
    return [
        {**row, **_peer(peers[row["peer"]]), "distance": round(row["distance"], 4)}
        for row in frame.to_dicts()
    ]


def _peer(a: Authority) -> dict[str, Any]:
    return {
        "code": a.code,
        "name": a.name,
        "kind": a.kind,
        "kind_name": a.get_kind_display(),
        "region": a.region,
        "url": a.get_absolute_url(),
    }


def published_of(authority: Authority, key: str) -> list[dict[str, Any]]:
    """An authority's peers in a published set, as its source ranks them."""
    rows = Comparator.objects.filter(comparator_set__key=key, focus=authority).select_related(
        "peer"
    )
    return [{"rank": c.rank, "closeness": c.closeness, **_peer(c.peer)} for c in rows]


def on_reference_data_loaded(data: Path, **kwargs: object) -> list[tuple[str, str]]:
    """`ambition load-demo` loads the published comparator groups too."""
    counts = load_published(data)
    return [(f"Comparator group {key}", f"{count:,} comparators") for key, count in counts.items()]
