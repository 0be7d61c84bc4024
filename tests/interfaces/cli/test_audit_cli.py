"""``parley audit …`` end to end: sign, prove, export keys, verify offline, detect tampering."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select, update

from parley.adapters.sql.tables import AuditEventRow
from parley.domain.actors import Actor, Role
from parley.errors import AccessDenied, IntegrityError, InvalidInput, LoginRequired
from parley.interfaces.cli.audit import audit_app
from parley.services.journal import record_event
from parley.services.workspace import Workspace
from parley.verify import EXIT_OK, run
from tests.conftest import Cli


def _size(ws: Workspace) -> int:
    """Events in the log so far (init and the fixture's sign-in wrote some)."""
    with ws.store.reading() as tx:
        return int(tx.scalar(select(func.count()).select_from(AuditEventRow)) or 0)


def _events(ws: Workspace, actor: Actor, count: int) -> None:
    for n in range(count):
        with ws.store.transaction() as tx:
            record_event(tx, actor=actor, action="list.edit", target=f"list:{n}",
                         payload={"n": n})


def test_checkpoint_prove_keys_and_offline_verification(
    ws: Workspace, operator: Actor, cli: Cli, tmp_path: Path
) -> None:
    _events(ws, operator, 5)
    old = _size(ws)
    result = cli("audit", "checkpoint", "--cosign", "MED", "-o", str(tmp_path / "cp1.txt"))
    assert result.returncode == 0, result.stdout
    assert f"checkpoint #1 at size {old} signed by HQ, MED" in result.stdout
    note = (tmp_path / "cp1.txt").read_text()
    assert note.startswith(f"parley.local/audit\n{old}\n") and "\n— HQ " in note
    _events(ws, operator, 3)
    new = _size(ws)
    assert cli("audit", *["checkpoint", "-o", str(tmp_path / "cp2.txt")]).returncode == 0

    result = cli("audit", *["keys", "--out", str(tmp_path / "keys")])
    assert result.returncode == 0, result.stdout
    assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == ["HQ.pub", "MED.pub"]
    hq = str(tmp_path / "keys" / "HQ.pub")
    med = str(tmp_path / "keys" / "MED.pub")

    result = cli("audit", *["prove", "3", "-o", str(tmp_path / "p.json")])
    assert result.returncode == 0, result.stdout
    proof = json.loads((tmp_path / "p.json").read_text())
    assert proof["seq"] == 3 and proof["tree_size"] == new
    assert run(["inclusion", str(tmp_path / "p.json"), "--key", hq])[0] == EXIT_OK

    result = cli("audit", "consistency", str(old), str(new), "-o", str(tmp_path / "c.json"))
    assert result.returncode == 0, result.stdout
    code, line = run(["consistency", str(tmp_path / "cp1.txt"), str(tmp_path / "cp2.txt"),
                      "--proof", str(tmp_path / "c.json"), "--key", hq, "--key", med])
    assert (code, line) == (EXIT_OK, f"OK: the log at size {new} extends the log at size {old}")
    assert run(["checkpoint", str(tmp_path / "cp1.txt"), "--key", hq, "--key", med])[0] == 0

    result = cli("audit", *["verify"])
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().startswith(f"OK: {_size(ws)} events verify")


def test_log_table_filters(ws: Workspace, operator: Actor, cli: Cli) -> None:
    _events(ws, operator, 4)
    result = cli("audit", *["log", "--action", "list.", "--target", "list:2"])
    assert result.returncode == 0, result.stdout
    assert "list:2" in result.stdout and "list:1" not in result.stdout
    assert "Audit log (1 events)" in result.stdout
    bad = cli("audit", *["log", "--since", "yesterday"])
    assert bad.returncode != 0
    assert "--since" in bad.stderr


def test_verify_names_the_tampered_event(
    ws: Workspace, operator: Actor, cli: Cli
) -> None:
    _events(ws, operator, 5)
    with ws.store.engine.begin() as conn:
        conn.execute(update(AuditEventRow.__table__).where(AuditEventRow.seq == 4)
                     .values(target="list:forged"))
    result = cli("audit", *["verify"])
    assert result.returncode == IntegrityError.exit_code
    assert result.stderr.startswith("error: audit log does not verify: event 4 changed")
    refused = cli("audit", *["checkpoint"])
    assert refused.returncode == IntegrityError.exit_code


def test_verify_failure_is_one_line_and_exit_code(
    ws: Workspace, operator: Actor, cli: Cli, cli_env: dict[str, str]
) -> None:
    """A real process, signed in (``cli`` saved the admin's login in ``cli_env``'s folder)."""
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
    ws: Workspace, operator: Actor, cli: Cli, tmp_path: Path
) -> None:
    from sqlalchemy import delete

    from parley.adapters.sql.tables import AuditHead
    from parley.adapters.sql.trust_tables import AuditCheckpoint
    _events(ws, operator, 5)
    size = _size(ws)
    kept = tmp_path / "mediator.txt"
    assert cli("audit", *["checkpoint", "-o", str(kept)]).returncode == 0
    ok = cli("audit", *["verify", "--checkpoint", str(kept)])
    assert ok.returncode == 0, ok.stdout
    assert "3 checkpoint(s) checked" in ok.stdout  # the row, the export, the mediator's copy
    # the insider deletes the checkpoint row and its export and truncates the log to 4 events
    with ws.store.engine.begin() as conn:
        conn.execute(delete(AuditCheckpoint.__table__))
        conn.execute(delete(AuditEventRow.__table__).where(AuditEventRow.seq > 4))
        head = conn.execute(AuditEventRow.__table__.select().where(AuditEventRow.seq == 4)).one()
        conn.execute(update(AuditHead.__table__).values(seq=4, event_hash=head.event_hash))
    for path in (ws.settings.data_dir / "checkpoints").glob("*.txt"):
        path.unlink()
    assert cli("audit", *["verify"]).returncode == 0  # the database alone: nothing
    result = cli("audit", *["verify", "--checkpoint", str(kept)])
    assert result.returncode == IntegrityError.exit_code
    assert f"covers {size} events but the log holds 4" in result.stderr
    missing = cli("audit", *["verify", "--checkpoint", str(tmp_path / "nope.txt")])
    assert missing.returncode == InvalidInput.exit_code and "nope.txt" in missing.stderr


def test_verify_acts_as_a_signed_in_verifier(ws: Workspace, cli: Cli) -> None:
    """The whole-log check reads every event: it runs for a signed-in person who may verify
    (the auditor, the staff, the mediator who co-signs checkpoints), never anonymously."""
    for role, agency in ((Role.AUDITOR, "OMB"), (Role.MEDIATOR, "MED")):
        cli.as_user(f"verifier.{role.value}", role, agency)
        done = cli("audit", "verify")
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"OK: {_size(ws)} events verify")
    cli.as_user("convoy", Role.LOGISTICS, "MOI")
    refused = cli("audit", "verify")
    assert refused.returncode == AccessDenied.exit_code
    assert "OK" not in refused.stdout and "may not" in refused.stderr
    assert cli("logout").returncode == 0
    anonymous = cli("audit", "verify")
    assert anonymous.returncode == LoginRequired.exit_code
    assert anonymous.stdout == ""
