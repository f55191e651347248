"""`ambition review-pack --all` as a person runs it, on the demo's database: worker
processes render the members' packs at once, each a real PDF, and the command says so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def test_every_members_pack_is_rendered_by_two_processes(
    demo_env: dict[str, str], tmp_path: Path
) -> None:
    command = ["review-pack", "--all", "--jobs", "2", "--out", str(tmp_path)]
    done = subprocess.run(
        [sys.executable, "-m", "ambition", *command],
        env=demo_env,
        capture_output=True,
        text=True,
        check=True,
    )
    written = sorted(tmp_path.glob("*.pdf"))
    assert len(written) == 35
    assert all(p.read_bytes().startswith(b"%PDF-") for p in written)
    assert "Wrote 35 review packs" in done.stdout
    assert "E09000022-review-pack" in done.stdout
