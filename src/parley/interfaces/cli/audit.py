"""``parley audit …``: verify the log, sign checkpoints, write proofs, read history, export keys."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import typer
from rich.table import Table

from parley.errors import IntegrityError, InvalidInput
from parley.interfaces.cli.common import acting, console, plain, progress_bar, safe, workspace
from parley.services import audit as audit_service
from parley.services import audit_reading
from parley.services.keys import export_public_keys

audit_app = typer.Typer(
    help="The tamper-evident audit log: verify it, sign checkpoints, prove events, read history.",
    no_args_is_help=True,
)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise InvalidInput(f"{path}: cannot write ({err.strerror})") from err


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


PARALLEL_FROM = 200_000  # below this, starting worker processes costs more than it saves


@audit_app.command()
def verify(
    workers: int = typer.Option(0, "--workers", min=0,
                                help="Processes that re-hash events (0: automatic)."),
    anchors: list[Path] = typer.Option(
        [], "--checkpoint", help="A signed checkpoint kept outside the database (the "
        "mediator's or an agency's copy) that the log must extend (repeat)."),
) -> None:
    """Recompute every hash, the chain and the Merkle tree; check every signed checkpoint (in
    the database, in the export folder, and each --checkpoint FILE). Exits non-zero naming the
    first bad event."""
    ws, me = acting()  # the auditor, the staff or the mediator (audit_reading.VERIFIERS)
    audit_reading.require_verifier(me)
    total = audit_service.count_events(ws)
    if workers == 0:
        workers = 1 if total < PARALLEL_FROM else min(4, os.cpu_count() or 1)
    with progress_bar(transient=True) as bars:
        task = bars.add_task("verifying events", total=total)
        report = audit_reading.verify_now(
            ws, actor=me, workers=workers,
            progress=lambda done: bars.update(task, completed=done), anchors=anchors,
        )
    first = report.first_fault
    if first is not None:
        for fault in report.faults[1:10]:
            console.print(f"  also: {plain(fault)}", markup=False, highlight=False, soft_wrap=True)
        more = f" (and {report.fault_count - 1} more)" if report.fault_count > 1 else ""
        raise IntegrityError(f"audit log does not verify: {first}{more}")
    latest = report.latest_checkpoint
    anchored = (f"; newest signed checkpoint at size {latest.size} by "
                f"{', '.join(latest.signers)}" if latest else "; no signed checkpoint yet")
    console.print(f"OK: {report.events} events verify, root {report.root_hash}, "
                  f"{report.checkpoints_checked} checkpoint(s) checked{anchored}", soft_wrap=True)


@audit_app.command()
def checkpoint(
    cosign: list[str] = typer.Option([], "--cosign", help="Agency code that co-signs (repeat)."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Also write the note to FILE."),
) -> None:
    """Sign the current tree head (staff key HQ plus co-signers); refuses a checkpoint that is
    not consistent with the previous one."""
    ws, me = acting()
    record = audit_service.write_checkpoint(ws, actor=me, cosigners=cosign)
    if out is not None:
        _write(out, record.note)
    console.print(record.note, markup=False, highlight=False, soft_wrap=True, end="")
    console.print(f"checkpoint #{record.id} at size {record.size} signed by "
                  f"{safe(', '.join(record.signers))}")


@audit_app.command("show-checkpoint")
def show_checkpoint(
    size: int | None = typer.Argument(None, help="Tree size (default: the newest)."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write the note to FILE."),
) -> None:
    """Print (or save) a stored signed checkpoint, e.g. to hand to parley-verify."""
    ws = workspace()
    record = (audit_service.checkpoint_at(ws, size) if size is not None
              else audit_service.latest_checkpoint(ws))
    if record is None:
        raise InvalidInput("no signed checkpoint yet: run 'parley audit checkpoint'")
    if out is not None:
        _write(out, record.note)
    console.print(record.note, markup=False, highlight=False, soft_wrap=True, end="")


@audit_app.command()
def prove(
    event_id: int = typer.Argument(..., help="The event's sequence number."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write the proof to FILE."),
) -> None:
    """Write an inclusion proof of one event in the newest signed checkpoint covering it."""
    ws, me = acting()
    proof = audit_service.prove_inclusion(ws, event_id, actor=me)
    if out is None:
        console.print(_json(proof), markup=False, highlight=False, soft_wrap=True, end="")
        return
    _write(out, _json(proof))
    console.print(f"inclusion proof of event {event_id} at size {proof['tree_size']} "
                  f"({len(proof['path'])} hashes) written to {out}")


@audit_app.command()
def consistency(
    old_size: int = typer.Argument(..., help="Size of the older signed checkpoint."),
    new_size: int | None = typer.Argument(None, help="Size of the newer one (default newest)."),
    out: Path = typer.Option(..., "-o", "--out", help="Write the proof to FILE."),
) -> None:
    """Write a consistency proof between two signed checkpoints (their notes are inside)."""
    ws, me = acting()
    proof = audit_service.prove_consistency(ws, old_size, new_size, actor=me)
    _write(out, _json(proof))
    console.print(f"consistency proof from size {proof['old_size']} to {proof['new_size']} "
                  f"({len(proof['path'])} hashes) written to {out}")


def _moment(text: str | None, option: str) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError as err:
        raise InvalidInput(f"{option}: {text!r} is not an ISO date or time") from err


@audit_app.command("log")
def log_(
    actor: str | None = typer.Option(None, "--actor", help="Only events by this user."),
    action: str | None = typer.Option(None, "--action", help="Only actions starting with this."),
    target: str | None = typer.Option(None, "--target", help="Only targets containing this."),
    since: str | None = typer.Option(None, "--since", help="From this ISO date/time."),
    until: str | None = typer.Option(None, "--until", help="Before this ISO date/time."),
    limit: int = typer.Option(50, "--limit", min=1, help="At most this many, newest first."),
) -> None:
    """Readable history with filters."""
    ws, me = acting()
    entries = audit_service.audit_log(
        ws, actor=me, by=actor, action=action, target=target,
        since=_moment(since, "--since"), until=_moment(until, "--until"), limit=limit,
    )
    table = Table(title=f"Audit log ({len(entries)} events)")
    for column in ("seq", "time (UTC)", "actor", "role", "agency", "action", "target", "payload"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        table.add_row(str(entry.seq), entry.occurred_at.strftime("%Y-%m-%d %H:%M:%S"),
                      safe(entry.actor), safe(entry.actor_role), safe(entry.actor_agency),
                      safe(entry.action), safe(entry.target),
                      safe(json.dumps(entry.payload, ensure_ascii=False)[:80]))
    console.print(table)


@audit_app.command()
def keys(
    out: Path = typer.Option(..., "--out", help="Folder for the CODE.pub files."),
    agency: list[str] = typer.Option([], "--agency", help="Only these agencies (repeat)."),
) -> None:
    """Export the agencies' public keys (signed-note verifier keys) for the mediator."""
    ws = workspace()
    written = export_public_keys(ws, out, agency or None)
    if not written:
        raise InvalidInput("no signing keys yet: sign a checkpoint or a bundle first, "
                           "or name agencies with --agency")
    for path in written:
        console.print(f"{path}: {path.read_text(encoding='utf-8').strip()}", markup=False,
                      highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
