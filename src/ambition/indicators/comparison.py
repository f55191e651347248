"""Which authorities a member is compared with on an indicator page, as LG Inform offers:
all English authorities of its type, London, the partnership, its boundary neighbours,
the authorities under the same political control, its sub-region, Inner or Outer London,
or a chosen group. Statistical nearest neighbours are on the assessment's pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from ambition.registry.models import Authority, AuthorityKind, Partnership, PoliticalControl

LONDON_CODE = "E12000007"
ENGLAND_CODE = "E92000001"
GROUPS = {
    "members": "Members of the partnership",
    "london": "London boroughs and the City",
    "type": "English authorities of the same type",
    "neighbours": "Boundary neighbours",
    "control": "Same political control",
    "subregion": "Same sub-region",
    "innerouter": "Inner or Outer London, as the authority",
    "all": "All English authorities",
    "chosen": "A chosen group",
}
LONDON_KINDS = (AuthorityKind.LONDON_BOROUGH, AuthorityKind.CITY_CORPORATION)
LONDON_SPLITS = {"subregion": "sub_region", "innerouter": "inner_outer"}


def _control(focus: Authority) -> PoliticalControl | None:
    return focus.control.order_by("-year").first()


def _under(control: PoliticalControl) -> QuerySet[Authority]:
    """Authorities under the same control in the same year (political control is held by
    year, for the members)."""
    ids = PoliticalControl.objects.filter(year=control.year, control=control.control).values(
        "authority_id"
    )
    return Authority.objects.councils().filter(id__in=ids)


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
    if key in LONDON_SPLITS and focus is not None and getattr(focus, LONDON_SPLITS[key]):
        value = getattr(focus, LONDON_SPLITS[key])
        qs = councils.filter(**{LONDON_SPLITS[key]: value})
        return Comparison(key, f"{value} London", qs)
    if key == "control" and focus is not None and (control := _control(focus)):
        return Comparison(
            key, f"Authorities under {control.control} ({control.year})", _under(control)
        )
    if key == "all":
        return Comparison(key, GROUPS[key], councils)
    if key == "chosen" and chosen:
        return Comparison(key, GROUPS[key], councils.filter(code__in=chosen))
    if key == "members" and partnership is not None:
        return Comparison(key, GROUPS[key], councils.members(partnership=partnership))
    return Comparison("london", GROUPS["london"], councils.filter(kind__in=LONDON_KINDS))
