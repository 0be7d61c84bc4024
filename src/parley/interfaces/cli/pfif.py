"""``parley pfif``: exchange persons and notes with other tracing systems (PFIF 1.4). Thin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from parley.interfaces.cli.common import acting, console
from parley.services.pfif import export_pfif, import_pfif

pfif_app = typer.Typer(help="PFIF 1.4 import and export (People Finder Interchange Format).",
                       no_args_is_help=True)


@pfif_app.command("export")
def export_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="XML file to write.")],
) -> None:
    """Write the stored PFIF records and the inquiries shared with the ICRC."""
    ws, me = acting()
    counts = export_pfif(ws, actor=me, path=output)
    console.print(f"{counts['persons']} persons, {counts['notes']} notes written to {output}")


@pfif_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="PFIF 1.2-1.4 XML file.")],
    source: Annotated[str, typer.Option(help="Where the file comes from.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print counts as JSON.")] = False,
) -> None:
    """Import PFIF persons and notes (every field kept); known record ids add nothing."""
    ws, me = acting()
    report = import_pfif(ws, actor=me, path=file, source=source)
    if as_json:
        console.print_json(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    console.print(f"persons {report.persons}, notes {report.notes}, duplicates "
                  f"{report.duplicates}, refused {report.refused}")
    for problem in report.problems[:10]:
        console.print(f"  {problem}", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(pfif_app, name="pfif")
