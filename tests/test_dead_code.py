"""No dead code: vulture, at the confidence set in pyproject.toml (``[tool.vulture]``), finds
nothing in ``src``. Names only a framework calls are in vulture_whitelist.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_vulture_finds_no_dead_code() -> None:
    result = subprocess.run([sys.executable, "-m", "vulture"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_vulture_sees_dead_code_at_that_confidence(tmp_path: Path) -> None:
    """The check above proves something only if vulture, at 80 %, does report what is dead."""
    dead = tmp_path / "dead.py"
    dead.write_text("import os\n\n\ndef used() -> None:\n    return None\n\n\nused()\n",
                    encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "vulture", str(dead), "--min-confidence", "80"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode != 0 and "unused import 'os'" in result.stdout
