"""Read an observation's value, and its status, as statistical releases write them.

A value that is suppressed or missing is never zero: it is None, with a status
that says which. The markers:

- suppressed: "c", "x", "[c]", "[x]", "*", "~", "low", "[low]";
- missing: "", "-", "..", ":", "z", "[z]", "n/a", "na", "nan", "#", and None.

"nan" in any spelling that float() accepts is missing, because spreadsheets and
data frames write an empty cell so. An infinity is an error, since no indicator
can take one. Numbers may carry thousands separators in groups of three, a
leading "£", a trailing "%" (the number is kept as written: "12.3%" is 12.3), a
Unicode minus sign, an exponent, and a trailing status marker: "12.3p" or
"12.3 [p]" (provisional), "e" (estimated), "u" (unreliable), "r" (revised).
Accounting brackets ("(3.2)"), decimal commas ("1,5") and underscores ("1_000")
are refused, as they are ambiguous or not how our sources write numbers.

Where a value enters (a file, the correction form, the API) it must also lie in the
range its indicator's unit allows (`value_range`, said in words by `RANGE_RULE`), and a
restricted-until day must be a plausible one (`restricted_until_problem`).
"""

import datetime
import math
import re
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    PROVISIONAL = "provisional"
    ESTIMATED = "estimated"
    SUPPRESSED = "suppressed"
    UNRELIABLE = "unreliable"
    MISSING = "missing"
    REVISED = "revised"
    FINAL = "final"


@dataclass(frozen=True, slots=True)
class ParsedValue:
    value: float | None
    status: Status | None


class ValueParseError(ValueError):
    """A value or status that cannot be read; the message tells its writer why."""


def parse_value(text: str | None) -> ParsedValue:
    """The number in `text` and the status its markers give, if any."""
    if text is None:
        return _MISSING
    try:
        # Nearly every cell is a plain number; float() reads it faster than any regex.
        number = float(text)
    except ValueError:
        return _parse_written(text.strip())
    if math.isnan(number):
        return _MISSING
    if math.isinf(number):
        raise ValueParseError(f"{text.strip()!r} is not a finite number")
    if "_" in text:
        return _parse_written(text.strip())
    return ParsedValue(number, None)


def parse_status(text: str | None) -> Status | None:
    """The status that `text` names ("p", "[p]", "prov", "provisional" ...); blank is None."""
    if text is None:
        return None
    key = text.strip().lower()
    if key.startswith("[") and key.endswith("]"):
        key = key[1:-1].strip()
    if not key:
        return None
    if key not in _STATUS_WORDS:
        raise ValueParseError(f"{text.strip()!r} is not a status: {_KNOWN_STATUSES}")
    return _STATUS_WORDS[key]


def is_percentage_unit(unit: str) -> bool:
    """Whether `unit` is a percentage ("%", "per cent", "% of pupils", "Percentage of
    households"), so that its values cannot be negative."""
    folded = " ".join(unit.lower().split())
    # "% of pupils" and "Percentage of households" are shares too.
    return folded in _PERCENT_WORDS or folded.startswith(_PERCENT_SHARES)


# No indicator carries a figure near this (national spend in pounds is about 1e12), and
# every value within it formats exactly with 28-digit decimals: a larger one is a slip.
MAGNITUDE_LIMIT = 1e15
RESTRICTED_FIRST = datetime.date(2000, 1, 1)
RESTRICTED_LAST = datetime.date(2100, 12, 31)
RESTRICTED_SPAN = f"from {RESTRICTED_FIRST.isoformat()} to {RESTRICTED_LAST.isoformat()}"


@dataclass(frozen=True, slots=True)
class ValueRange:
    """The values an indicator's unit allows, both ends included."""

    low: float
    high: float
    what: str  # "a percentage": what a value of this unit is, for messages

    def problem(self, value: float) -> str | None:
        """Why `value` is refused, or None when it is in range."""
        if not math.isfinite(value):
            return f"{value} is not a finite number"
        if self.low <= value <= self.high:
            return None
        side, limit = ("over", self.high) if value > self.high else ("under", self.low)
        return f"{_shown(value)} is {self.what} {side} {_shown(limit)}: {self._advice(side)}"

    def _advice(self, side: str) -> str:
        # A range bounded below but open up to the magnitude limit is told by its one end.
        if side == "under" and self.low > -MAGNITUDE_LIMIT and self.high == MAGNITUDE_LIMIT:
            return f"write a value of {_shown(self.low)} or more"
        return f"write a value from {_shown(self.low)} to {_shown(self.high)}"


# A percentage counts things per hundred of something, and no count is below zero, so a
# negative percentage is a slip (a change or a gap is written "% change", "% gap" or
# "percentage points", which are not percentage units here). There is no top below
# MAGNITUDE_LIMIT, whatever the wording: published percentages pass 100 where they count
# events or people from elsewhere per hundred of a population (DfE's suspensions, "% of the
# school population", reach 290 in a special school, since a pupil can be suspended many
# times; take-up of early education, "% of 3 & 4 yr olds", 151, as children cross council
# borders), so a unit's words never make a value over 100 certainly wrong.
PERCENTAGE_RANGE = ValueRange(0.0, MAGNITUDE_LIMIT, "a percentage")
ANY_RANGE = ValueRange(-MAGNITUDE_LIMIT, MAGNITUDE_LIMIT, "a value")
RANGE_RULE = (
    "A percentage (a unit of %, per cent or percentage, or % of something) may not be "
    "negative, but may pass 100, as a rate per hundred such as suspensions per 100 pupils "
    'does; a score "out of N" lies from 0 to N; any other value lies within '
    f"{MAGNITUDE_LIMIT:,.0f} either side of zero."
)


def value_range(unit: str) -> ValueRange:
    """The range a unit allows: 0 up to MAGNITUDE_LIMIT for a percentage, 0 to N for a score
    "out of N", and otherwise any value within MAGNITUDE_LIMIT either side of zero."""
    if is_percentage_unit(unit):
        return PERCENTAGE_RANGE
    if top := _OUT_OF.search(" ".join(unit.lower().split())):
        return ValueRange(0.0, min(float(top["top"].replace(",", "")), MAGNITUDE_LIMIT), "a score")
    return ANY_RANGE


def restricted_until_problem(day: datetime.date) -> str | None:
    """Why a restricted-until day is refused (one far past or far future is a slip of the
    keyboard, and would hide a value for ever), or None when it is plausible."""
    if RESTRICTED_FIRST <= day <= RESTRICTED_LAST:
        return None
    return (
        f"{day.isoformat()} is not a plausible restricted-until date: write a day {RESTRICTED_SPAN}"
    )


def _shown(number: float) -> str:
    # Sixteen significant figures: exact for what people type, and the limit in full.
    return format(number, ",.16g")


_MISSING = ParsedValue(None, Status.MISSING)
_SUPPRESSED = ParsedValue(None, Status.SUPPRESSED)
_MARKERS = dict.fromkeys(["c", "x", "[c]", "[x]", "*", "~", "low", "[low]"], _SUPPRESSED) | (
    dict.fromkeys(["", "-", "..", ":", "z", "[z]", "n/a", "na", "nan", "#"], _MISSING)
)
_FLAGS = {
    "p": Status.PROVISIONAL,
    "e": Status.ESTIMATED,
    "u": Status.UNRELIABLE,
    "r": Status.REVISED,
}
_STATUS_WORDS = {
    **_FLAGS,
    "prov": Status.PROVISIONAL,
    "provisional": Status.PROVISIONAL,
    "est": Status.ESTIMATED,
    "estimate": Status.ESTIMATED,
    "estimated": Status.ESTIMATED,
    "c": Status.SUPPRESSED,
    "x": Status.SUPPRESSED,
    "suppressed": Status.SUPPRESSED,
    "unreliable": Status.UNRELIABLE,
    "rev": Status.REVISED,
    "revised": Status.REVISED,
    "final": Status.FINAL,
    "z": Status.MISSING,
    "missing": Status.MISSING,
}
_KNOWN_STATUSES = "expected p, e, c, x, u, r, z, or one of " + ", ".join(s.value for s in Status)
_PERCENT_WORDS = ("%", "percent", "per cent", "percentage")
_PERCENT_SHARES = tuple(f"{word} of " for word in _PERCENT_WORDS)
_OUT_OF = re.compile(r"\bout of (?P<top>\d{1,3}(?:,\d{3})+|\d+)$")
_MINUS_SIGNS = str.maketrans(dict.fromkeys("\u2212\u2013\u2014", "-"))
_NUMBER = re.compile(
    r"(?P<sign>[-+]?) ?(?:£ ?)?"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)(?P<exponent>e[-+]?\d+)?"
    r"(?: ?%)?(?: ?\[(?P<bracketed>[peur])\]| ?(?P<flag>[peur]))?",
    re.ASCII,
)


def _parse_written(stripped: str) -> ParsedValue:
    """The slow path: markers, separators, symbols and status flags."""
    key = stripped.translate(_MINUS_SIGNS).lower()
    if (marker := _MARKERS.get(key)) is not None:
        return marker
    match = _NUMBER.fullmatch(key)
    if match is None:
        raise ValueParseError(f"{stripped!r} is not a number{_hint(key)}")
    digits = match["digits"].replace(",", "") + (match["exponent"] or "")
    number = float(match["sign"] + digits)
    if math.isinf(number):
        raise ValueParseError(f"{stripped!r} is not a finite number")
    flag = match["bracketed"] or match["flag"]
    return ParsedValue(number, _FLAGS[flag] if flag else None)


def _hint(key: str) -> str:
    # Brackets mean a negative number to an accountant and a note to a statistician.
    if key.startswith("(") and key.endswith(")"):
        return ": brackets are ambiguous, so write a negative number with a minus sign"
    return ""
