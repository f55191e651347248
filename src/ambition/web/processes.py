"""How many processes a job that works in a pool of them starts by default: one a core,
and at most four, so that what they hold in memory together stays bounded on a large
machine. Review packs are rendered so, and spending files read so."""

from __future__ import annotations

import os

MOST = 4


def default_processes() -> int:
    return max(1, min(os.cpu_count() or 1, MOST))
