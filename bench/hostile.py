"""Hostile files against ingest's default limits: peak memory and time of each, in a child
process, so the figure is the import's alone (issue 10, item 14).

    python bench/hostile.py                 # the sizes of the issue's report
    python bench/hostile.py --scale 0.1     # a tenth of them, quicker

Cases: a 200 MB CSV on one line, a CSV with one 100 MB row between good ones, an XLSX whose
shared strings unpack to 1.5 GB from a few MB, an XLSX without cell references, a JSON Lines
file with a line nested 100,000 deep between good ones. Prints the outcome (one line or the
counts), wall time and peak RSS of each.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

GOOD = "Record ID,Surname,Name,Date of birth\n" + "".join(
    f"R{i},Koval{i},Ivan,1990-05-01\n" for i in range(1000))


def _workbook(rows: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rezip(data: bytes, parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(name, parts.pop(name, None) or src.read(name))
        for name, content in parts.items():
            dst.writestr(name, content)
    return out.getvalue()


def _strings_at_the_limit(path: Path, size: int) -> None:
    """A workbook whose shared-strings table (short, distinct strings, as Excel writes them)
    unpacks to ``size`` bytes, just under the default limit; the sheet uses the first 1,000.
    openpyxl holds the whole table in memory: this is the costliest workbook the limits let in."""
    book = _workbook([["Surname", "Name"]])
    with zipfile.ZipFile(io.BytesIO(book)) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Surname</t></is></c>'
             '<c r="B1" t="inlineStr"><is><t>Name</t></is></c></row>'
             + "".join(f'<row r="{i + 2}"><c r="A{i + 2}" t="s"><v>{i}</v></c>'
                       f'<c r="B{i + 2}" t="inlineStr"><is><t>Ivan</t></is></c></row>'
                       for i in range(1000)) + "</sheetData></worksheet>")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org'
        b'/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        b"</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in parts.items():
            out.writestr(name, content)
        with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                          b'spreadsheetml/2006/main">')
            written, i = 0, 0
            while written < size:
                block = b"".join(b"<si><t>Koval%07d</t></si>" % (i + k) for k in range(10_000))
                strings.write(block)
                written += len(block)
                i += 10_000
            strings.write(b"</sst>")


def build(folder: Path, scale: float) -> dict[str, Path]:
    files: dict[str, Path] = {}
    mb = int(1_000_000 * scale)
    path = folder / "one-line.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("Surname,Name,")
        for _ in range(200):
            out.write("x," * (mb // 2))
    files["200 MB on one line (CSV)"] = path
    path = folder / "big-row.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(GOOD)
        out.write("R9,Koval,")
        for _ in range(100):
            out.write("y" * mb)
        out.write(",1990\n" + "".join(f"S{i},Shevchenko{i},Taras,1985\n" for i in range(1000)))
    files["one 100 MB row (CSV)"] = path
    plain = _workbook([["Surname", "Name"], ["Koval", "Ivan"]])
    path = folder / "bomb.xlsx"
    path.write_bytes(plain)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as book, \
            book.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
        # Streamed in, so building the bomb does not take the memory it is meant to.
        strings.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                      b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>')
        for _ in range(int(1_500 * scale)):
            strings.write(b"A" * 1_000_000)
        strings.write(b"</t></si></sst>")
    files[f"shared-strings bomb, {path.stat().st_size / 1e6:.1f} MB (XLSX)"] = path
    path = folder / "strings.xlsx"
    _strings_at_the_limit(path, int(120_000_000 * scale))
    files["shared strings of 120 MB, under the limit (XLSX)"] = path
    bare = _workbook([["Surname", "Name", "Date of birth"]]
                     + [[f"Koval{i}", "Ivan", "1990-05-01"] for i in range(1000)])
    with zipfile.ZipFile(io.BytesIO(bare)) as src:
        sheet = src.read("xl/worksheets/sheet1.xml").decode()
    sheet = re.sub(r' r="[A-Z]*[0-9]+"', "", sheet)
    sheet = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1"', sheet)
    path = folder / "no-refs.xlsx"
    path.write_bytes(_rezip(bare, {"xl/worksheets/sheet1.xml": sheet.encode()}))
    files["no cell references (XLSX)"] = path
    path = folder / "deep.jsonl"
    good = [json.dumps({"Surname": f"Koval{i}", "Name": "Ivan"}) for i in range(1000)]
    deep = '{"Surname": "Deep", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path.write_text("\n".join([*good[:500], deep, *good[500:]]) + "\n", encoding="utf-8")
    files["a line nested 100,000 deep (JSONL)"] = path
    return files


def run_one(folder: Path, path: Path, index: int) -> None:
    """In the child: a fresh workspace, one import; prints its outcome on one line."""
    from parley.adapters.sql.store import Store
    from parley.config import Settings
    from parley.domain.actors import LOCAL_OPERATOR
    from parley.errors import ParleyError
    from parley.services.ingest import ingest_file
    from parley.services.setup import init_workspace
    from parley.services.workspace import Workspace

    ws = Workspace(store=Store.from_url(f"sqlite:///{folder / f'db{index}.sqlite'}"),
                   settings=Settings(data_dir=folder / "data", secret_key="bench"))
    init_workspace(ws, actor=LOCAL_OPERATOR)
    try:
        report = ingest_file(ws, actor=LOCAL_OPERATOR, path=path, source=f"s{index}",
                             agency="MOD")
        reasons = "; ".join(n.reason[:90] for n in report.reasons[:1])
        print(f"read {report.read}, imported {report.imported}, quarantined "
              f"{report.quarantined}{' (' + reasons + ')' if reasons else ''}")
    except ParleyError as err:
        print(f"refused: {err}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", default="", help="Run the cases whose name holds this text.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = build(folder, args.scale)
        print("| file | size | outcome | wall | peak RSS |")
        print("| --- | --- | --- | --- | --- |")
        for index, (name, path) in enumerate(files.items()):
            if args.only not in name:
                continue
            read, write = os.pipe()
            began = time.perf_counter()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                os.dup2(write, 1)
                try:
                    run_one(folder, path, index)
                finally:
                    sys.stdout.flush()
                    os._exit(0)
            os.close(write)
            with os.fdopen(read) as pipe:
                outcome = pipe.read().strip()
            _, _, usage = os.wait4(pid, 0)
            wall = time.perf_counter() - began
            print(f"| {name} | {path.stat().st_size / 1e6:,.1f} MB | {outcome} | {wall:.1f} s "
                  f"| {usage.ru_maxrss / 1024:,.0f} MiB |")


if __name__ == "__main__":
    main()
