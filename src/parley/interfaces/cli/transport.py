"""``parley transport``: seat a plan's people in its vehicles; manifests and stage kits."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parley.errors import UnreadableFile
from parley.interfaces.cli.common import acting, console
from parley.services import logistics as svc

transport_app = typer.Typer(help="Vehicles, manifests and stage kits for the exchange day.",
                            no_args_is_help=True)

PlanOpt = Annotated[int | None, typer.Option("--plan", help="Stored plan id (default: the "
                                             "newest).")]


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as err:
        raise UnreadableFile(f"{path}: {err.strerror or err}") from None


@transport_app.command("assign")
def assign(
    vehicles: Annotated[Path, typer.Option("--vehicles", help="VEHICLES.csv: vehicle_id,kind,"
                                           "seats,stretchers,medics,stage.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="MANIFEST.csv to write.")],
    plan_id: PlanOpt = None,
) -> None:
    """Put every planned person of each stage into a vehicle of that stage (HiGHS, the smallest
    convoy): stretcher places for the seriously wounded and those who cannot sit, medics where
    there are stretcher patients. Exit 6 naming the shortfall when the fleet cannot carry a
    stage."""
    ws, me = acting()
    fleet = svc.read_vehicles(vehicles)
    plan, convoy = svc.assign_transport(ws, actor=me, plan_id=plan_id,
                                        vehicles=fleet)
    _, lines = svc.manifest(ws, actor=me, plan_id=plan)
    _write(out, svc.manifest_csv(lines).encode("utf-8"))
    used = ", ".join(f"stage {k}: {n}" for k, n in sorted(convoy.vehicles_used.items()))
    console.print(f"plan {plan}: {len(convoy.seats)} seated, {convoy.status} "
                  f"({convoy.seconds:.2f} s); vehicles used: {used}; wrote {out}")


@transport_app.command("routes")
def routes(
    file: Annotated[Path, typer.Argument(help="ROUTES.csv: stage,from,from_kind,to,to_kind,risk,"
                                         "window_start,window_end,escort.")],
    plan_id: PlanOpt = None,
) -> None:
    """Each stage's corridor as legs between places (assembly point, checkpoints, the handover
    point) with risk, the agreed time window and the escort."""
    legs = svc.read_routes(file)
    ws, me = acting()
    plan = svc.set_routes(ws, actor=me, plan_id=plan_id, legs=legs)
    stages = sorted({leg.stage for leg in legs})
    console.print(f"plan {plan}: {len(legs)} legs for stage(s) {', '.join(map(str, stages))}")


@transport_app.command("manifest")
def manifest(
    out: Annotated[Path, typer.Option("-o", "--out", help="CSV to write.")],
    stage: Annotated[int | None, typer.Option("--stage", help="One stage (default: all).")]
    = None,
    vehicle: Annotated[str | None, typer.Option("--vehicle", help="One vehicle only.")] = None,
    plan_id: PlanOpt = None,
) -> None:
    """The stored manifest per stage or per vehicle, with the identity fields logistics see."""
    ws, me = acting()
    _, lines = svc.manifest(ws, actor=me, plan_id=plan_id, stage=stage)
    if vehicle is not None:
        lines = [m for m in lines if m.vehicle_id == vehicle]
    _write(out, svc.manifest_csv(lines, identity=True).encode("utf-8"))
    console.print(f"wrote {out} ({len(lines)} people)")


@transport_app.command("kit")
def kit(
    stage: Annotated[int, typer.Argument(help="The stage.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Signed stage kit to write.")],
    roster: Annotated[Path | None, typer.Option("--roster", help="Delegation roster CSV: name,"
                                                "role,organisation.")] = None,
    plan_id: PlanOpt = None,
) -> None:
    """The signed stage kit for the field team (manifest, vehicles, delegation roster), a DSSE
    bundle signed with the staff key: parley-verify bundle KIT --key HQ.pub."""
    ws, me = acting()
    data = svc.stage_kit(ws, actor=me, plan_id=plan_id, stage=stage,
                         roster=svc.read_roster(roster))
    _write(out, data)
    console.print(f"wrote {out}")


def register(app: typer.Typer) -> None:
    app.add_typer(transport_app, name="transport")
