"""``parley names …``: variants, one comparison, and a file of pairs; errors are one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from parley.interfaces.cli.names import names_app
from parley.names import SAME_THRESHOLD

runner = CliRunner()


def test_variants_prints_forms_and_keys() -> None:
    result = runner.invoke(names_app, ["variants", "Ковальов"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Ковальов"
    assert {"Kovalov", "Ковальова", "Ковалёв"} <= set(lines)
    assert lines[-1].startswith("# keys: family=kvlv")


def test_compare_prints_score_verdict_and_reason_on_one_line() -> None:
    result = runner.invoke(
        names_app, ["compare", "Олександр Миколайович Ковальов", "Sasha Kovalov"]
    )
    assert result.exit_code == 0, result.output
    score, verdict, reason = result.output.strip().split("\t")
    assert float(score) >= SAME_THRESHOLD and verdict == "same" and "given" in reason
    other = runner.invoke(names_app, ["compare", "Oleksandr Kovalov", "Oleksii Kovalov"])
    assert other.output.split("\t")[1] == "different"


def test_compare_pairs_file_writes_tab_separated_lines(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(
        "Oleksandr Kovalov\tOleksii Kovalov\nЮрій Савчук\tYurii Savchuk\n\n", encoding="utf-8"
    )
    result = runner.invoke(names_app, ["compare", "--pairs", str(pairs)])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [r[0] for r in rows] == ["Oleksandr Kovalov", "Юрій Савчук"]
    assert [r[3] for r in rows] == ["0", "1"]
    assert all(0.0 <= float(r[2]) <= 1.0 for r in rows)


def test_bad_pairs_file_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("a\tb\nonly one column\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", "from parley.interfaces.cli.main import run; run()",
         "names", "compare", "--pairs", str(pairs)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"error: {pairs}, line 2: expected 2 tab-separated columns (a, b), found 1"
    )
    missing = subprocess.run(
        [sys.executable, "-c", "from parley.interfaces.cli.main import run; run()",
         "names", "compare", "--pairs", str(tmp_path / "nope.tsv")],
        capture_output=True, text=True, check=False,
    )
    assert missing.returncode == 2 and "no such file" in missing.stderr
