"""Reward rules as data: read `data/laa/reward-rules.toml` (its header documents the fields)
and refuse a malformed rule, naming the rule and the field at fault."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

# Relative to the data directory (settings.DATA_DIR): the engine reads no settings itself.
RULES_FILE = Path("laa") / "reward-rules.toml"
PRO_RATA, ALL_OR_NOTHING = "pro-rata", "all-or-nothing"
PAYS = (PRO_RATA, ALL_OR_NOTHING)
TEXT_FIELDS = ("key", "name", "pays", "citation", "explanation")
SHARE_FIELDS = ("threshold", "cap")
KEY = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class RewardRuleError(ValueError):
    """A reward rule that cannot be read: the message names the rule and the field."""


@dataclass(frozen=True)
class RewardRule:
    """How much of a target's reward a share of its stretch earns."""

    key: str
    name: str
    pays: str
    threshold: Decimal
    cap: Decimal
    citation: str
    explanation: str


def load_rules(path: Path | str) -> dict[str, RewardRule]:
    """Every rule in the file, by key."""
    path = Path(path)
    try:
        # Decimals, so that a threshold of 0.6 is exactly six tenths.
        document = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise RewardRuleError(f"{path.name}: not valid TOML: {error}") from error
    unknown = sorted(set(document) - {"rule"})
    if unknown or not isinstance(document.get("rule"), list) or not document["rule"]:
        raise RewardRuleError(f"{path.name}: expected one or more [[rule]] tables only")
    rules: dict[str, RewardRule] = {}
    for number, raw in enumerate(document["rule"], start=1):
        rule = parse_rule(raw, f"{path.name} rule {number}")
        if rule.key in rules:
            raise RewardRuleError(f"{path.name} rule {number}: field 'key': {rule.key!r} repeats")
        rules[rule.key] = rule
    return rules


def parse_rule(raw: dict[str, Any], where: str) -> RewardRule:
    """One rule from its table; `where` says which, for the error."""
    unknown = sorted(set(raw) - {*TEXT_FIELDS, *SHARE_FIELDS})
    if unknown:
        raise RewardRuleError(f"{where}: unknown field {unknown[0]!r}")
    texts = {name: _text(raw, name, where) for name in TEXT_FIELDS}
    shares = {name: _share(raw, name, where) for name in SHARE_FIELDS}
    if not KEY.fullmatch(texts["key"]):
        raise RewardRuleError(f"{where}: field 'key' must be lower-case words joined by hyphens")
    if texts["pays"] not in PAYS:
        raise RewardRuleError(f"{where}: field 'pays' must be one of {', '.join(PAYS)}")
    if shares["cap"] == 0:
        raise RewardRuleError(f"{where}: field 'cap' must be above 0: the rule would pay nothing")
    if shares["threshold"] > shares["cap"]:
        raise RewardRuleError(f"{where}: field 'threshold' must not exceed 'cap'")
    return RewardRule(
        key=texts["key"],
        name=texts["name"],
        pays=texts["pays"],
        threshold=shares["threshold"],
        cap=shares["cap"],
        citation=texts["citation"],
        explanation=texts["explanation"],
    )


def _text(raw: dict[str, Any], name: str, where: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        raise RewardRuleError(f"{where}: field {name!r} is required text")
    return value.strip()


def _share(raw: dict[str, Any], name: str, where: str) -> Decimal:
    value = raw.get(name)
    # bool is an int to Python, never a share.
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise RewardRuleError(f"{where}: field {name!r} is required: a number from 0 to 1")
    share = Decimal(value)
    if not 0 <= share <= 1:
        raise RewardRuleError(f"{where}: field {name!r} must be from 0 to 1, not {value}")
    return share
