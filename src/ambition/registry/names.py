"""How a name in a file is matched to an authority: the one rule, for the importer and for
the demo-data build (`scripts/demo_data`), which is why it needs no database. The importer
feeds it the stored `AuthorityName` keys; the build feeds it the mySociety register."""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from typing import Generic, TypeVar

Authority = TypeVar("Authority", bound=Hashable)

_FOLD = re.compile(r"[^a-z0-9]+")
# The register lists alternative names joined by bare commas; a name's own comma is followed
# by a space ("Bristol, City of"), so splitting on every comma would invent names.
_ALT_NAME_SEPARATOR = re.compile(r",(?! )")

STYLE_PREFIXES = ("london borough of ", "royal borough of ", "borough of ", "lb ", "rb ", "the ")
STYLE_SUFFIXES = (
    " metropolitan borough council",
    " borough council",
    " county council",
    " city council",
    " district council",
    " council",
    " borough",
)


class Unresolved(ValueError):
    pass


def fold_name(text: str) -> str:
    """The key names are matched on: case, '&', punctuation and spacing do not count."""
    return _FOLD.sub(" ", text.lower().replace("&", " and ")).strip()


def strip_style(key: str) -> str:
    """'lb hammersmith and fulham', 'sefton council': the name without how it is styled."""
    for prefix in STYLE_PREFIXES:
        key = key.removeprefix(prefix)
    for suffix in STYLE_SUFFIXES:
        if key.endswith(suffix):
            return key.removesuffix(suffix)
    return key


def register_spellings(row: Mapping[str, str]) -> list[str]:
    """Every code and name a row of mySociety's register knows an authority by."""
    codes = [row["gss-code"], row["local-authority-code"], row["snac"]]
    names = [row["nice-name"], row["official-name"], *_ALT_NAME_SEPARATOR.split(row["alt-names"])]
    return [*codes, *names, *row["former-gss-codes"].split(",")]


class NameIndex(Generic[Authority]):
    """Folded keys of every known identifier; a name that fits two authorities is refused
    rather than guessed (current authorities win over abolished ones)."""

    def __init__(self, entries: Iterable[tuple[str, Authority, bool]]) -> None:
        """`entries`: (folded key, authority, whether the authority is current)."""
        keys: dict[str, set[Authority]] = {}
        current: set[Authority] = set()
        for key, authority, is_current in entries:
            keys.setdefault(key, set()).add(authority)
            if is_current:
                current.add(authority)
        self._keys: dict[str, Authority | None] = {}
        for key, found in keys.items():
            live = (found & current) or found
            self._keys[key] = next(iter(live)) if len(live) == 1 else None
        self._cache: dict[str, Authority] = {}

    def resolve(self, text: str) -> Authority:
        if (found := self._cache.get(text)) is not None:
            return found
        key = fold_name(text)
        if not key:
            raise Unresolved("no authority given")
        if key not in self._keys:
            key = strip_style(key)
        if key not in self._keys:
            raise Unresolved(f"unknown authority {text!r}: not an ONS or SNAC code or a known name")
        authority = self._keys[key]
        if authority is None:
            raise Unresolved(f"ambiguous authority {text!r}: use its ONS code")
        self._cache[text] = authority
        return authority
