"""``parley remains``: repatriations of bodies, forensic cases, reference samples, lab
results. Thin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from parley.interfaces.cli.common import acting, console
from parley.services.remains import (
    RemainsReport,
    import_cases,
    import_results,
    record_repatriation,
    record_sample,
    remains_overview,
    set_case_state,
)

remains_app = typer.Typer(help="The dead: repatriations, forensic cases, lab matches.",
                          no_args_is_help=True)


def _print(report: RemainsReport, as_json: bool) -> None:
    if as_json:
        console.print_json(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    console.print(f"read {report.read}, imported {report.imported}, updated {report.updated}, "
                  f"duplicates {report.duplicates}, refused {report.quarantined}, identified "
                  f"{report.identified}")
    for reason in report.reasons[:10]:
        console.print(f"  line {reason['line']}, {reason['field']}: {reason['reason']}",
                      markup=False)


@remains_app.command("repatriation")
def repatriation_cmd(
    key: Annotated[str, typer.Argument(help="Repatriation id.")],
    received: Annotated[int, typer.Option(help="Bodies received.")] = 0,
    handed_over: Annotated[int, typer.Option(help="Bodies handed over.")] = 0,
    date: Annotated[str, typer.Option(help="Date (YYYY-MM-DD).")] = "",
    place: Annotated[str, typer.Option(help="Place.")] = "",
) -> None:
    """Record a repatriation of bodies with the count each side received."""
    ws, me = acting()
    record_repatriation(ws, actor=me, key=key, date=date, place=place,
                        received=received, handed_over=handed_over)
    console.print(f"repatriation {key}: {received} received, {handed_over} handed over")


@remains_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="CSV: case_id,repatriation_id,state,...")],
    as_json: Annotated[bool, typer.Option("--json", help="Print counts as JSON.")] = False,
) -> None:
    """Import remains cases (a known case only moves forward)."""
    ws, me = acting()
    _print(import_cases(ws, actor=me, path=file), as_json)


@remains_app.command("sample")
def sample_cmd(
    sample_id: Annotated[str, typer.Argument(help="The sample's id at the lab.")],
    lab: Annotated[str, typer.Option(help="The lab.")],
    inquiry: Annotated[str, typer.Option(help="The inquiry it was given for.")],
) -> None:
    """Record a relative's DNA reference sample (id and lab only)."""
    ws, me = acting()
    record_sample(ws, actor=me, sample_id=sample_id, lab=lab,
                  inquiry=inquiry)
    console.print(f"sample {sample_id} recorded")


@remains_app.command("results")
def results_cmd(
    file: Annotated[Path, typer.Argument(help="CSV: case_id,sample_id,inquiry_id,result")],
    as_json: Annotated[bool, typer.Option("--json", help="Print counts as JSON.")] = False,
) -> None:
    """Import lab results; a match identifies the case and answers the family."""
    ws, me = acting()
    _print(import_results(ws, actor=me, path=file), as_json)


@remains_app.command("state")
def state_cmd(
    case_id: Annotated[str, typer.Argument(help="Case id.")],
    state: Annotated[str, typer.Argument(help="The new (later) forensic state.")],
) -> None:
    """Move a case forward, e.g. to returned_to_family."""
    ws, me = acting()
    now = set_case_state(ws, actor=me, case_id=case_id, state=state)
    console.print(f"case {case_id} is {now}")


@remains_app.command("overview")
def overview_cmd() -> None:
    """Cases per forensic state and each repatriation's counts."""
    ws, me = acting()
    console.print_json(json.dumps(remains_overview(ws, actor=me),
                                  ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.add_typer(remains_app, name="remains")
