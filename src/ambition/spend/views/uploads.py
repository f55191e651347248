"""Spending files held between two requests: one whose mapping needs a person's answers,
or whose refused rows a person may yet accept. The bytes are kept on disk under VAR_DIR,
keyed by their owner and digest (never in the session), with what was asked for them, and
deleted once the file is stored or given up."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404

from ..reading import Problem
from ..store import Answers

DIGEST = re.compile(r"[0-9a-f]{64}")


def pending_root() -> Path:
    return Path(settings.VAR_DIR) / "spend-uploads"


def owner_folder(user: Any) -> Path:
    return pending_root() / str(int(user.pk))


@dataclass
class Pending:
    """An upload waiting for its owner: the file and how it was to be stored."""

    digest: str
    name: str
    authority_id: int
    period: str = ""  # as typed, read again as the upload form reads it
    accept_errors: bool = False
    answers: Answers = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)  # of the last refusal
    # The mapping's open questions: [sheet, field, question, [columns]] each.
    questions: list[list[Any]] = field(default_factory=list)

    @property
    def problem_rows(self) -> list[Problem]:
        return [Problem(**row) for row in self.problems]


def keep(user: Any, data: bytes, pending: Pending) -> Pending:
    """Keep the file's bytes (once) and what is known of it, for its owner; uploads left
    unanswered longer than UPLOAD_RETENTION_DAYS, anyone's, go."""
    discard_stale()
    folder = owner_folder(user)
    folder.mkdir(parents=True, exist_ok=True)
    bytes_path = folder / f"{pending.digest}.bin"
    if bytes_path.exists():
        bytes_path.touch()  # used again: kept for another retention period
    else:
        bytes_path.write_bytes(data)
    (folder / f"{pending.digest}.json").write_text(json.dumps(asdict(pending)))
    return pending


def discard_stale(now: float | None = None) -> int:
    """Delete held uploads unused for longer than the retention; how many files went."""
    cutoff = (now or time.time()) - settings.UPLOAD_RETENTION_DAYS * 24 * 60 * 60
    gone = 0
    for path in pending_root().glob("*/*"):
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            gone += 1
    return gone


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load(user: Any, digest: str) -> tuple[Pending, bytes]:
    """The owner's upload by its digest; 404 for anyone else's, or one already gone."""
    if not DIGEST.fullmatch(digest):
        raise Http404("no such upload")
    folder = owner_folder(user)
    try:
        meta = json.loads((folder / f"{digest}.json").read_text())
        data = (folder / f"{digest}.bin").read_bytes()
    except FileNotFoundError:
        raise Http404("no such upload: it was stored or given up") from None
    return Pending(**meta), data


def discard(user: Any, digest: str) -> None:
    if not DIGEST.fullmatch(digest):
        return
    folder = owner_folder(user)
    for suffix in (".bin", ".json"):
        (folder / f"{digest}{suffix}").unlink(missing_ok=True)
    if folder.is_dir() and not any(folder.iterdir()):
        shutil.rmtree(folder, ignore_errors=True)
