"""Site search: authorities, indicators and, where a query names both ("Lambeth
recycling"), the latest value of each pair, as the person asking may see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string

from ambition.registry.models import Authority, AuthorityName, fold_name

from .models import Indicator, Observation

MOST_AUTHORITIES = 10
MOST_INDICATORS = 25
MOST_VALUES = 50


@dataclass
class Results:
    query: str
    authorities: list[Authority] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    values: list[Observation] = field(default_factory=list)
    # Sections from the apps above this one (settings.SEARCH_PROVIDERS), each with a
    # `count` and the `template` that shows it.
    more: list[Any] = field(default_factory=list)

    @property
    def count(self) -> int:
        found = len(self.authorities) + len(self.indicators) + len(self.values)
        return found + sum(section.count for section in self.more)


def _more(query: str, viewer: Any) -> list[Any]:
    """What the other apps find for the query: the one search box answers for them all."""
    return [import_string(path)(query, viewer) for path in settings.SEARCH_PROVIDERS]


def _named_authorities(folded: str) -> tuple[list[Authority], str]:
    """Authorities whose name (or known spelling) the query contains, longest name first,
    and the query left when those names are taken out."""
    words = set(folded.split())
    keys = AuthorityName.objects.filter(key__in=_phrases(folded.split())).values_list(
        "key", "authority_id"
    )
    found: dict[int, str] = {}
    for key, authority_id in sorted(keys, key=lambda k: -len(k[0])):
        found.setdefault(authority_id, key)
    rest = folded
    for key in sorted(set(found.values()), key=len, reverse=True):
        rest = rest.replace(key, " ")
    authorities = list(Authority.objects.filter(pk__in=found).order_by("name"))
    return authorities[:MOST_AUTHORITIES], " ".join(w for w in rest.split() if w in words)


def _phrases(words: list[str]) -> list[str]:
    return [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)]


def _indicators(words: list[str]) -> list[Indicator]:
    if not words:
        return []
    condition = Q()
    for word in words:
        condition &= (
            Q(name__icontains=word)
            | Q(code__icontains=word)
            | Q(service_area__name__icontains=word)
        )
    found = Indicator.objects.filter(condition).select_related("service_area")
    return list(found[:MOST_INDICATORS])


def _latest_values(
    authorities: list[Authority], indicators: list[Indicator], viewer: Any
) -> list[Observation]:
    """The latest period's value of each pair, among what this person may see: a value a
    council keeps restricted is found only by those allowed to see it early."""
    seen = Observation.private_objects.visible_to(viewer).latest_revision()
    rows = (
        seen.filter(authority__in=authorities, indicator__in=indicators)
        .with_codes()
        .order_by("authority__name", "indicator__name", "-period__end")
    )
    latest: dict[tuple[int, int], Observation] = {}
    for o in rows.iterator():
        latest.setdefault((o.authority_id, o.indicator_id), o)
    return list(latest.values())[:MOST_VALUES]


def search(query: str, viewer: Any) -> Results:
    folded = fold_name(query)[:200]
    results = Results(query=query)
    if not folded:
        return results
    results.authorities, rest = _named_authorities(folded)
    if not results.authorities:
        text = query.strip()
        named = Authority.objects.filter(Q(name__icontains=text) | Q(code__iexact=text))
        results.authorities = list(named.order_by("name")[:MOST_AUTHORITIES])
        rest = "" if results.authorities else folded
    results.indicators = _indicators(rest.split())
    if results.authorities and results.indicators:
        results.values = _latest_values(results.authorities, results.indicators, viewer)
    results.more = _more(query, viewer)
    return results
