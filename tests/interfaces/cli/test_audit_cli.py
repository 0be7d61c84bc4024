"""``parley audit …`` end to end: sign, prove, export keys, verify offline, detect tampering."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import update
from typer.testing import CliRunner

from parley.adapters.sql.tables import AuditEventRow
from parley.domain.actors import Actor
from parley.errors import IntegrityError
from parley.interfaces.cli.audit import audit_app
from parley.services.journal import record_event
from parley.services.workspace import Workspace
from parley.verify import EXIT_OK, run

runner = CliRunner()


def _events(ws: Workspace, actor: Actor, count: int) -> None:
    for n in range(count):
        with ws.store.transaction() as tx:
            record_event(tx, actor=actor, action="list.edit", target=f"list:{n}",
                         payload={"n": n})


def test_checkpoint_prove_keys_and_offline_verification(
    ws: Workspace, operator: Actor, cli_env: dict[str, str], tmp_path: Path
) -> None:
    _events(ws, operator, 5)
    result = runner.invoke(audit_app, ["checkpoint", "--cosign", "MED", "-o",
                                       str(tmp_path / "cp1.txt")])
    assert result.exit_code == 0, result.output
    assert "checkpoint #1 at size 6 signed by HQ, MED" in result.output
    note = (tmp_path / "cp1.txt").read_text()
    assert note.startswith("parley.local/audit\n6\n") and "\n— HQ " in note
    _events(ws, operator, 3)
    assert runner.invoke(audit_app, ["checkpoint", "-o", str(tmp_path / "cp2.txt")]).exit_code == 0

    result = runner.invoke(audit_app, ["keys", "--out", str(tmp_path / "keys")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == ["HQ.pub", "MED.pub"]
    hq = str(tmp_path / "keys" / "HQ.pub")
    med = str(tmp_path / "keys" / "MED.pub")

    result = runner.invoke(audit_app, ["prove", "3", "-o", str(tmp_path / "p.json")])
    assert result.exit_code == 0, result.output
    proof = json.loads((tmp_path / "p.json").read_text())
    assert proof["seq"] == 3 and proof["tree_size"] == 10
    assert run(["inclusion", str(tmp_path / "p.json"), "--key", hq])[0] == EXIT_OK

    result = runner.invoke(audit_app, ["consistency", "6", "10", "-o", str(tmp_path / "c.json")])
    assert result.exit_code == 0, result.output
    code, line = run(["consistency", str(tmp_path / "cp1.txt"), str(tmp_path / "cp2.txt"),
                      "--proof", str(tmp_path / "c.json"), "--key", hq, "--key", med])
    assert (code, line) == (EXIT_OK, "OK: the log at size 10 extends the log at size 6")
    assert run(["checkpoint", str(tmp_path / "cp1.txt"), "--key", hq, "--key", med])[0] == 0

    result = runner.invoke(audit_app, ["verify"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().startswith("OK: 11 events verify")


def test_log_table_filters(ws: Workspace, operator: Actor, cli_env: dict[str, str]) -> None:
    _events(ws, operator, 4)
    result = runner.invoke(audit_app, ["log", "--action", "list.", "--target", "list:2"])
    assert result.exit_code == 0, result.output
    assert "list:2" in result.output and "list:1" not in result.output
    assert "Audit log (1 events)" in result.output
    bad = runner.invoke(audit_app, ["log", "--since", "yesterday"])
    assert bad.exit_code != 0
    assert "--since" in str(bad.exception)


def test_verify_names_the_tampered_event(
    ws: Workspace, operator: Actor, cli_env: dict[str, str]
) -> None:
    _events(ws, operator, 5)
    with ws.store.engine.begin() as conn:
        conn.execute(update(AuditEventRow.__table__).where(AuditEventRow.seq == 4)
                     .values(target="list:forged"))
    result = runner.invoke(audit_app, ["verify"])
    assert isinstance(result.exception, IntegrityError)
    assert str(result.exception).startswith("audit log does not verify: event 4 changed")
    refused = runner.invoke(audit_app, ["checkpoint"])
    assert isinstance(refused.exception, IntegrityError)


def test_verify_failure_is_one_line_and_exit_code(
    ws: Workspace, operator: Actor, cli_env: dict[str, str]
) -> None:
    _events(ws, operator, 2)
    with ws.store.engine.begin() as conn:
        conn.execute(update(AuditEventRow.__table__).where(AuditEventRow.seq == 2)
                     .values(payload={"n": 42}))
    result = subprocess.run(
        [sys.executable, "-c", "from parley.interfaces.cli.main import run; run()", "audit",
         "verify"], capture_output=True, text=True, env={**os.environ, **cli_env}, timeout=120,
        check=False,
    )
    assert result.returncode == IntegrityError.exit_code
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == ["error: audit log does not verify: event 2 changed: its payload does not "
                     "match its stored payload hash"]


def test_readme_names_only_real_audit_and_verify_commands() -> None:
    import re

    import typer

    from parley.verify import build_parser

    # the audit log's page of the docs (moved out of the README)
    section = (Path(__file__).parents[3] / "docs" / "audit.md").read_text(encoding="utf-8")
    named_audit = set(re.findall(r"parley audit ([a-z][a-z-]*)", section))
    named_verify = set(re.findall(r"parley-verify ([a-z]+)", section))
    command = typer.main.get_command(audit_app)
    assert named_audit and named_audit <= set(command.commands)
    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    assert named_verify == set(subparsers.choices)


def test_verify_against_checkpoints_held_elsewhere(
    ws: Workspace, operator: Actor, cli_env: dict[str, str], tmp_path: Path
) -> None:
    from sqlalchemy import delete

    from parley.adapters.sql.tables import AuditHead
    from parley.adapters.sql.trust_tables import AuditCheckpoint
    from parley.errors import InvalidInput

    _events(ws, operator, 5)
    kept = tmp_path / "mediator.txt"
    assert runner.invoke(audit_app, ["checkpoint", "-o", str(kept)]).exit_code == 0  # size 6
    ok = runner.invoke(audit_app, ["verify", "--checkpoint", str(kept)])
    assert ok.exit_code == 0, ok.output
    assert "3 checkpoint(s) checked" in ok.output  # the row, the export, the mediator's copy
    # the insider deletes the checkpoint row and its export and truncates the log to 4 events
    with ws.store.engine.begin() as conn:
        conn.execute(delete(AuditCheckpoint.__table__))
        conn.execute(delete(AuditEventRow.__table__).where(AuditEventRow.seq > 4))
        head = conn.execute(AuditEventRow.__table__.select().where(AuditEventRow.seq == 4)).one()
        conn.execute(update(AuditHead.__table__).values(seq=4, event_hash=head.event_hash))
    for path in (Path(cli_env["PARLEY_DATA_DIR"]) / "checkpoints").glob("*.txt"):
        path.unlink()
    assert runner.invoke(audit_app, ["verify"]).exit_code == 0  # the database alone: nothing
    result = runner.invoke(audit_app, ["verify", "--checkpoint", str(kept)])
    assert isinstance(result.exception, IntegrityError)
    assert "covers 6 events but the log holds 4" in str(result.exception)
    missing = runner.invoke(audit_app, ["verify", "--checkpoint", str(tmp_path / "nope.txt")])
    assert isinstance(missing.exception, InvalidInput) and "nope.txt" in str(missing.exception)
