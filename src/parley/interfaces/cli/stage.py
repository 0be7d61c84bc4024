"""``parley stage``: check-in at the handover point, the parity board, incidents, closing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from parley.domain.plan import SIDES
from parley.errors import UnreadableFile
from parley.interfaces.cli.common import acting, console
from parley.services import handover as svc
from parley.services.protocols import cosign_protocol

stage_app = typer.Typer(help="The exchange day: check-in, parity board, incidents, closing a "
                        "stage with its signed protocol.", no_args_is_help=True)

PlanOpt = Annotated[int | None, typer.Option("--plan", help="Stored plan id (default: the "
                                             "newest).")]
StageArg = Annotated[int, typer.Argument(help="The stage number.")]


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as err:
        raise UnreadableFile(f"{path}: {err.strerror or err}") from None


@stage_app.command("checkin")
def checkin(
    stage: StageArg,
    sheet: Annotated[Path, typer.Argument(help="SHEET.csv: record_id,side,outcome,"
                                          "will_to_return,fit_to_travel,note.")],
    plan_id: PlanOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Import a check-in sheet from the handover point; idempotent, and a row that contradicts
    what is recorded is flagged, never merged."""
    ws, me = acting()
    report = svc.import_checkin_sheet(ws, actor=me, plan_id=plan_id,
                                      stage=stage, path=sheet)
    if as_json:
        typer.echo(json.dumps(report.as_data(), ensure_ascii=False))
        return
    console.print(f"recorded {report.recorded}, unchanged {report.unchanged}, flagged "
                  f"{report.flagged}")
    for flag in report.flags:
        console.print(f"flagged: {flag['side']} {flag['record_id']} (line {flag['line']}): "
                      f"{flag['reason']}", markup=False)


@stage_app.command("board")
def board(
    stage: StageArg,
    plan_id: PlanOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the board as JSON.")] = False,
) -> None:
    """Handed over and received so far (by category), the imbalance, who is left, incidents."""
    ws, me = acting()
    view = svc.stage_board(ws, actor=me, plan_id=plan_id, stage=stage)
    if as_json:
        typer.echo(json.dumps(view.as_data(), ensure_ascii=False))
        return
    b = view.board
    for side in SIDES:
        cells = ", ".join(f"{k} {v}" for k, v in b.counts[side].items())
        console.print(f"{side}: {cells}")
    state = "balanced" if b.balanced else f"OUT OF PARITY (imbalance {b.imbalance:+d})"
    console.print(f"stage {stage} of plan {view.plan_id}: {state}; {b.pending} left"
                  + ("; closed" if view.closure else ""))
    for inc in view.incidents:
        console.print(f"incident {inc.occurred_at:%H:%M} {inc.severity.value} {inc.kind.value}: "
                      f"{inc.description}", markup=False)


@stage_app.command("incident")
def incident(
    stage: StageArg,
    kind: Annotated[str, typer.Option("--kind", help="delay, route_change, security_threat or "
                                      "medical_emergency.")],
    severity: Annotated[str, typer.Option("--severity", help="low, medium, high or critical.")],
    description: Annotated[str, typer.Option("--description", help="What happened.")] = "",
    plan_id: PlanOpt = None,
) -> None:
    """Record an incident of the stage (shown on the board and in the protocol)."""
    ws, me = acting()
    found = svc.record_incident(ws, actor=me, plan_id=plan_id,
                                stage=stage, kind=kind, severity=severity,
                                description=description)
    console.print(f"recorded {found.severity.value} {found.kind.value} at "
                  f"{found.occurred_at:%H:%M:%S}")


@stage_app.command("close")
def close(
    stage: StageArg,
    out: Annotated[Path, typer.Option("-o", "--out", help="PROTOCOL file to write.")],
    imbalance_reason: Annotated[str | None, typer.Option(
        "--imbalance-reason", help="Close out of parity, recording why (the coordinator).")]
    = None,
    cosign: Annotated[list[str] | None, typer.Option(
        "--cosign", help="An agency that co-signs the protocol (e.g. MED).")] = None,
    place: Annotated[str, typer.Option("--place", help="The handover point.")] = "",
    plan_id: PlanOpt = None,
) -> None:
    """Close the stage and write its signed protocol; exit 6 while out of parity without a
    recorded reason."""
    ws, me = acting()
    data = svc.close_stage(ws, actor=me, plan_id=plan_id, stage=stage,
                           imbalance_reason=imbalance_reason, cosigners=cosign or (),
                           handover_point=place)
    _write(out, data)
    console.print(f"stage {stage} closed; protocol written to {out}")


@stage_app.command("protocol")
def protocol(
    stage: StageArg,
    out: Annotated[Path, typer.Option("-o", "--out", help="PROTOCOL file to write.")],
    cosign: Annotated[str | None, typer.Option(
        "--cosign", help="Add this agency's signature first (the mediator: MED).")] = None,
    plan_id: PlanOpt = None,
) -> None:
    """Save the signed protocol of a closed stage, optionally co-signed by the mediator."""
    ws, me = acting()
    if cosign is not None:
        data = cosign_protocol(ws, actor=me, plan_id=plan_id, stage=stage,
                               agency=cosign)
    else:
        data = svc.stage_protocol(ws, actor=me, plan_id=plan_id, stage=stage)
    _write(out, data)
    console.print(f"wrote {out}")


def register(app: typer.Typer) -> None:
    app.add_typer(stage_app, name="stage")
