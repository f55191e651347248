"""People's decisions about suppliers applied to a run's clusters. A decision is a label:
these records are one supplier (confirm, merge), or this record is not the others' supplier
(split). Records are named by keys that are the same in every run, so labels made on one run
override every later one: applied in the order they were made, after Splink has clustered.
Pure: keys and labels in, groups out."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

KEY_LENGTH = 20
CONFIRM, SPLIT, MERGE = "confirm", "split", "merge"
UNREVIEWED, CONFIRMED, CHANGED, DECIDED = "unreviewed", "confirmed", "changed", "decided"


def member_key(
    authority: str,
    supplier: str,
    company_number: str | None = None,
    charity_number: str | None = None,
    postcode: str | None = None,
) -> str:
    """One record's key: the same authority, spelling, numbers and postcode, the same key."""
    written = [authority, supplier, company_number or "", charity_number or "", postcode or ""]
    return hashlib.sha256(json.dumps(written).encode()).hexdigest()[:KEY_LENGTH]


def cluster_key(members: Iterable[str]) -> str:
    """A cluster's key: its least member key, so it stays while that record stays in it."""
    return min(members)


def display_name(spellings: Iterable[str]) -> str:
    """The spelling written most often (by most authorities' records), the longest of
    those (the one least cut short), then the first in order."""
    counted = Counter(spellings)
    return min(counted, key=lambda s: (-counted[s], -len(s), s))


@dataclass(frozen=True)
class Label:
    id: int
    action: str
    together: tuple[str, ...]
    apart: tuple[str, ...] = ()


@dataclass
class Applied:
    """Each member's group (by the group's key), and for each label whether the run's own
    clustering disagreed with it (so the label changed the run)."""

    group_of: dict[str, str]
    disagreed: dict[int, bool]
    groups: dict[str, set[str]] = field(default_factory=dict)


def applied(splink: Mapping[str, str], labels: Iterable[Label]) -> Applied:
    """Splink's clusters (`splink`: member key -> cluster) with every label applied in turn.
    A label naming members this run does not have applies to those it has."""
    group_of = dict(splink)
    groups: dict[str, set[str]] = {}
    for member, group in group_of.items():
        groups.setdefault(group, set()).add(member)
    disagreed: dict[int, bool] = {}
    for label in labels:
        together = [k for k in label.together if k in group_of]
        if label.action == SPLIT:
            apart = [k for k in label.apart if k in group_of]
            disagreed[label.id] = _split(together, apart, group_of, groups, splink)
        else:
            disagreed[label.id] = len({splink[k] for k in together}) > 1
            _join(together, group_of, groups)
    keyed = {cluster_key(members): members for members in groups.values() if members}
    return Applied(
        {member: key for key, members in keyed.items() for member in members}, disagreed, keyed
    )


def _join(together: list[str], group_of: dict[str, str], groups: dict[str, set[str]]) -> None:
    names = sorted({group_of[k] for k in together})
    if len(names) < 2:
        return
    kept = names[0]
    for name in names[1:]:
        for member in groups.pop(name):
            group_of[member] = kept
            groups[kept].add(member)


def _split(
    together: list[str],
    apart: list[str],
    group_of: dict[str, str],
    groups: dict[str, set[str]],
    splink: Mapping[str, str],
) -> bool:
    """Take the split member out of a group holding any member it is apart from; whether
    Splink had put it with one of them."""
    if not together:
        return False
    member = together[0]
    disagreed = any(splink[k] == splink[member] for k in apart)
    if any(group_of[k] == group_of[member] for k in apart):
        groups[group_of[member]].discard(member)
        group_of[member] = f"split:{member}"
        groups[group_of[member]] = {member}
    return disagreed


def state(members: set[str], labels: Iterable[Label]) -> str:
    """A group's review state: confirmed when a confirm or merge named exactly its members,
    changed when one named some of them (others came since), decided when a split touched
    it, else unreviewed."""
    found = UNREVIEWED
    for label in labels:
        named = set(label.together) & members
        if not named and not set(label.apart) & members:
            continue
        if label.action != SPLIT and named == members:
            return CONFIRMED
        if label.action != SPLIT and named:
            found = CHANGED
        elif found == UNREVIEWED:
            found = DECIDED
    return found
