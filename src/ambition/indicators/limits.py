"""The limits an import file must keep to, and the words that refuse one that does not.
Set by settings (see docs/settings.md); the import page states them before an upload."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1 << 20
# A small file may be very repetitive (a few rows of one value), so its compression ratio
# is judged only once it has expanded past this: a bomb always has.
RATIO_FLOOR = 16 * MB


class UnreadableFile(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Limits:
    rows: int  # rows of data, the header not counted
    columns: int
    expanded_mb: int  # what a compressed file (gzip, XLSX) may expand to
    ratio: int  # how many times its own size a compressed file may expand to

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        return cls(
            settings.IMPORT_MAX_ROWS,
            settings.IMPORT_MAX_COLUMNS,
            settings.IMPORT_MAX_EXPANDED_MB,
            settings.IMPORT_MAX_RATIO,
        )

    def check_expansion(self, expanded: int, packed: int) -> None:
        """Refuse a compressed file of `packed` bytes that expands (or says it will expand)
        to `expanded` bytes past either limit."""
        if expanded > self.expanded_mb * MB:
            raise UnreadableFile(
                f"the file expands to more than {self.expanded_mb:,} MB; the limit is "
                f"{self.expanded_mb:,} MB: split it into smaller files"
            )
        if expanded > RATIO_FLOOR and expanded > self.ratio * max(packed, 1):
            raise UnreadableFile(
                f"the file expands to more than {self.ratio:,} times its size, as a zip bomb "
                f"does; the limit is {self.ratio:,} times: save it again without compression"
            )

    def too_many_rows(self) -> str:
        return (
            f"the file has more than {self.rows:,} rows of data; the limit is {self.rows:,} "
            "rows: split it into smaller files"
        )

    def bound_columns(self, row: int, cells: list[str]) -> list[str]:
        if len(cells) > self.columns:
            raise UnreadableFile(
                f"row {row} has {len(cells):,} columns; the limit is {self.columns:,} columns"
            )
        return cells
