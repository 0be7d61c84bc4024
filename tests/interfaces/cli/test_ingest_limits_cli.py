"""``parley ingest`` on hostile files (issue 10, item 14): one line naming the limit and exit 2,
or a quarantined row; never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import Cli


def _parley(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from parley.interfaces.cli.main import run; run()", *args],
        capture_output=True, text=True, env={**os.environ, **env}, timeout=300, check=False,
    )


def test_hostile_files_from_the_command_line(cli: Cli, cli_env: dict[str, str],
                                            tmp_path: Path) -> None:
    one_line = tmp_path / "one-line.csv"
    one_line.write_bytes(b"Surname,Name," + b"x," * 100_000)
    env = {**cli_env, "PARLEY_INGEST_MAX_ROW_BYTES": "50000"}
    refused = _parley("ingest", str(one_line), "--source", "s", "--agency", "MOD", env=env)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    lines = [ln for ln in refused.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "PARLEY_INGEST_MAX_ROW_BYTES" in lines[0]

    deep = tmp_path / "deep.jsonl"
    rows = [json.dumps({"Surname": "Koval", "Name": "Ivan"}),
            '{"Surname": "Deep", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
            json.dumps({"Surname": "Shevchenko", "Name": "Taras"})]
    deep.write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = _parley("ingest", str(deep), "--source", "d", "--agency", "MOD", "--json",
                   env=cli_env)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    data = json.loads(done.stdout)
    assert (data["read"], data["imported"], data["quarantined"]) == (3, 2, 1)
    assert "PARLEY_INGEST_MAX_NESTING" in data["reasons"][0]["reason"]

    header_only = tmp_path / "header.csv"
    header_only.write_text("Surname,Name\n", encoding="utf-8")
    warned = _parley("ingest", str(header_only), "--source", "h", "--agency", "MOD", env=env)
    assert warned.returncode == 0 and "Warning: header.csv: no data rows" in warned.stdout
