"""The pack as a PDF: the page's own template in the print layout, laid out on A4 by
WeasyPrint with reports/print.css. Charts are SVG images, so they stay vectors."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string

PRINT_LAYOUT = "reports/print.html"
STYLESHEET = "reports/print.css"


@cache
def stylesheet() -> Any:
    # WeasyPrint takes about a second to import: only what makes a PDF pays for it.
    from weasyprint import CSS

    found = finders.find(STYLESHEET)
    return CSS(filename=str(found)) if found else CSS(string="")


def printed(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
    return render_to_string(
        template, {**context, "layout": PRINT_LAYOUT, "printing": True}, request=request
    )


def pdf_of(html: str, base: Path | None = None) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(base) if base else None)
    pdf: bytes = document.write_pdf(stylesheets=[stylesheet()])
    return pdf


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    return pdf_of(printed(template, context, request))
