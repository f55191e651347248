"""Every table a person sees can be downloaded as CSV and JSON from the same view
(`?format=csv|json`): a view describes its table once and `respond` serves it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse

FORMATS = ("csv", "json")


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass
class Table:
    name: str
    columns: Sequence[Column]
    rows: Iterable[dict[str, Any]]
    meta: dict[str, Any] = field(default_factory=dict)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.label for c in self.columns])
        for row in self.rows:
            writer.writerow(
                ["" if row.get(c.key) is None else row.get(c.key) for c in self.columns]
            )
        return out.getvalue()

    def json(self) -> str:
        rows = [{c.key: row.get(c.key) for c in self.columns} for row in self.rows]
        return json.dumps(
            {**self.meta, "columns": [c.key for c in self.columns], "rows": rows}, default=str
        )


def requested_format(request: HttpRequest) -> str | None:
    wanted = request.GET.get("format", "").lower()
    return wanted if wanted in FORMATS else None


def respond(request: HttpRequest, build: Callable[[], Table]) -> HttpResponse | None:
    """The download the request asks for, or None when it asks for the page."""
    wanted = requested_format(request)
    if wanted is None:
        return None
    table = build()
    if wanted == "csv":
        response = HttpResponse(table.csv(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(table.json(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{table.name}.{wanted}"'
    return response
