"""Supplier names with a known truth, for measuring resolution: base names (made-up words
and the trade words real suppliers use, many bases sharing words, as "Acme Care" and "Acme
Building" do), each written several ways as councils write them: legal form changed or
dropped, case, punctuation, "&" and "and", typos, short forms, names cut at a column's
width, words reordered, "The", account codes. Seeded: the same arguments, the same names."""

from __future__ import annotations

import random
from collections.abc import Callable

import polars as pl

_SYLLABLES = [
    "ba",
    "ca",
    "da",
    "fe",
    "ge",
    "hi",
    "jo",
    "ka",
    "lu",
    "mo",
    "ne",
    "po",
    "qua",
    "ri",
    "sa",
    "te",
    "vo",
    "wi",
    "xa",
    "zo",
    "bro",
    "gra",
    "stan",
    "mer",
    "dell",
    "ton",
    "ham",
    "ley",
    "wick",
    "ford",
    "shaw",
    "ridge",
    "worth",
    "field",
]
TRADES = [
    "SERVICES",
    "CONSULTING",
    "CARE",
    "BUILDING",
    "SUPPLIES",
    "SOLUTIONS",
    "TECHNOLOGY",
    "CONSTRUCTION",
    "GROUP",
    "INTERNATIONAL",
    "ASSOCIATES",
    "PARTNERS",
    "TRAINING",
    "CLEANING",
    "SECURITY",
    "TRANSPORT",
    "ENERGY",
    "HOMES",
    "HOUSING",
    "DESIGN",
    "MEDIA",
    "SYSTEMS",
    "ENGINEERING",
    "MANAGEMENT",
    "EDUCATION",
    "TRUST",
]
_FORMS = ["LTD", "LIMITED", "PLC", "LLP", ""]
_SHORT = {"SERVICES": "SVCS", "INTERNATIONAL": "INTL", "MANAGEMENT": "MGMT", "AND": "&",
          "ASSOCIATES": "ASSOC", "COMPANY": "CO"}  # fmt: skip


# Each made-up word is shared by about this many bases, at every size: the vocabulary grows
# with the number of bases, as a real register's does.
BASES_PER_WORD = 3
# A made-up word's syllables: three or four. Of 40,000 bases' words, 37% then have another
# word one letter away (Levenshtein 1, `crowding`), beside 25% of the words of the real GLA
# and Lambeth suppliers' names as the demo stores them (typos of one supplier included).
# Two or three syllables, as before, crowded 75% of them so at 40,000 bases (and every word
# was shared by six bases, not three): a typo then often wrote another supplier's name,
# which no method can tell apart.
SYLLABLES_PER_WORD = (3, 4)

# Real registers' names often start with a common word, a place or a title ("LONDON", "ST",
# "ROYAL", "BRITISH"). Of the 4,308 distinct keys of the GLA and Lambeth suppliers the demo
# stores, the 20 commonest first words start 10.6%, and two keys share their first word
# with a chance of 0.0014 (`first_word_sharing`). Made-up first words alone gave 0.00003
# at 40,000 bases: every block of one first word was a handful of names, as no real
# register's are. So a base starts with one of these at this rate, the first likeliest
# (weights one over the rank): 0.0014 again.
LEADING = ["LONDON", "ST", "ROYAL", "BRITISH", "SOUTH", "NATIONAL", "NEW", "INDEPENDENT",
           "NORTH", "EAST", "WEST", "GREATER", "CENTRAL", "UNITED", "GLOBAL", "METROPOLITAN",
           "COMMUNITY", "CITY", "FIRST", "GREEN"]  # fmt: skip
LEADING_SHARE = 0.106
_LEADING_WEIGHTS = [1 / rank for rank in range(1, len(LEADING) + 1)]


def base_names(count: int, rng: random.Random) -> list[str]:
    """`count` distinct base names of one to three made-up words and up to two trade
    words, some led by a common word (`LEADING`); a made-up word is shared by about
    `BASES_PER_WORD` bases."""
    shapes = [1, 1, 2, 2, 3]  # made-up words per base
    vocabulary = max(1, round(count * sum(shapes) / len(shapes) / BASES_PER_WORD))
    drawn: dict[str, None] = {}
    while len(drawn) < vocabulary:
        drawn[_word(rng)] = None
    words = list(drawn)  # in the order drawn
    made: dict[str, None] = {}
    while len(made) < count:
        own = rng.sample(words, min(len(words), rng.choice(shapes)))
        trade = rng.sample(TRADES, rng.choice([0, 1, 1, 2]))
        joiner = [" AND "] if len(own) == 2 and rng.random() < 0.2 else [" "]
        lead = (
            rng.choices(LEADING, _LEADING_WEIGHTS)[0] + " " if rng.random() < LEADING_SHARE else ""
        )
        made[lead + joiner[0].join(own) + (" " + " ".join(trade) if trade else "")] = None
    return list(made)


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice(SYLLABLES_PER_WORD))).upper()


def crowding(names: list[str]) -> float:
    """Of the distinct words of five letters or more in the names' keys, the share with
    another word one letter away: how easily a typo writes another supplier's word."""
    import numpy as np
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from .names import LEGAL_FORMS, supplier_key

    words = sorted({w for n in names for w in supplier_key(n).split() if len(w) >= 5} - LEGAL_FORMS)
    if len(words) < 2:
        return 0.0
    near = process.cdist(
        words, words, scorer=Levenshtein.distance, score_cutoff=1, dtype=np.uint8, workers=-1
    )
    return float((((near <= 1).sum(axis=1) - 1) > 0).mean())


def first_word_sharing(names: list[str]) -> float:
    """The chance that two distinct keys of the names share their first word (the sum of
    each first word's squared share): how large blocks of one first word grow."""
    from collections import Counter

    from .names import supplier_key

    keys = {supplier_key(n) for n in names} - {""}
    firsts = Counter(key.split(" ", 1)[0] for key in keys)
    return sum((n / len(keys)) ** 2 for n in firsts.values()) if keys else 0.0


def variant(name: str, rng: random.Random) -> str:
    """One way of writing the name: one to three changes."""
    for change in rng.sample(CHANGES, rng.choice([1, 1, 2, 3])):
        name = change(name, rng) or name
    return name


def _form(name: str, rng: random.Random) -> str:
    return f"{name} {rng.choice(_FORMS)}".strip()


def _case(name: str, rng: random.Random) -> str:
    return rng.choice([str.title, str.lower, str.upper])(name)


def _punctuation(name: str, rng: random.Random) -> str:
    words = name.split()
    at = rng.randrange(len(words))
    words[at] += rng.choice([",", ".", "'", ""])
    return " ".join(words).replace(" AND ", rng.choice([" & ", " and ", "&"]))


def _typo(name: str, rng: random.Random) -> str:
    words = name.split()
    at = max(range(len(words)), key=lambda i: (len(words[i]) > 4, rng.random()))
    word = words[at]
    if len(word) < 5:
        return name
    i = rng.randrange(1, len(word) - 1)
    edits = [word[:i] + word[i + 1 :], word[:i] + word[i + 1] + word[i] + word[i + 2 :],
             word[:i] + rng.choice("AEIOUNRST") + word[i + 1 :]]  # fmt: skip
    words[at] = rng.choice(edits)
    return " ".join(words)


def _short(name: str, rng: random.Random) -> str:
    return " ".join(_SHORT.get(word, word) for word in name.split())


def _cut(name: str, rng: random.Random) -> str:
    return name[: rng.choice([20, 25, 30, 35])] if len(name) > 20 else name


def _order(name: str, rng: random.Random) -> str:
    words = name.split()
    if len(words) < 3:
        return name
    i = rng.randrange(len(words) - 1)
    words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def _the(name: str, rng: random.Random) -> str:
    return f"THE {name}"


def _code(name: str, rng: random.Random) -> str:
    code = rng.randrange(10_000, 999_999)
    return rng.choice([f"{name} - {code}", f"{name} (A/C {code % 1000})"])


CHANGES: list[Callable[[str, random.Random], str]] = [
    _form, _form, _case, _case, _punctuation, _typo, _typo, _short, _cut, _order, _the, _code,
]  # fmt: skip


def truth_set(names: int, bases: int, seed: int = 13) -> pl.DataFrame:
    """`names` supplier names (`supplier`) from `bases` base names, each with the index of
    its base (`truth`). Every base is written at least once."""
    rng = random.Random(seed)
    written = base_names(bases, rng)
    picks = list(range(bases)) + [rng.randrange(bases) for _ in range(names - bases)]
    return pl.DataFrame(
        {"supplier": [variant(written[b], rng) for b in picks], "truth": picks},
        schema={"supplier": pl.String, "truth": pl.Int64},
    )


def pairwise_scores(found: pl.DataFrame, cluster: str = "cluster_id") -> dict[str, float]:
    """Pairwise precision, recall and F1 of clusters against the truth: pairs of names put
    together, pairs that belong together, and both."""

    def pairs(*by: str) -> int:
        sizes = found.group_by(*by).len()["len"]
        return int((sizes * (sizes - 1) // 2).sum())

    both, said, true = pairs(cluster, "truth"), pairs(cluster), pairs("truth")
    precision = both / said if said else 1.0
    recall = both / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}
