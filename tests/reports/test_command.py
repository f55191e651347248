"""`ambition review-pack` writes real PDFs and says what it wrote."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ambition.assessment.models import AssessmentRun
from ambition.support.bookkeeping import members

from .conftest import LAMBETH, YEAR

pytestmark = pytest.mark.django_db


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("review_pack", *args, stdout=out)
    return out.getvalue()


def test_one_member(tmp_path: Path, run: AssessmentRun) -> None:
    target = tmp_path / "packs" / "lambeth.pdf"
    said = run_command(LAMBETH, "--out", str(target), "--year", str(YEAR))
    assert target.read_bytes().startswith(b"%PDF-")
    assert f"Wrote {target}" in said


def test_the_partnership(tmp_path: Path) -> None:
    target = tmp_path / "partnership.pdf"
    said = run_command("--partnership", "--out", str(target))
    assert target.read_bytes().startswith(b"%PDF-") and str(target) in said


def test_every_member_one_file_each(tmp_path: Path) -> None:
    said = run_command("--all", "--jobs", "1", "--out", str(tmp_path), "--year", str(YEAR))
    written = sorted(tmp_path.glob("*.pdf"))
    assert [p.name for p in written] == sorted(
        f"{m.code}-review-pack-2025-26.pdf" for m in members()
    )
    assert all(p.read_bytes().startswith(b"%PDF-") for p in written)
    assert f"Wrote {len(written)} review packs for 2025-26" in said


def test_refusals(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not a member"):
        run_command("E08000025", "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="one member"):
        run_command("--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="No authority"):
        run_command("E99999999", "--out", str(tmp_path / "x.pdf"))
