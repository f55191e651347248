"""Spend transactions put in procurement categories by word rules (`proclass.toml`): pure,
vectorised with Polars, over the stored transaction columns.

A rule is a word or phrase; it matches a field's text as whole words, case-folded. Each
field that holds a category's word adds that field's weight to the category's score; the
highest score wins. Two categories on the same highest score are a tie, and a tie is left
uncategorised with the reason: only the weights break ties, never the order of the file.
The work is done once per distinct combination of the four fields, not once per row."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

RULES_FILE = Path(__file__).with_name("proclass.toml")
# The canonical fields the rules read (reading.fields.Field values), in the order a
# reason quotes them.
FIELDS = ("expense_type", "account", "service", "purpose")
LABELS = {
    "expense_type": "expense type",
    "account": "account",
    "service": "service",
    "purpose": "purpose",
}
NOTHING_GIVEN = "no expense type, account, service or purpose given"
ADDED = ("category", "cpv", "why")
_TOP = {"source", "licence", "weights", "category"}
_CATEGORY = {"code", "name", "cpv", "words", "procurement"}


class RulesError(ValueError):
    """The rules file is not as this module reads it; the message names the key."""


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    name: str
    cpv: tuple[str, ...]  # CPV divisions, two digits each
    words: tuple[str, ...]
    procurement: bool = True  # False for money passed on (grants), which buys nothing


@dataclass(frozen=True, slots=True)
class Rules:
    source: str
    licence: str
    weights: Mapping[str, int]
    categories: tuple[Category, ...]

    def names(self) -> dict[str, str]:
        return {c.code: c.name for c in self.categories}


@cache
def shipped() -> Rules:
    """The rules shipped with the project."""
    return load(RULES_FILE)


def load(path: Path) -> Rules:
    try:
        spec = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise RulesError(f"{path.name}: not TOML: {error}") from None
    return parse(spec, path.name)


def parse(spec: Mapping[str, Any], origin: str = "rules") -> Rules:
    """The rules from a parsed TOML document, checked key by key."""
    _no_strangers(spec, _TOP, origin)
    weights = _table(spec, "weights", origin)
    _no_strangers(weights, set(FIELDS), f"{origin}: weights")
    for field in FIELDS:
        value = weights.get(field)
        if type(value) is not int or value <= 0:
            raise RulesError(f"{origin}: weights.{field} must be a whole number above 0")
    listed = spec.get("category")
    if not isinstance(listed, list) or not listed:
        raise RulesError(f"{origin}: 'category' must be a non-empty array of tables")
    categories = tuple(_category(item, f"{origin}: category[{i}]") for i, item in enumerate(listed))
    codes = [c.code for c in categories]
    doubled = sorted({c for c in codes if codes.count(c) > 1})
    if doubled:
        raise RulesError(f"{origin}: category.code repeated: {', '.join(doubled)}")
    return Rules(
        _text(spec, "source", origin),
        _text(spec, "licence", origin),
        {f: int(weights[f]) for f in FIELDS},
        categories,
    )


def _category(item: object, where: str) -> Category:
    if not isinstance(item, dict):
        raise RulesError(f"{where}: must be a table")
    _no_strangers(item, _CATEGORY, where)
    code = _text(item, "code", where)
    where = f"{where} ({code})"
    cpv = _strings(item, "cpv", where, empty=True)
    wrong = [d for d in cpv if len(d) != 2 or not d.isdigit()]
    if wrong:
        raise RulesError(f"{where}: cpv must be two-digit CPV divisions, not {wrong}")
    words = _strings(item, "words", where, empty=False)
    blank = [w for w, n in zip(words, normalised(words), strict=True) if n is None]
    if blank:
        raise RulesError(f"{where}: words has no letters or digits in {blank}")
    procurement = item.get("procurement", True)
    if not isinstance(procurement, bool):
        raise RulesError(f"{where}: procurement must be true or false")
    return Category(code, _text(item, "name", where), cpv, words, procurement)


def _no_strangers(table: Mapping[str, Any], known: set[str], where: str) -> None:
    strangers = sorted(set(table) - known)
    if strangers:
        raise RulesError(f"{where}: unknown key(s) {', '.join(strangers)}")


def _table(spec: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = spec.get(key)
    if not isinstance(value, dict):
        raise RulesError(f"{where}: '{key}' must be a table")
    return value


def _text(spec: Mapping[str, Any], key: str, where: str) -> str:
    value = spec.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RulesError(f"{where}: '{key}' must be non-empty text")
    return value


def _strings(spec: Mapping[str, Any], key: str, where: str, *, empty: bool) -> tuple[str, ...]:
    value = spec.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"{where}: '{key}' must be an array of text")
    if not value and not empty:
        raise RulesError(f"{where}: '{key}' must not be empty")
    return tuple(value)


def _normal(text: pl.Expr) -> pl.Expr:
    """Text as the rules compare it: case-folded, `&` as "and", every run of other marks a
    single space, padded with a space each side so that a padded phrase found in it is found
    as whole words; null where nothing is left."""
    words = (
        text.str.to_lowercase()
        .str.replace_all("&", " and ", literal=True)
        .str.replace_all(r"[^\p{L}\p{N}]+", " ")
        .str.strip_chars()
    )
    return pl.when(words.str.len_chars() > 0).then(pl.concat_str(pl.lit(" "), words, pl.lit(" ")))


def normalised(words: Sequence[str]) -> list[str | None]:
    """Phrases normalised exactly as the text they are looked for in."""
    phrases = pl.DataFrame({"phrase": list(words)}, schema={"phrase": pl.String})
    return phrases.select(_normal(pl.col("phrase"))).to_series().to_list()


def categorise(frame: pl.DataFrame, rules: Rules | None = None) -> pl.DataFrame:
    """The frame, rows as they were, with `category` (a code, or null), `cpv` (its CPV
    divisions, comma-separated, or null) and `why` (the rule and field that matched, or
    why no category was given). A field missing from the frame counts as not given."""
    rules = rules or shipped()
    keys = frame.select(
        (pl.col(f) if f in frame.columns else pl.lit(None)).cast(pl.String).alias(f) for f in FIELDS
    )
    distinct = keys.unique(maintain_order=True)
    decided = distinct.hstack(_decided(distinct, rules).get_columns())
    found = keys.join(decided, on=list(FIELDS), how="left", nulls_equal=True, maintain_order="left")
    return frame.with_columns(found.select(ADDED).get_columns())


def _decided(keys: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """category, cpv and why for each distinct combination of the fields."""
    texts = keys.select(_normal(pl.col(f)).alias(f) for f in FIELDS)
    matched = texts.select(_matches(rules))
    scored = matched.with_columns(_scores(rules)).with_columns(
        pl.max_horizontal(_score_names(rules)).alias("_best")
    )
    winners = pl.concat_list(
        pl.when(pl.col(s) == pl.col("_best")).then(pl.lit(c.code))
        for s, c in zip(_score_names(rules), rules.categories, strict=True)
    ).list.drop_nulls()
    scored = scored.with_columns(
        winners.alias("_winners"),
        _first_given(keys, texts).alias("_given"),
        *[keys[f].str.strip_chars().alias(f"_raw_{f}") for f in FIELDS],
        texts.select(pl.all_horizontal(pl.all().is_null())).to_series().alias("_none"),
    )
    single = (pl.col("_best") > 0) & (pl.col("_winners").list.len() == 1)
    category = pl.when(single).then(pl.col("_winners").list.first())
    return scored.select(
        category.alias("category"),
        category.replace_strict(cpv_of(rules), default=None, return_dtype=pl.String).alias("cpv"),
        _why(rules, single).alias("why"),
    )


def _column(index: int, field: str) -> str:
    return f"_m{index}_{field}"


def _score_names(rules: Rules) -> list[str]:
    return [f"_s{i}" for i in range(len(rules.categories))]


def _matches(rules: Rules) -> list[pl.Expr]:
    """For each category and field, the first of the category's phrases the field holds."""
    exprs = []
    for i, category in enumerate(rules.categories):
        patterns = [p for p in normalised(category.words) if p is not None]
        for field in FIELDS:
            found = pl.col(field).str.extract_many(patterns).list.first().str.strip_chars()
            exprs.append(found.alias(_column(i, field)))
    return exprs


def _scores(rules: Rules) -> list[pl.Expr]:
    return [
        pl.sum_horizontal(
            pl.col(_column(i, f)).is_not_null().cast(pl.Int64) * rules.weights[f] for f in FIELDS
        ).alias(name)
        for i, name in enumerate(_score_names(rules))
    ]


def _first_given(keys: pl.DataFrame, texts: pl.DataFrame) -> pl.Series:
    """The first field with any text, as written (trimmed): what a reason quotes."""
    given = [pl.when(texts[f].is_not_null()).then(keys[f].str.strip_chars()) for f in FIELDS]
    return pl.select(pl.coalesce(given)).to_series()


def cpv_of(rules: Rules) -> dict[str, str | None]:
    """Each category's CPV divisions as a row shows them, comma-separated."""
    return {c.code: ", ".join(c.cpv) or None for c in rules.categories}


def _why(rules: Rules, single: pl.Expr) -> pl.Expr:
    """The matching rule and field of a category given; else why none was."""
    quoted = pl.concat_str(pl.lit("'"), pl.col("_given"), pl.lit("'"))
    winners = pl.col("_winners")
    return (
        pl.when(pl.col("_none"))
        .then(pl.lit(NOTHING_GIVEN))
        .when(single)
        .then(_matched(rules))
        .when(pl.col("_best") == 0)
        .then(pl.concat_str(pl.lit("no rule matches "), quoted))
        .otherwise(
            pl.concat_str(
                pl.lit("rules for "),
                winners.list.join(" and "),
                pl.lit(" tie on '"),
                _winning(rules, lambda i, f: pl.col(f"_raw_{f}")),
                pl.lit("'"),
            )
        )
    )


def _matched(rules: Rules) -> pl.Expr:
    """The winning category's phrase, in its heaviest matching field."""
    return _winning(
        rules,
        lambda i, f: pl.concat_str(
            pl.lit("rule '"),
            pl.col(_column(i, f)),
            pl.lit(f"' of {rules.categories[i].code} in {LABELS[f]}"),
        ),
    )


def _winning(rules: Rules, say: Callable[[int, str], pl.Expr]) -> pl.Expr:
    """`say(category index, field)` for the first winner and the heaviest field it matched
    in (FIELDS order among equal weights)."""
    by_weight = sorted(FIELDS, key=lambda f: -rules.weights[f])
    winner = pl.col("_winners").list.first()
    return pl.coalesce(
        pl.when(winner == category.code).then(
            pl.coalesce(
                pl.when(pl.col(_column(i, f)).is_not_null()).then(say(i, f)) for f in by_weight
            )
        )
        for i, category in enumerate(rules.categories)
    )
