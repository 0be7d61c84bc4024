"""``parley ingest FILE``: load an agency's file; bad rows are quarantined, never lost."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from parley.interfaces.cli.common import acting, console, plain, progress_bar, safe
from parley.services.ingest import ingest_file


def ingest(
    file: Path = typer.Argument(..., help="CSV (any common delimiter; UTF-8, UTF-8 with BOM or "
                                "cp1251), XLSX, or JSON Lines file."),
    source: str = typer.Option(..., "--source", help="Name of the source (made on first use)."),
    agency: str = typer.Option(..., "--agency", help="Originating agency code, e.g. MOD."),
    mapping: Path | None = typer.Option(
        None, "--mapping", help="Header mapping: JSON {\"header\": \"field\"} or CSV "
        "'header,canonical_field' for headers not recognised automatically."),
    classification: str = typer.Option(
        "restricted", "--classification",
        help="public, restricted, confidential, secret or top_secret."),
    reliability: str = typer.Option(
        "F6", "--reliability", help="Admiralty grade: source A–F and information 1–6, e.g. B2."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a "
                                 "table (keys read, imported, duplicates, quarantined, "
                                 "warnings, …)."),
) -> None:
    """Import a file of person records: headers in English, Ukrainian or Russian map onto the
    canonical schema; each row is validated; bad rows go to quarantine with line and reason; a
    re-import of the same file adds nothing."""
    ws, me = acting()
    with progress_bar(transient=True) as bars:
        task = bars.add_task(f"ingesting {file.name}", total=None)

        def advance(stage: str, done: int, total: int | None) -> None:
            bars.update(task, completed=done, total=max(total, done) if total else None)

        report = ingest_file(
            ws, actor=me, path=file, source=source, agency=agency, mapping=mapping,
            classification=classification, reliability=reliability, progress=advance,
        )
    if as_json:
        console.print(json.dumps(report.as_dict(), ensure_ascii=False), markup=False,
                      highlight=False, soft_wrap=True)
        return
    table = Table(title=safe(f"{report.file} → {report.source} ({report.agency}), batch "
                             f"{report.batch_id}"))
    table.add_column("read", justify="right")
    table.add_column("imported", justify="right")
    table.add_column("duplicates", justify="right")
    table.add_column("quarantined", justify="right")
    table.add_row(str(report.read), str(report.imported), str(report.duplicates),
                  str(report.quarantined))
    console.print(table)
    detected = f"{report.format}"
    if report.encoding:
        detected += f", {report.encoding}"
    if report.delimiter:
        detected += f", delimiter {report.delimiter!r}"
    console.print(plain(f"Read as {detected}."), markup=False, highlight=False)
    unmapped = [h for h, target in report.column_map.items() if target is None]
    if unmapped:
        console.print(plain(f"Kept as extra fields: {', '.join(unmapped)}"), markup=False,
                      highlight=False, soft_wrap=True)
    for notice in report.notices:
        console.print(f"Warning: {plain(notice)}", markup=False, highlight=False, soft_wrap=True)
    if report.warnings:
        console.print(f"Warning: {report.warnings} coded value(s) not recognised were kept with "
                      "the code 'unknown' and their original text.", markup=False,
                      highlight=False)
    if report.reasons:
        console.print("First quarantine reasons:")
        for note in report.reasons:
            console.print(f"  {plain(note)}", markup=False, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command(name="ingest")(ingest)
