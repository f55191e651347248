"""Identifiers for grants, organisations and places in 360Giving data.

Grants: `360G-<prefix>-<reference>`, the prefix being the setting `GRANTS_360G_PREFIX`
(the one 360Giving registers for the publisher; "ambition" until it has one).

Organisations: the standard asks for an org-id.guide identifier, a list code and the
organisation's number in that list. For a council the list is the old GOV.UK register of
local authorities: `GB-LAE` (England), `GB-LAS` (Scotland), `GB-PLA` (Wales) and `GB-LANI`
(Northern Ireland), whose codes are the three-letter ISO 3166-2:GB ones, so Barking and
Dagenham is `GB-LAE-BDG`. Our registry holds an authority's ONS (GSS) code, and mySociety's
lookup that it loads (`data/registry/uk_local_authorities_future.csv`) says, in its column
`old-register-and-code`, which register held the authority under which code
(`local-authority-eng:BDG`). That column is the test, not the authority's own
`registry_code`: mySociety gives a code to every authority, but councils created after the
registers froze (North Yorkshire, 2023, or the combined authorities) are in none of them, and
an identifier nobody can look up is worse than an honest internal one. A body that is in no
register (the London Fire and Emergency Planning Authority, a partnership) gets the standard's
fallback for organisations without an official number: `360G-<prefix>-<our key>`, its ONS code
or its slug.

Places: a beneficiary location is the authority's area by its GSS code, typed with the
standard's Geographic Code Type list (`LONB` for E09, a London borough), read from the
shipped codelist.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

from django.conf import settings  # type: ignore[import-untyped]

from .records import IDENTIFIER_PART, Organisation, Place

DEFAULT_PREFIX = "ambition"
LOOKUP_FILE = "uk_local_authorities_future.csv"  # mySociety's, in data/registry
# The GOV.UK registers of local authorities, by name, and their org-id.guide list codes.
REGISTER_LISTS = {
    "local-authority-eng": "GB-LAE",
    "local-authority-sct": "GB-LAS",
    "principal-local-authority": "GB-PLA",
    "local-authority-nir": "GB-LANI",
}


def grant_prefix() -> str:
    prefix = str(getattr(settings, "GRANTS_360G_PREFIX", DEFAULT_PREFIX))
    if not IDENTIFIER_PART.fullmatch(prefix):
        raise ValueError(f"GRANTS_360G_PREFIX {prefix!r}: use letters, digits, - and _")
    return prefix


def grant_id(prefix: str, reference: str) -> str:
    return f"360G-{prefix}-{reference}"


def internal_id(prefix: str, key: str) -> str:
    """The standard's identifier for an organisation that is on no official list."""
    return f"360G-{prefix}-{key}"


def registered_identifiers(lookup: Path | None = None) -> dict[str, str]:
    """GSS code -> org-id.guide identifier, for every authority a GOV.UK register held."""
    return dict(_registered(lookup or settings.DATA_DIR / "registry" / LOOKUP_FILE))


@functools.lru_cache(maxsize=4)
def _registered(lookup: Path) -> tuple[tuple[str, str], ...]:
    with lookup.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    found = []
    for row in rows:
        register, _, code = row["old-register-and-code"].partition(":")
        if row["gss-code"] and register in REGISTER_LISTS and code:
            found.append((row["gss-code"], f"{REGISTER_LISTS[register]}-{code}"))
    return tuple(found)


def authority_organisation(
    ons_code: str, name: str, prefix: str, registered: dict[str, str] | None = None
) -> Organisation:
    known = registered_identifiers() if registered is None else registered
    return Organisation(known.get(ons_code) or internal_id(prefix, ons_code), name)


def partnership_organisation(slug: str, name: str, prefix: str) -> Organisation:
    """A partnership holds no registration number of its own: it is named by its slug."""
    return Organisation(internal_id(prefix, slug), name)


def geo_code_types(codelist: Path | None = None) -> dict[str, str]:
    """GSS entity (the first three characters, `E09`) -> the standard's Geographic Code Type."""
    folder = settings.DATA_DIR / "standards" / "360giving" / "codelists"
    return dict(_code_types(codelist or folder / "geoCodeType.csv"))


@functools.lru_cache(maxsize=4)
def _code_types(codelist: Path) -> tuple[tuple[str, str], ...]:
    with codelist.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    # Each row documents its entity by a URL ending in the entity code: .../statistical-entity/E09
    return tuple((row["Documentation (URL)"].rsplit("/", 1)[-1], row["Code"]) for row in rows)


def authority_place(ons_code: str, name: str, types: dict[str, str] | None = None) -> Place:
    known = geo_code_types() if types is None else types
    return Place(ons_code, name, known.get(ons_code[:3], ""))
