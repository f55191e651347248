"""What a new version of a method changes, read from the text two runs keep.

Every run keeps the full text of its method file and its star table (`method_text`), so two
runs made with different versions can always be compared, even when neither version is the
file shipped today. The comparison is by meaning, not by line: the polarity statements by
indicator, the service areas by code, the star rules by id, and every other setting by its
name, each said as a person reads it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .methodology import kept_parts

WORDED = {"title", "summary", "description"}  # prose: said to have changed, not quoted


@dataclass(frozen=True)
class MethodChange:
    part: str  # "settings", "polarity", "service areas" or "star rules"
    what: str
    before: str
    after: str


def method_changes(before: str, after: str) -> list[MethodChange]:
    """Each difference between two versions of a method, by part."""
    (old, old_stars), (new, new_stars) = kept_parts(before), kept_parts(after)
    return [
        *_settings(old, new, skip={"polarity", "contested", "areas"}),
        *_polarity(old, new),
        *_keyed("service areas", old.get("areas", []), new.get("areas", []), "code", _area),
        *_settings(old_stars, new_stars, skip={"rules"}, prefix="stars."),
        *_keyed("star rules", old_stars.get("rules", []), new_stars.get("rules", []), "id", _rule),
    ]


def _flat(raw: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            out |= _flat(value, f"{prefix}{key}.")
        else:
            out[f"{prefix}{key}"] = value
    return out


def _shown(value: Any) -> str:
    if value is None:
        return "not set"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _settings(
    old: Mapping[str, Any], new: Mapping[str, Any], skip: set[str], prefix: str = ""
) -> list[MethodChange]:
    a = _flat({k: v for k, v in old.items() if k not in skip}, prefix)
    b = _flat({k: v for k, v in new.items() if k not in skip}, prefix)
    found = []
    for key in sorted(set(a) | set(b)):
        x, y = a.get(key), b.get(key)
        if x == y:
            continue
        if key.rsplit(".", 1)[-1] in WORDED:
            found.append(MethodChange("settings", key, "(earlier wording)", "reworded"))
        else:
            found.append(MethodChange("settings", key, _shown(x), _shown(y)))
    return found


def _statements(raw: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    found = {s["indicator"]: dict(s) for s in raw.get("polarity", [])}
    found |= {s["indicator"]: {**s, "better": "contested"} for s in raw.get("contested", [])}
    return found


def _said(statement: dict[str, Any] | None) -> str:
    if statement is None:
        return "none stated (the source's, if any)"
    better = statement.get("better", "")
    if better == "contested":
        return f"contested, unscored: {statement.get('reason', '')}"
    cited = f" ({statement['citation']})" if statement.get("citation") else ""
    return f"{better} is better{cited}"


def _polarity(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[MethodChange]:
    a, b = _statements(old), _statements(new)
    return [
        MethodChange("polarity", code, _said(a.get(code)), _said(b.get(code)))
        for code in sorted(set(a) | set(b))
        if a.get(code) != b.get(code)
    ]


def _area(area: dict[str, Any]) -> str:
    weights = area.get("weights") or {}
    named = ", ".join(f"{k} {v}" for k, v in sorted(weights.items()))
    return f"weights: {named}" if named else "every indicator with a polarity, weight 1"


def _rule(rule: dict[str, Any]) -> str:
    return f"{rule.get('stars')} stars: {rule.get('text', '')} (source: {rule.get('source', '')})"


def _keyed(
    part: str,
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    key: str,
    said: Callable[[dict[str, Any]], str],
) -> list[MethodChange]:
    a = {item[key]: item for item in old if key in item}
    b = {item[key]: item for item in new if key in item}
    found = [
        MethodChange(
            part,
            name,
            said(a[name]) if name in a else "not in this version",
            said(b[name]) if name in b else "not in this version",
        )
        for name in sorted(set(a) | set(b))
        if a.get(name) != b.get(name)
    ]
    order = [item[key] for item in new if key in item]
    if not found and set(a) == set(b) and order != [item[key] for item in old if key in item]:
        found.append(MethodChange(part, "order", "earlier order", ", ".join(order)))
    return found
