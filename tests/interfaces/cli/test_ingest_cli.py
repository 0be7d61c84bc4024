"""``parley ingest`` and ``parley synth`` from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from parley.errors import InvalidInput, UnreadableFile
from tests.conftest import Cli


def _run(cli: Cli, *args: str) -> tuple[int, str]:
    done = cli(*args)
    return done.returncode, done.stdout + done.stderr


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


def test_ingest_json_then_reimport(cli: Cli,
                                   tmp_path: Path) -> None:
    path = _file(tmp_path)
    args = ("ingest", str(path), "--source", "mod", "--agency", "MOD", "--reliability", "B2",
            "--classification", "restricted", "--json")
    code, out = _run(cli, *args)
    assert code == 0, out
    data = json.loads(out)
    assert (data["read"], data["imported"], data["duplicates"], data["quarantined"]) == (
        2, 1, 0, 1)
    assert data["reasons"][0]["line"] == 3 and data["reasons"][0]["field"] == "birth_date"
    again = json.loads(_run(cli, *args)[1])
    assert (again["imported"], again["duplicates"], again["quarantined"]) == (0, 2, 0)


def test_ingest_prints_a_summary_table(cli: Cli,
                                      tmp_path: Path) -> None:
    code, out = _run(cli, "ingest", str(_file(tmp_path)), "--source", "mod", "--agency", "MOD")
    assert code == 0, out
    for word in ("read", "imported", "duplicates", "quarantined", "line 3: birth_date"):
        assert word in out


def test_unreadable_file_is_one_line_and_non_zero(cli: Cli, cli_env: dict[str, str],
                                                  tmp_path: Path) -> None:
    """A real process: the one line on standard error, no traceback (the login is on disk)."""
    missing = tmp_path / "missing.csv"
    result = _parley("ingest", str(missing), "--source", "mod", "--agency", "MOD", env=cli_env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "missing.csv" in lines[0]


def test_empty_file_is_unreadable(cli: Cli,
                                  tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    done = cli("ingest", str(empty), "--source", "mod", "--agency", "MOD")
    assert done.returncode == UnreadableFile.exit_code and "empty.csv" in done.stderr


def test_bad_reliability_is_refused(cli: Cli,
                                    tmp_path: Path) -> None:
    done = cli("ingest", str(_file(tmp_path)), "--source", "mod", "--agency", "MOD",
               "--reliability", "Z9")
    assert done.returncode == InvalidInput.exit_code and "reliability 'Z9'" in done.stderr


def test_synth_then_ingest_a_file(cli: Cli,
                                  tmp_path: Path) -> None:
    out = tmp_path / "synth"
    code, printed = _run(cli, "synth", "--people", "60", "--out", str(out), "--seed", "4")
    assert code == 0, printed
    assert "mod_personnel.csv" in printed
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["files"]) == 6
    entry = manifest["files"][0]
    code, printed = _run(cli, "ingest", str(out / entry["file"]), "--source", entry["source"],
                         "--agency", entry["agency"], "--reliability", entry["reliability"],
                         "--json")
    assert code == 0, printed
    data = json.loads(printed)
    expected_bad = [q for q in manifest["expected_quarantine"] if q["file"] == entry["file"]]
    assert data["read"] == entry["rows"]
    assert data["quarantined"] == len(expected_bad)
