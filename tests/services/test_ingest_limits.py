"""Hostile files against lowered ``PARLEY_INGEST_…`` limits (issue 10, item 14): each is refused
with one line naming the limit, or quarantined row by row, and every valid row is kept."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from parley.adapters.sql.tables import AuditEventRow, ImportBatch, QuarantinedRow, SourceRecord
from parley.domain.actors import Actor
from parley.errors import UnreadableFile
from parley.services.ingest import ingest_file
from parley.services.workspace import Workspace

HEADER = "Record ID,Surname,Name,Date of birth\n"


def _good(i: int) -> str:
    return f"R{i},Koval{i},Ivan,1990-05-01\n"


def _limited(ws: Workspace, **limits: int) -> Workspace:
    update = {f"ingest_{name}": value for name, value in limits.items()}
    return Workspace(store=ws.store, settings=ws.settings.model_copy(update=update))


def _quarantined(ws: Workspace) -> list[QuarantinedRow]:
    with ws.store.reading() as s:
        return list(s.scalars(select(QuarantinedRow).order_by(QuarantinedRow.line_no)))


def _records(ws: Workspace) -> int:
    with ws.store.reading() as s:
        return int(s.scalar(select(func.count()).select_from(SourceRecord)) or 0)


def _ingest(ws: Workspace, actor: Actor, path: Path) -> tuple[int, int, int]:
    report = ingest_file(ws, actor=actor, path=path, source="s", agency="MOD")
    return report.read, report.imported, report.quarantined


def test_single_line_file_is_refused_naming_the_row_limit(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "one-line.csv"
    path.write_bytes(b"Surname,Name," + b"x," * 200_000)  # 400 KB, no line break
    with pytest.raises(UnreadableFile) as caught:
        ingest_file(_limited(ws, max_row_bytes=65_536), actor=operator, path=path, source="s",
                    agency="MOD")
    message = str(caught.value)
    assert "PARLEY_INGEST_MAX_ROW_BYTES" in message and "\n" not in message


def test_a_huge_row_is_quarantined_as_a_preview_and_its_neighbours_kept(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "big-row.csv"
    huge = "R9,Koval," + "y" * 300_000 + ",1990\n"
    path.write_text(HEADER + _good(1) + huge + _good(2) + _good(3), encoding="utf-8")
    assert _ingest(_limited(ws, max_row_bytes=100_000), operator, path) == (4, 3, 1)
    (row,) = _quarantined(ws)
    assert row.line_no == 3 and "PARLEY_INGEST_MAX_ROW_BYTES" in row.reason
    assert len(row.raw_text) < 10_000 and len(json.dumps(row.raw)) < 200
    # A re-import knows the refused row (by the hash of its bytes) as well as the good ones.
    assert ingest_file(_limited(ws, max_row_bytes=100_000), actor=operator, path=path,
                       source="s", agency="MOD").duplicates == 4


def test_an_unclosed_quote_is_one_bad_row_not_the_rest_of_the_file(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "quote.csv"
    body = _good(1) + 'R2,"Koval,Ivan,1990\n' + "".join(_good(i) for i in range(3, 400))
    path.write_text(HEADER + body, encoding="utf-8")
    read, imported, quarantined = _ingest(_limited(ws, max_row_bytes=2_000), operator, path)
    assert quarantined >= 1 and imported >= 300 and read == imported + quarantined
    first = _quarantined(ws)[0]
    assert first.line_no == 3 and "PARLEY_INGEST_MAX_ROW_BYTES" in first.reason


def test_a_long_field_and_a_wide_row_are_quarantined(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "wide.jsonl"
    lines = [
        {"Surname": "Koval", "Name": "Ivan", "Notes": "n" * 5_000},
        {"Surname": "Koval", "Name": "Petro", **{f"c{i}": "v" for i in range(80)}},
        {"Surname": "Shevchenko", "Name": "Taras"},
    ]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    assert _ingest(_limited(ws, max_field_chars=1_000, max_columns=50),
                   operator, path) == (3, 1, 2)
    reasons = [q.reason for q in _quarantined(ws)]
    assert "PARLEY_INGEST_MAX_FIELD_CHARS" in reasons[0] and "'Notes'" in reasons[0]
    assert "PARLEY_INGEST_MAX_COLUMNS" in reasons[1]


def test_deep_nesting_is_quarantined_and_valid_lines_kept(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    """A line nested 100,000 deep aborted the whole file with a RecursionError traceback."""
    path = tmp_path / "deep.jsonl"
    deep = '{"Surname": "Deep", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    digits = '{"Surname": "Big", "n": ' + "7" * 5_000 + "}"
    good = [json.dumps({"Surname": f"Koval{i}", "Name": "Ivan"}) for i in range(3)]
    path.write_text("\n".join([good[0], deep, good[1], digits, good[2]]) + "\n",
                    encoding="utf-8")
    assert _ingest(ws, operator, path) == (5, 3, 2)
    reasons = [q.reason for q in _quarantined(ws)]
    assert "PARLEY_INGEST_MAX_NESTING" in reasons[0]
    assert "not readable as JSON" in reasons[1]


def test_too_many_cells_stops_with_one_line_and_keeps_the_rows_before(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "cells.csv"
    path.write_text(HEADER + "".join(_good(i) for i in range(100)), encoding="utf-8")
    with pytest.raises(UnreadableFile, match="PARLEY_INGEST_MAX_CELLS"):
        ingest_file(_limited(ws, max_cells=250), actor=operator, path=path, source="s",
                    agency="MOD")
    assert _records(ws) == 62  # 62 rows of 4 cells fit in 250
    with ws.store.reading() as s:
        batch = s.scalars(select(ImportBatch)).one()
        stopped = s.scalars(select(AuditEventRow)
                            .where(AuditEventRow.action == "ingest.interrupted")).one()
    assert batch.rows_imported == 62 and "PARLEY_INGEST_MAX_CELLS" in stopped.payload["reason"]


def test_a_file_over_the_size_limit_is_refused(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "".join(_good(i) for i in range(200)), encoding="utf-8")
    with pytest.raises(UnreadableFile, match="PARLEY_INGEST_MAX_FILE_BYTES"):
        ingest_file(_limited(ws, max_file_bytes=1_000), actor=operator, path=path,
                    source="s", agency="MOD")
    assert _records(ws) == 0


def _workbook(path: Path, rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _rewrite_sheet(path: Path, out: Path, change: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(name, change.get(name, src.read(name)))
        for name in change.keys() - set(src.namelist()):
            dst.writestr(name, change[name])
    return out


def test_shared_strings_bomb_is_refused_before_unpacking(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    """A small workbook whose shared strings unpack to far more than it weighs."""
    plain = _workbook(tmp_path / "plain.xlsx", [["Surname", "Name"], ["Koval", "Ivan"]])
    strings = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
               b'spreadsheetml/2006/main">' + b"<si><t>" + b"A" * 3_000_000 + b"</t></si></sst>")
    bomb = _rewrite_sheet(plain, tmp_path / "bomb.xlsx", {"xl/sharedStrings.xml": strings})
    assert bomb.stat().st_size < 50_000
    with pytest.raises(UnreadableFile, match="PARLEY_INGEST_MAX_SHARED_STRINGS_BYTES"):
        ingest_file(_limited(ws, max_shared_strings_bytes=1_000_000), actor=operator,
                    path=bomb, source="s", agency="MOD")
    with pytest.raises(UnreadableFile, match="PARLEY_INGEST_MAX_DECOMPRESSED_BYTES"):
        ingest_file(_limited(ws, max_decompressed_bytes=2_000_000), actor=operator,
                    path=bomb, source="s", agency="MOD")


def test_xlsx_without_cell_references_is_read(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    """Cells without ``r`` and a dimension of ``A1``: openpyxl read one cell, ingest 0 rows."""
    import re

    plain = _workbook(tmp_path / "plain.xlsx",
                      [["Surname", "Name", "Date of birth"], ["Koval", "Ivan", "1990-05-01"],
                       ["Shevchenko", "Taras", "1985"]])
    with zipfile.ZipFile(plain) as src:
        sheet = src.read("xl/worksheets/sheet1.xml").decode()
    sheet = re.sub(r' r="[A-Z]*[0-9]+"', "", sheet)
    sheet = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1"', sheet)
    bare = _rewrite_sheet(plain, tmp_path / "bare.xlsx",
                          {"xl/worksheets/sheet1.xml": sheet.encode()})
    assert _ingest(ws, operator, bare) == (2, 2, 0)


def test_a_file_with_a_header_and_no_rows_warns(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "empty.csv"
    path.write_text(HEADER, encoding="utf-8")
    report = ingest_file(ws, actor=operator, path=path, source="s", agency="MOD")
    assert report.read == 0 and "no data rows" in report.notices[0]


def test_chunks_are_bounded_by_bytes_as_well_as_rows(
    ws: Workspace, operator: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows near the row limit must not make a 10,000-row chunk of gigabytes."""
    from parley.services import ingest as ingest_module

    monkeypatch.setattr(ingest_module, "CHUNK_BYTES", 20_000)
    path = tmp_path / "fat.csv"
    path.write_text("Record ID,Surname,Notes\n" + "".join(
        f"R{i},Koval{i},{'n' * 5_000}\n" for i in range(20)), encoding="utf-8")
    report = ingest_file(ws, actor=operator, path=path, source="s", agency="MOD")
    assert report.imported == 20
    with ws.store.reading() as s:
        chunks = s.scalars(select(AuditEventRow.payload)
                           .where(AuditEventRow.action == "ingest.chunk")).all()
    assert [c["read"] for c in chunks] == [4] * 5
