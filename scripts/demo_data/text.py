"""Reading the sources' text as published: tidying whitespace, and telling numbers apart
from suppression marks. Values themselves are never rewritten."""

from __future__ import annotations

import re


def tidy_text(text: str) -> str:
    """Normalise line endings and blank runs in long descriptions; words are unchanged."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def one_line(text: str) -> str:
    return " ".join(text.split())


def first_of(piped: str) -> str:
    """ESS metadata joins several sources with '|': the first one is Great Britain's."""
    return piped.split("|")[0].strip()


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip().lower() not in ("nan", "inf", "-inf")


def inferred_decimal_places(values: list[str], cap: int = 3) -> int:
    """Most decimals carried by the published numbers, ignoring float noise (19.3299999...)."""
    best = 0
    for value in values:
        if not is_number(value):
            continue
        text = f"{round(float(value), 6):.6f}".rstrip("0").rstrip(".")
        best = max(best, len(text.split(".")[1]) if "." in text else 0)
    return min(best, cap)
