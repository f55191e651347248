"""The annual review packs as PDF documents, and the names their files take: one meaning
for the command, the batch that renders every member's, and the benchmarks."""

from __future__ import annotations

from ambition.indicators.periods import year_label
from ambition.registry.models import Authority

from .pack import Basis, build_pack, build_partnership
from .pdf import render_pdf

PACK_TEMPLATE = "reports/review_pack.html"
PARTNERSHIP_TEMPLATE = "reports/partnership_pack.html"


def pack_pdf(authority: Authority, basis: Basis) -> bytes:
    pack = build_pack(authority, basis)
    return render_pdf(PACK_TEMPLATE, {"pack": pack, "year": basis.year.year})


def partnership_pdf(basis: Basis) -> bytes:
    pack = build_partnership(basis)
    return render_pdf(PARTNERSHIP_TEMPLATE, {"pack": pack, "year": basis.year.year})


def file_name(authority: Authority, year: int) -> str:
    return f"{authority.code}-review-pack-{year_label(year)}.pdf"
