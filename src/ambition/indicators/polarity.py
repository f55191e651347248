"""Where an indicator's polarity comes from. The store keeps the polarity its source states
(`Indicator.polarity`, with `polarity_basis` naming the metadata), and never guesses one.
An assessment method may state the better direction for an indicator whose source is silent,
with a reason and a citation, or say that the direction is contested; those statements live
in the method files of the assessment app, a floor above this one. That app registers a
reader here (`register`), so that the indicator page can say who stated what without this
app importing the assessment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Statement:
    """A method's word on an indicator's polarity: `better` is "higher" or "lower", or empty
    when the method holds the direction to be contested (then unscored), with the reason and,
    for a direction, the published target or framework that says so. `by` and `link` say
    which method, and where to read it, once the statement has left its method file."""

    indicator: str
    better: str
    reason: str
    citation: str = ""
    url: str = ""
    by: str = ""  # the method and its version, as a person reads it
    link: str = ""  # the page that lists the method's statements

    @property
    def contested(self) -> bool:
        return not self.better


Reader = Callable[[str], list[Statement]]
_readers: list[Reader] = []


def register(reader: Reader) -> None:
    """Add a reader of statements (once: registering it again changes nothing)."""
    if reader not in _readers:
        _readers.append(reader)


def statements(code: str) -> list[Statement]:
    """Every registered method's statement about the indicator, in registration order."""
    return [statement for reader in _readers for statement in reader(code)]
