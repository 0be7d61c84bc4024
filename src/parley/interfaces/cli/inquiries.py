"""``parley inquiries``: relatives' inquiries — import, link to persons, review, export. Thin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from parley.interfaces.cli.common import acting, console
from parley.services.inquiries import export_inquiries, get_inquiry, import_inquiries
from parley.services.inquiry_links import decide_candidate, list_notifications, match_inquiries

inquiries_app = typer.Typer(help="Relatives' inquiries: import, link to persons, export.",
                            no_args_is_help=True)


@inquiries_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX of inquiries.")],
    channel: Annotated[str, typer.Option(help="ombudsman, hotline, icrc or letter.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print counts as JSON.")] = False,
) -> None:
    """Import inquiries; a re-import adds nothing, bad rows are quarantined."""
    ws, me = acting()
    report = import_inquiries(ws, actor=me, path=file, channel=channel)
    if as_json:
        console.print_json(json.dumps(report.as_dict()))
        return
    console.print(f"read {report.read}, imported {report.imported}, duplicates "
                  f"{report.duplicates}, quarantined {report.quarantined}")
    for reason in report.reasons[:10]:
        console.print(f"  line {reason['line']}, {reason['field']}: {reason['reason']}",
                      markup=False)


@inquiries_app.command("match")
def match_cmd(
    engine: Annotated[str, typer.Option(help="Linkage engine: duckdb or spark.")] = "duckdb",
    as_json: Annotated[bool, typer.Option("--json", help="Print counts as JSON.")] = False,
) -> None:
    """Link open inquiries to resolved persons (uncertain ones wait for review)."""
    ws, me = acting()
    report = match_inquiries(ws, actor=me, engine=engine)
    if as_json:
        console.print_json(json.dumps(report.as_dict()))
        return
    console.print(f"linked {report.linked}, review {report.review}, "
                  f"unmatched {report.unmatched}")


@inquiries_app.command("export")
def export_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="CSV file to write.")],
) -> None:
    """Write inquiry_id,state,person_id,record_ids,probability."""
    ws, me = acting()
    rows = export_inquiries(ws, actor=me, path=output)
    console.print(f"{rows} inquiries written to {output}")


@inquiries_app.command("show")
def show_cmd(inquiry_id: Annotated[int, typer.Argument(help="Inquiry id.")]) -> None:
    """One inquiry: state, link, group, candidates awaiting review."""
    ws, me = acting()
    console.print_json(json.dumps(get_inquiry(ws, actor=me,
                                              inquiry_id=inquiry_id), ensure_ascii=False))


@inquiries_app.command("decide")
def decide_cmd(
    inquiry_id: Annotated[int, typer.Argument(help="Inquiry id.")],
    person_id: Annotated[int, typer.Argument(help="Candidate person id.")],
    decision: Annotated[str, typer.Argument(help="link or reject.")],
    note: Annotated[str, typer.Option(help="Why.")] = "",
) -> None:
    """A reviewer's decision on an inquiry's candidate person."""
    ws, me = acting()
    state = decide_candidate(ws, actor=me, inquiry_id=inquiry_id,
                             person_id=person_id, decision=decision, note=note)
    console.print(f"inquiry {inquiry_id} is {state}")


@inquiries_app.command("notifications")
def notifications_cmd(
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
) -> None:
    """What inquiry handlers have been told (new matching records, links)."""
    table = Table("id", "inquiry", "kind", "message")
    ws, me = acting()
    for n in list_notifications(ws, actor=me, mine_only=False,
                                limit=limit):
        table.add_row(str(n["id"]), str(n["inquiry_id"]), n["kind"], n["message"])
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(inquiries_app, name="inquiries")
