"""Ctrl-C on a real ``parley resolve`` (issue 10, item 15): the process stops within about a
second even inside a long Splink/DuckDB stage, exits 130 with one line saying so, leaves the store
exactly as it was (no run, link, person, evidence or audit event half-written), and a re-run then
resolves normally.

The command runs on a pseudo-terminal, as at a user's desk, so Rich draws its live bars and the
test can wait for the stage it wants to interrupt.
"""

from __future__ import annotations

import json
import os
import select as io_select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from parley.adapters.sql.identity_tables import IdentityLink, ResolutionRun
from parley.adapters.sql.tables import AuditEventRow, Evidence, Person, SourceRecord
from parley.domain.actors import Actor
from parley.services.audit import verify_log
from parley.services.ingest import ingest_file
from parley.services.workspace import Workspace
from tests.conftest import Cli

pytestmark = pytest.mark.faults

CLI = "from parley.interfaces.cli.main import run; run()"
# "Within ~1 s" in the brief; the margin is for a loaded two-core test machine.
PROMPT_SECONDS = 3.0


def _ingest(ws: Workspace, operator: Actor, env: dict[str, str], out: Path) -> None:
    made = subprocess.run([sys.executable, "-c", CLI, "synth", "--people", "1000", "--out",
                           str(out), "--seed", "5", "--difficulty", "clean"],
                          capture_output=True, text=True, env={**os.environ, **env}, check=False)
    assert made.returncode == 0, made.stderr
    for f in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]:
        ingest_file(ws, actor=operator, path=out / f["file"], source=f["source"],
                    agency=f["agency"], reliability=f["reliability"],
                    classification=f["classification"])


def _state(ws: Workspace) -> dict[str, int]:
    with ws.store.reading() as tx:
        def count(stmt: object) -> int:
            return int(tx.scalar(stmt) or 0)  # type: ignore[call-overload]

        return {
            "runs": count(select(func.count()).select_from(ResolutionRun)),
            "links": count(select(func.count()).select_from(IdentityLink)),
            "persons": count(select(func.count()).select_from(Person)),
            "evidence": count(select(func.count()).select_from(Evidence)),
            "assigned": count(select(func.count()).select_from(SourceRecord)
                              .where(SourceRecord.person_id.is_not(None))),
            "events": count(select(func.count()).select_from(AuditEventRow)),
            "records": count(select(func.count()).select_from(SourceRecord)),
        }


def _read(fd: int, seen: bytearray, until: bytes | None, timeout: float) -> None:
    """Append what the terminal shows to ``seen`` until ``until`` appears or it closes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and (until is None or until not in seen):
        ready, _, _ = io_select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                return
            if not chunk:
                return
            seen.extend(chunk)


@pytest.mark.parametrize("stage", ["linking: train", "linking: predict"])
def test_ctrl_c_stops_resolve_promptly_and_leaves_the_store_as_it_was(
    ws: Workspace, operator: Actor, cli: Cli, cli_env: dict[str, str], tmp_path: Path,
    stage: str,
) -> None:
    _ingest(ws, operator, cli_env, tmp_path / "synth")
    before = _state(ws)
    assert before["records"] > 2000 and before["runs"] == 0

    leader, follower = os.openpty()
    proc = subprocess.Popen([sys.executable, "-c", CLI, "resolve"], stdin=subprocess.DEVNULL,
                            stdout=follower, stderr=follower, env={**os.environ, **cli_env,
                                                                   "COLUMNS": "160"})
    os.close(follower)
    shown = bytearray()
    try:
        _read(leader, shown, stage.encode(), timeout=300)
        assert stage.encode() in shown, shown.decode("utf-8", "replace")[-2000:]
        assert proc.poll() is None, "resolve finished before it could be interrupted"
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=60)
        took = time.monotonic() - sent
        _read(leader, shown, None, timeout=2)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    text = shown.decode("utf-8", "replace")
    assert code == 130, text[-2000:]
    assert took < PROMPT_SECONDS, f"took {took:.1f} s to stop"
    said = [line for line in text.splitlines() if "interrupted" in line]
    assert len(said) == 1, said
    assert _state(ws) == before
    assert verify_log(ws).ok

    again = subprocess.run([sys.executable, "-c", CLI, "resolve"], capture_output=True,
                           text=True, env={**os.environ, **cli_env}, check=False, timeout=600)
    assert again.returncode == 0, again.stderr
    after = _state(ws)
    assert after["runs"] == 1 and after["assigned"] == after["records"]
    assert 0 < after["persons"] < after["records"]
