"""Read a spending file, in whatever layout an authority publishes it, into canonical
records. Pure: bytes in, a `Reading` out (records, problems, the mapping that was used or
the questions a person must answer first); nothing here touches the database.

The modules, from the bytes up: `decoding` (bytes to text), `tables` (text or a workbook
to numbered rows), `bodies` (the rows under a header, as Python's csv or Arrow's CSV reader
reads them), `headers` (the header row under any preamble), `fields` (the canonical fields
and the headings that name them), `mapping` (columns to fields), `values` (amounts, dates,
periods and the rows that are not spend), `body` (a body's columns read at once),
`records` (one row read cell by cell, for the rows the columns leave), `frame` (records as
columns), `rows` (the whole read) and `answered` (the read with a person's answers and the
authority's confirmed mappings)."""

from .mapping import Ambiguity, Mapping
from .records import Problem, Record
from .rows import Reading, StatedTotal, read_spend
from .tables import UnreadableFile

__all__ = [
    "Ambiguity",
    "Mapping",
    "Problem",
    "Reading",
    "Record",
    "StatedTotal",
    "UnreadableFile",
    "read_spend",
]
