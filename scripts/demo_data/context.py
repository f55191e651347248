"""What every source reader is given besides its own folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .records import Report
from .register import Aggregates, Registry
from .selection import Selection


@dataclass
class Context:
    shared: Path  # every collected source, e.g. ../shared/data
    selection: Selection
    registry: Registry
    aggregates: Aggregates
    report: Report

    def known(self, code: str) -> bool:
        """An authority in mySociety's register or an aggregate area."""
        return code in self.registry.gss_codes or code in self.aggregates.codes

    @classmethod
    def for_sources(cls, shared: Path, selection: Selection, report: Report) -> Context:
        registry = Registry(shared / "uk-local-authority-lookup")
        return cls(shared, selection, registry, Aggregates.from_sources(shared), report)
