"""Turn what a file says (an authority's name or code, an indicator's code, a period's
label) into the rows of our store, with a reason when it cannot."""

from __future__ import annotations

from dataclasses import dataclass

from ambition.registry.models import Authority, AuthorityName, fold_name

from .models import Indicator, Period
from .periods import PeriodError, YearBasis, parse_period


class Unresolved(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class IndicatorInfo:
    id: int
    code: str
    basis: YearBasis
    is_percentage: bool


STYLE_PREFIXES = ("london borough of ", "royal borough of ", "borough of ", "lb ", "rb ", "the ")
STYLE_SUFFIXES = (
    " metropolitan borough council",
    " borough council",
    " county council",
    " city council",
    " district council",
    " council",
)


def strip_style(key: str) -> str:
    """'lb hammersmith and fulham', 'sefton council': the name without how it is styled."""
    for prefix in STYLE_PREFIXES:
        key = key.removeprefix(prefix)
    for suffix in STYLE_SUFFIXES:
        if key.endswith(suffix):
            return key.removesuffix(suffix)
    return key


class AuthorityResolver:
    """Every known identifier of every authority, folded; a name that fits two authorities
    is refused rather than guessed (current authorities win over abolished ones)."""

    def __init__(self) -> None:
        current = dict(Authority.objects.values_list("id", "end_date"))
        keys: dict[str, set[int]] = {}
        for key, authority_id in AuthorityName.objects.values_list("key", "authority_id"):
            keys.setdefault(key, set()).add(authority_id)
        self._keys: dict[str, int | None] = {}
        for key, ids in keys.items():
            live = {i for i in ids if current.get(i) is None} or ids
            self._keys[key] = next(iter(live)) if len(live) == 1 else None
        self._names = dict(Authority.objects.values_list("id", "name"))
        self._cache: dict[str, int] = {}

    def resolve(self, text: str) -> int:
        if (found := self._cache.get(text)) is not None:
            return found
        key = fold_name(text)
        if not key:
            raise Unresolved("no authority given")
        if key not in self._keys:
            key = strip_style(key)
        if key not in self._keys:
            raise Unresolved(f"unknown authority {text!r}: not an ONS or SNAC code or a known name")
        authority_id = self._keys[key]
        if authority_id is None:
            raise Unresolved(f"ambiguous authority {text!r}: use its ONS code")
        self._cache[text] = authority_id
        return authority_id


class IndicatorResolver:
    def __init__(self) -> None:
        self._by_key: dict[str, IndicatorInfo] = {}
        for indicator in Indicator.objects.all():
            info = IndicatorInfo(
                indicator.id,
                indicator.code,
                YearBasis(indicator.year_basis),
                indicator.is_percentage,
            )
            self._by_key[indicator.code.lower()] = info
            self._by_key.setdefault(fold_name(indicator.name), info)

    def resolve(self, text: str) -> IndicatorInfo:
        found = self._by_key.get(text.strip().lower()) or self._by_key.get(fold_name(text))
        if found is None:
            raise Unresolved(f"unknown indicator {text!r}: not in the catalogue")
        return found


class PeriodResolver:
    """Parses each distinct label once and stores each period once."""

    def __init__(self) -> None:
        self._stored = {(p.kind, p.basis, p.start, p.end): p.id for p in Period.objects.all()}
        self._cache: dict[tuple[str, YearBasis], int] = {}

    def resolve(self, text: str, basis: YearBasis) -> int:
        if (found := self._cache.get((text, basis))) is not None:
            return found
        try:
            parsed = parse_period(text, basis)
        except PeriodError as error:
            raise Unresolved(str(error)) from error
        key = (parsed.kind.value, parsed.basis.value, parsed.start, parsed.end)
        if key not in self._stored:
            period = Period.objects.create(
                kind=key[0], basis=key[1], start=key[2], end=key[3], label=parsed.label
            )
            self._stored[key] = period.id
        self._cache[(text, basis)] = self._stored[key]
        return self._stored[key]
