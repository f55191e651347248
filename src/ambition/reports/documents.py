"""The annual review packs and the annual report as PDF documents, and the names their files
take: one meaning for the commands, the batch that renders every member's, and the
benchmarks."""

from __future__ import annotations

from ambition.indicators.periods import year_label
from ambition.registry.models import Authority

from .annual import build_annual
from .pack import Basis, build_pack, build_partnership
from .pdf import render_pdf

PACK_TEMPLATE = "reports/review_pack.html"
PARTNERSHIP_TEMPLATE = "reports/partnership_pack.html"
ANNUAL_TEMPLATE = "reports/annual_report.html"


def pack_pdf(authority: Authority, basis: Basis) -> bytes:
    pack = build_pack(authority, basis)
    return render_pdf(PACK_TEMPLATE, {"pack": pack, "year": basis.year.year})


def partnership_pdf(basis: Basis) -> bytes:
    pack = build_partnership(basis)
    return render_pdf(PARTNERSHIP_TEMPLATE, {"pack": pack, "year": basis.year.year})


def annual_pdf(year: int, site: str = "") -> bytes:
    """The annual report of the financial year, its links led to `site` (an address such
    as https://ambition.example) where one is given."""
    return render_pdf(ANNUAL_TEMPLATE, {"report": build_annual(year), "site": site.rstrip("/")})


def file_name(authority: Authority, year: int) -> str:
    return f"{authority.code}-review-pack-{year_label(year)}.pdf"
