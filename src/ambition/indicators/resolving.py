"""Turn what a file says (an authority's name or code, an indicator's code, a period's
label) into the rows of our store, with a reason when it cannot."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ambition.registry.models import Authority, AuthorityName
from ambition.registry.names import NameIndex, Unresolved, fold_name

from .models import Indicator, Period
from .periods import PeriodError, YearBasis, parse_period
from .values import ValueRange, value_range


@dataclass(frozen=True, slots=True)
class IndicatorInfo:
    id: int
    code: str
    basis: YearBasis
    values: ValueRange


class AuthorityResolver:
    """The stored names of every authority, matched by the registry's one name rule."""

    def __init__(self) -> None:
        current = dict(Authority.objects.values_list("id", "end_date"))
        self._index = NameIndex(
            (key, authority_id, current.get(authority_id) is None)
            for key, authority_id in AuthorityName.objects.values_list("key", "authority_id")
        )
        self._names = dict(Authority.objects.values_list("id", "name"))

    def resolve(self, text: str) -> int:
        return self._index.resolve(text)


class IndicatorResolver:
    def __init__(self) -> None:
        self._by_key: dict[str, IndicatorInfo] = {}
        for indicator in Indicator.objects.all():
            info = IndicatorInfo(
                indicator.id,
                indicator.code,
                YearBasis(indicator.year_basis),
                value_range(indicator.unit),
            )
            self._by_key[indicator.code.lower()] = info
            self._by_key.setdefault(fold_name(indicator.name), info)

    def resolve(self, text: str) -> IndicatorInfo:
        found = self._by_key.get(text.strip().lower()) or self._by_key.get(fold_name(text))
        if found is None:
            raise Unresolved(f"unknown indicator {text!r}: not in the catalogue")
        return found


class PeriodResolver:
    """Parses each distinct label once. A period the store lacks gets a provisional
    (negative) id and is stored only by `store_new`, inside the import's write transaction:
    a refused file or a dry run leaves no period behind, and checking a file takes no lock."""

    def __init__(self) -> None:
        self._stored = {(p.kind, p.basis, p.start, p.end): p.id for p in Period.objects.all()}
        self._cache: dict[tuple[str, YearBasis], int] = {}
        self._new: dict[int, tuple[tuple[str, str, Any, Any], str]] = {}

    def resolve(self, text: str, basis: YearBasis) -> int:
        if (found := self._cache.get((text, basis))) is not None:
            return found
        try:
            parsed = parse_period(text, basis)
        except PeriodError as error:
            raise Unresolved(str(error)) from error
        key = (parsed.kind.value, parsed.basis.value, parsed.start, parsed.end)
        if key not in self._stored:
            provisional = -1 - len(self._new)
            self._new[provisional] = (key, parsed.label)
            self._stored[key] = provisional
        self._cache[(text, basis)] = self._stored[key]
        return self._stored[key]

    def store_new(self) -> dict[int, int]:
        """Store the periods first seen in this file (another import may have stored one
        meanwhile: it is then used); returns each provisional id's stored id."""
        stored: dict[int, int] = {}
        for provisional, (key, label) in self._new.items():
            kind, basis, start, end = key
            period, _ = Period.objects.get_or_create(
                kind=kind, basis=basis, start=start, end=end, defaults={"label": label}
            )
            stored[provisional] = self._stored[key] = period.id
        self._new.clear()
        self._cache = {k: stored.get(v, v) for k, v in self._cache.items()}
        return stored
