"""Full-text search with ranking over case studies, networks and documents (network
outputs and case studies' attachments). On PostgreSQL, its own full-text search
(SearchVector weighted by field, SearchRank); on SQLite, an FTS5 table made by a
migration and kept in step on every save and delete, ranked by bm25 with the same
weights. `find` picks by the connection's vendor; both read a query as all its words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, connections
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save

from .models import Attachment, CaseStudy, Network, NetworkOutput

MOST_HITS = 25
MOST_WORDS = 12
TABLE = "knowledge_search"
# The weight of a word in the title against one in the body: PostgreSQL's A and C
# (1.0 and 0.2), and bm25's column weights on SQLite.
TITLE_WEIGHT, BODY_WEIGHT = 1.0, 0.2
KINDS = {
    "case-study": "Case study",
    "network": "Network",
    "output": "Document",
    "attachment": "Document",
}


@dataclass(frozen=True)
class Hit:
    kind: str
    title: str
    url: str
    summary: str
    rank: float
    illustrative: bool = False

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def words_of(query: str) -> list[str]:
    return re.findall(r"\w+", query.lower())[:MOST_WORDS]


# What each kind indexes: (title, body) of one row.


def _case_study_text(c: CaseStudy) -> tuple[str, str]:
    body = [c.summary, c.what_they_did, c.outcomes_claimed, c.lead.name, c.service_area.name]
    return c.title, " ".join(body)


def _network_text(n: Network) -> tuple[str, str]:
    return n.name, n.purpose


def _output_text(o: NetworkOutput) -> tuple[str, str]:
    return o.title, o.description


def _attachment_text(a: Attachment) -> tuple[str, str]:
    return a.title, a.case_study.title


INDEXED: dict[type[Model], tuple[str, Callable[[Any], tuple[str, str]]]] = {
    CaseStudy: ("case-study", _case_study_text),
    Network: ("network", _network_text),
    NetworkOutput: ("output", _output_text),
    Attachment: ("attachment", _attachment_text),
}


# What a person may find, and how each kind reads as a hit.


def _visible(viewer: Any) -> dict[str, QuerySet[Any]]:
    studies = CaseStudy.private_objects.visible_to(viewer)
    return {
        "case-study": studies.select_related("lead", "service_area"),
        "network": Network.objects.all(),
        "output": NetworkOutput.objects.select_related("network"),
        "attachment": Attachment.objects.filter(case_study__in=studies).select_related(
            "case_study"
        ),
    }


def _hit(kind: str, row: Any, rank: float) -> Hit:
    if kind == "case-study":
        return Hit(kind, row.title, row.get_absolute_url(), row.summary, rank, row.illustrative)
    if kind == "network":
        return Hit(
            kind, row.name, row.get_absolute_url(), row.purpose[:200], rank, row.illustrative
        )
    if kind == "output":
        summary = f"From the {row.network.name}. {row.description[:160]}"
        return Hit(kind, row.title, row.get_absolute_url(), summary, rank, row.network.illustrative)
    summary = f"Attached to the case study {row.case_study.title}"
    return Hit(kind, row.title, row.get_absolute_url(), summary, rank, row.case_study.illustrative)


def _ranked(found: Iterable[tuple[str, int, float]], viewer: Any) -> list[Hit]:
    """Hits for (kind, id, rank) triples, of what this person may see, best first."""
    wanted: dict[str, dict[int, float]] = {}
    for kind, pk, rank in found:
        wanted.setdefault(kind, {})[int(pk)] = float(rank)
    hits = [
        _hit(kind, row, ranks[row.pk])
        for kind, ranks in wanted.items()
        for row in _visible(viewer)[kind].filter(pk__in=ranks)
    ]
    return sorted(hits, key=lambda h: (-h.rank, h.title))[:MOST_HITS]


# PostgreSQL


def _postgres(words: list[str], viewer: Any) -> list[Hit]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    query = SearchQuery(" ".join(words), search_type="plain", config="english")

    def vector(title: str, *body: str) -> Any:
        return SearchVector(title, weight="A", config="english") + SearchVector(
            *body, weight="C", config="english"
        )

    vectors = {
        "case-study": vector(
            "title",
            "summary",
            "what_they_did",
            "outcomes_claimed",
            "lead__name",
            "service_area__name",
        ),
        "network": vector("name", "purpose"),
        "output": vector("title", "description"),
        "attachment": vector("title", "case_study__title"),
    }
    weights = [0.0, BODY_WEIGHT, 0.0, TITLE_WEIGHT]  # D, C, B, A
    found: list[tuple[str, int, float]] = []
    for kind, rows in _visible(viewer).items():
        matched = (
            rows.annotate(document=vectors[kind])
            .filter(document=query)
            .annotate(rank=SearchRank(vectors[kind], query, weights=weights))
            .order_by("-rank")
            .values_list("pk", "rank")[:MOST_HITS]
        )
        found += [(kind, pk, rank) for pk, rank in matched]
    return _ranked(found, viewer)


# SQLite


def _sqlite(words: list[str], viewer: Any) -> list[Hit]:
    match = " ".join(f'"{w}"' for w in words)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kind, object_id, -bm25({TABLE}, 0, 0, %s, %s) FROM {TABLE} "
            f"WHERE {TABLE} MATCH %s ORDER BY bm25({TABLE}, 0, 0, %s, %s) LIMIT 500",
            [TITLE_WEIGHT, BODY_WEIGHT, match, TITLE_WEIGHT, BODY_WEIGHT],
        )
        return _ranked(cursor.fetchall(), viewer)


def find(query: str, viewer: Any) -> list[Hit]:
    """Case studies, networks and documents matching every word of the query, best first,
    among what this person may see."""
    words = words_of(query)
    if not words:
        return []
    return _postgres(words, viewer) if connection.vendor == "postgresql" else _sqlite(words, viewer)


# Keeping SQLite's table in step


def _forget(cursor: Any, kind: str, pk: int) -> None:
    cursor.execute(f"DELETE FROM {TABLE} WHERE kind = %s AND object_id = %s", [kind, pk])


def index(instance: Model, using: str = "default") -> None:
    kind, text = INDEXED[type(instance)]
    title, body = text(instance)
    with connections[using].cursor() as cursor:
        _forget(cursor, kind, int(instance.pk))
        cursor.execute(
            f"INSERT INTO {TABLE} (kind, object_id, title, body) VALUES (%s, %s, %s, %s)",
            [kind, instance.pk, title, body],
        )


def _saved(sender: type[Model], instance: Model, using: str, raw: bool = False, **_: Any) -> None:
    if connections[using].vendor == "sqlite" and not raw:
        index(instance, using)


def _deleted(sender: type[Model], instance: Model, using: str, **_: Any) -> None:
    if connections[using].vendor == "sqlite":
        with connections[using].cursor() as cursor:
            _forget(cursor, INDEXED[sender][0], int(instance.pk))


def rebuild(using: str = "default") -> int:
    """Index every row afresh (SQLite only): after a load that sent no signals."""
    if connections[using].vendor != "sqlite":
        return 0
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
    count = 0
    for model in INDEXED:
        for row in model._default_manager.using(using).all():
            index(row, using)
            count += 1
    return count


def connect() -> None:
    for model in INDEXED:
        uid = f"knowledge-search:{model._meta.label_lower}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)


# The site's one search box (settings.SEARCH_PROVIDERS)


@dataclass
class Section:
    heading: str
    template: str
    hits: list[Hit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.hits)

    @property
    def illustrative(self) -> bool:
        return any(h.illustrative for h in self.hits)


def site_section(query: str, viewer: Any) -> Section:
    return Section(
        "Case studies, networks and documents", "knowledge/includes/hits.html", find(query, viewer)
    )


__all__ = ["Hit", "Section", "find", "rebuild", "site_section"]
