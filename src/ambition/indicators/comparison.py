"""Which authorities a member is compared with on an indicator page, as LG Inform offers:
all English authorities of its type, London, the partnership, its boundary neighbours,
or a chosen group."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from ambition.registry.models import Authority, AuthorityKind, Partnership

LONDON_CODE = "E12000007"
ENGLAND_CODE = "E92000001"
GROUPS = {
    "members": "Members of the partnership",
    "london": "London boroughs and the City",
    "type": "English authorities of the same type",
    "neighbours": "Boundary neighbours",
    "all": "All English authorities",
    "chosen": "A chosen group",
}
LONDON_KINDS = (AuthorityKind.LONDON_BOROUGH, AuthorityKind.CITY_CORPORATION)


@dataclass(frozen=True)
class Comparison:
    key: str
    label: str
    authorities: QuerySet[Authority]


def comparison_group(
    key: str, focus: Authority | None, partnership: Partnership | None, chosen: list[str]
) -> Comparison:
    councils = Authority.objects.councils()
    if key == "type" and focus is not None:
        kinds = LONDON_KINDS if focus.kind in LONDON_KINDS else (focus.kind,)
        qs = councils.filter(kind__in=kinds)
        return Comparison(key, f"English authorities of type {focus.get_kind_display()}", qs)
    if key == "neighbours" and focus is not None:
        ids = [focus.id, *focus.neighbours.values_list("neighbour_id", flat=True)]
        return Comparison(
            key, f"{focus.name} and its boundary neighbours", councils.filter(id__in=ids)
        )
    if key == "all":
        return Comparison(key, GROUPS[key], councils)
    if key == "chosen" and chosen:
        return Comparison(key, GROUPS[key], councils.filter(code__in=chosen))
    if key == "members" and partnership is not None:
        return Comparison(key, GROUPS[key], councils.members_of(partnership))
    return Comparison("london", GROUPS["london"], councils.filter(kind__in=LONDON_KINDS))
