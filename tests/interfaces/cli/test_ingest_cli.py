"""``parley ingest`` and ``parley synth`` from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def _parley(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from parley.interfaces.cli.main import run; run()", *args],
        capture_output=True, text=True, env={**os.environ, **env}, timeout=300, check=False,
    )


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "mod.csv"
    path.write_text("Прізвище;Ім'я;Дата народження;Статус\nКоваленко;Іван;01.02.1990;у полоні\n"
                    "Шевчук;Олег;31.02.1990;у полоні\n", encoding="cp1251")
    return path


def test_ingest_json_then_reimport(cli_env: dict[str, str], tmp_path: Path) -> None:
    path = _file(tmp_path)
    args = ("ingest", str(path), "--source", "mod", "--agency", "MOD", "--reliability", "B2",
            "--classification", "restricted", "--json")
    first = _parley(*args, env=cli_env)
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert (data["read"], data["imported"], data["duplicates"], data["quarantined"]) == (
        2, 1, 0, 1)
    assert data["reasons"][0]["line"] == 3 and data["reasons"][0]["field"] == "birth_date"
    again = json.loads(_parley(*args, env=cli_env).stdout)
    assert (again["imported"], again["duplicates"], again["quarantined"]) == (0, 2, 0)


def test_ingest_prints_a_summary_table(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = _parley("ingest", str(_file(tmp_path)), "--source", "mod", "--agency", "MOD",
                     env=cli_env)
    assert result.returncode == 0, result.stderr
    for word in ("read", "imported", "duplicates", "quarantined", "line 3: birth_date"):
        assert word in result.stdout


def test_unreadable_file_is_one_line_and_non_zero(cli_env: dict[str, str],
                                                  tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    for path in (empty, tmp_path / "missing.csv"):
        result = _parley("ingest", str(path), "--source", "mod", "--agency", "MOD", env=cli_env)
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:") and path.name in lines[0]


def test_bad_reliability_is_one_line(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = _parley("ingest", str(_file(tmp_path)), "--source", "mod", "--agency", "MOD",
                     "--reliability", "Z9", env=cli_env)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: reliability 'Z9'")


def test_synth_then_ingest_every_file(cli_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "synth"
    made = _parley("synth", "--people", "60", "--out", str(out), "--seed", "4", env=cli_env)
    assert made.returncode == 0, made.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["files"]) == 6
    entry = manifest["files"][0]
    result = _parley("ingest", str(out / entry["file"]), "--source", entry["source"],
                     "--agency", entry["agency"], "--reliability", entry["reliability"],
                     "--json", env=cli_env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    expected_bad = [q for q in manifest["expected_quarantine"] if q["file"] == entry["file"]]
    assert data["read"] == entry["rows"]
    assert data["quarantined"] == len(expected_bad)
