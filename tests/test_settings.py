"""Every setting is documented, and production refuses the demo secret key."""

import os
import re
import subprocess
import sys
from pathlib import Path

from ambition.settings import DEMO_SECRET_KEY, SETTINGS

DOCS = Path(__file__).resolve().parent.parent / "docs" / "settings.md"


def test_every_setting_has_help_text_and_is_documented() -> None:
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", DOCS.read_text(), re.M))
    assert documented == set(SETTINGS)
    assert all(len(s.help) > 20 for s in SETTINGS.values())


def test_production_refuses_the_demo_secret_key() -> None:
    env = {
        **os.environ,
        "AMBITION_ENVIRONMENT": "production",
        "AMBITION_SECRET_KEY": DEMO_SECRET_KEY,
    }
    result = subprocess.run(
        [sys.executable, "-c", "import ambition.settings"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "demo key" in result.stderr


def test_production_starts_with_a_real_key() -> None:
    env = {**os.environ, "AMBITION_ENVIRONMENT": "production", "AMBITION_SECRET_KEY": "x" * 50}
    result = subprocess.run([sys.executable, "-c", "import ambition.settings"], env=env)
    assert result.returncode == 0
