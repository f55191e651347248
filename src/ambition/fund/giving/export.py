"""One export in any of the three forms, as the bytes of the file to write."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from decimal import Decimal

from .flat import to_csv, to_xlsx
from .package import Publisher, package, to_json
from .records import GrantRecord, InvalidGrant
from .schema import problems

FORMATS = ("360giving", "csv", "xlsx")


def export(
    form: str,
    records: Sequence[GrantRecord],
    publisher: Publisher,
    prefix: str,
    issued: datetime.date | None = None,
) -> bytes:
    if form == "360giving":
        return checked_json(records, publisher, prefix, issued).encode("utf-8")
    if form == "csv":
        return to_csv(records, prefix).encode("utf-8")
    if form == "xlsx":
        return to_xlsx(records, prefix)
    raise ValueError(f"Unknown format {form!r}: one of {', '.join(FORMATS)}")


def checked_json(
    records: Sequence[GrantRecord],
    publisher: Publisher,
    prefix: str,
    issued: datetime.date | None = None,
) -> str:
    """The package's JSON text, refused unless it meets the standard's schema as a reader
    would parse it: nothing invalid is ever published."""
    text = to_json(package(records, publisher, prefix, issued))
    found = problems(json.loads(text, parse_float=Decimal))
    if found:
        raise InvalidGrant("The package breaks the 360Giving schema:\n" + "\n".join(found))
    return text
