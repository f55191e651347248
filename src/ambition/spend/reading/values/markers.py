"""The rows of a spending file that are not spend, and the suppliers that are not named.

A blank row has no letter or digit in any cell (some finance systems pad the end of a
report with rows of dashes or daggers). A total row says so where the supplier would be,
or in its first filled cell when that is empty: "Total", "Grand total", "Sub-total",
"Total for June" (but not "Total Hygiene Ltd", a supplier). A redacted supplier is one the
publisher has withheld: "REDACTED", "Redacted - personal data", "Personal data",
"Individual", "Private individual", "Name withheld" and the like."""

from __future__ import annotations

import re
from collections.abc import Sequence

_ALPHANUMERIC = re.compile(r"[^\W_]")
_TOTAL = re.compile(
    r"(?:grand |sub |overall |report |page |period |month |monthly |net |gross )?totals?"
    r"(?: (?:for|of|to|spend|amount|paid|value|payments|expenditure)\b.*)?"
)
_WITHHELD_WORDS = re.compile(
    r"\b(?:redacted|redaction|withheld|personal data|personal information|data protection|"
    r"not disclosed|undisclosed|gdpr|confidential)\b"
)
_COMPANY_ENDING = re.compile(r" (?:ltd|limited|plc|llp|lp|cic|inc|llc|co|company|group|uk)$")
_WITHHELD_NAMES = {
    "individual", "individuals", "private individual", "private individuals", "an individual",
    "private person", "personal", "private", "name removed", "removed", "anonymised",
    "anonymous", "supplier name removed", "various individuals", "individual payee",
    "payment to an individual", "payments to individuals", "n a individual",
}  # fmt: skip


def is_blank(cells: Sequence[str]) -> bool:
    """No letter or digit anywhere in the row."""
    return not any(_ALPHANUMERIC.search(cell) for cell in cells)


def is_total(cells: Sequence[str], supplier: int | None) -> bool:
    """Whether the row is a total, told by its supplier cell or, when that is empty, by its
    first filled cell."""
    said = cells[supplier].strip() if supplier is not None and supplier < len(cells) else ""
    if not said:
        said = next((cell.strip() for cell in cells if cell.strip()), "")
    return "total" in said.lower() and bool(_TOTAL.fullmatch(_folded(said)))


def is_redacted(supplier: str) -> bool:
    """Whether the publisher withheld the supplier's name."""
    key = _folded(supplier)
    if key in _WITHHELD_NAMES or _all_masks(supplier):
        return True
    # "Privacy & Data Protection Ltd" is a company, whatever its name says.
    return bool(_WITHHELD_WORDS.search(key)) and not _COMPANY_ENDING.search(key)


def _folded(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def _all_masks(text: str) -> bool:
    # Stars, hashes or the letter x repeated ("*****", "#####", "xxxxx"): a name blotted out
    # character by character.
    stripped = text.strip()
    return len(stripped) >= 3 and len(set(stripped.lower())) == 1 and stripped[0] in "*#x"
