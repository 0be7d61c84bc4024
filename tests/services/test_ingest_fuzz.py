"""Fuzzing ingest (issue 10): random bytes, random structures and mutations of valid CSV, XLSX
and JSON Lines files. Every outcome is imported rows, quarantined rows with a reason, or a
one-line refusal (``UnreadableFile``); never a traceback."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from parley.adapters.sql.store import Store
from parley.adapters.sql.tables import QuarantinedRow
from parley.config import Settings
from parley.domain.actors import LOCAL_OPERATOR
from parley.errors import UnreadableFile
from parley.services.ingest import ingest_file
from parley.services.setup import init_workspace
from parley.services.workspace import Workspace

EXAMPLES = 150
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LIMITS = {"ingest_max_row_bytes": 4_096, "ingest_max_field_chars": 500,
          "ingest_max_columns": 40, "ingest_max_cells": 5_000, "ingest_max_nesting": 8,
          "ingest_max_decompressed_bytes": 2_000_000,
          "ingest_max_shared_strings_bytes": 500_000}

HEADER = "Record ID,Surname,Name,Patronymic,Date of birth,Sex,Status\n"
VALID_CSV = (HEADER + "".join(f"R{i},Koval{i},Ivan,Petrovych,1990-05-0{i % 9 + 1},M,POW\n"
                              for i in range(12))).encode()
VALID_JSONL = "".join(json.dumps({"Surname": f"Koval{i}", "Name": "Ivan", "Born": "1990",
                                  "Extra": {"a": [i, None, True]}}, ensure_ascii=False) + "\n"
                      for i in range(8)).encode()


def _valid_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Surname", "Name", "Date of birth", "Status"])
    for i in range(8):
        sheet.append([f"Koval{i}", "Ivan", f"199{i}-01-02", "POW"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


VALID_XLSX = _valid_xlsx()


def _workspace(tmp: Path) -> Workspace:
    ws = Workspace(store=Store.from_url(f"sqlite:///{tmp / 'fuzz.db'}"),
                   settings=Settings(data_dir=tmp / "data", secret_key="fuzz", **LIMITS))
    init_workspace(ws, actor=LOCAL_OPERATOR)
    return ws


class _Runner:
    """Writes each example to a file and imports it; checks the outcome is one of the three."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.ws = _workspace(tmp)
        self.count = 0
        self.outcomes = {"imported": 0, "quarantined": 0, "refused": 0}

    def __call__(self, data: bytes, suffix: str) -> None:
        self.count += 1
        path = self.tmp / f"f{self.count}{suffix}"
        path.write_bytes(data)
        try:
            report = ingest_file(self.ws, actor=LOCAL_OPERATOR, path=path, source="fuzz",
                                 agency="MOD")
        except UnreadableFile as err:
            message = str(err)
            assert message and "\n" not in message and len(message) < 1_000
            self.outcomes["refused"] += 1
            return
        finally:
            path.unlink()
        assert report.read == report.imported + report.duplicates + report.quarantined
        self.outcomes["imported"] += report.imported > 0
        self.outcomes["quarantined"] += report.quarantined > 0
        with self.ws.store.reading() as s:
            rows = s.scalars(select(QuarantinedRow)
                             .where(QuarantinedRow.batch_id == report.batch_id)).all()
        assert all(r.reason and r.line_no >= 0 for r in rows)


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Each edit replaces ``length`` bytes at ``at`` (modulo the size) with ``new``."""
    out = bytearray(data)
    for at, length, new in edits:
        at = at % (len(out) + 1)
        out[at:at + length] = new
    return bytes(out)


EDITS = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 8), st.binary(max_size=8)),
                 min_size=1, max_size=6)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
CELL = st.one_of(TEXT, st.sampled_from(['"', '""', ",", ";", "\t", "\n", "\r", "\x00",
                                        "1990-13-45", "31.02.1990", "=cmd|x", "Коваль"]))
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12)


@pytest.mark.slow
def test_fuzz_csv(tmp_path: Path) -> None:
    run = _Runner(tmp_path)

    @FUZZ
    @given(kind=st.integers(0, 2), raw=st.binary(max_size=3_000), edits=EDITS,
           rows=st.lists(st.lists(CELL, max_size=9), max_size=12),
           delimiter=st.sampled_from([",", ";", "\t", "|"]))
    def one(kind: int, raw: bytes, edits: list[tuple[int, int, bytes]],
            rows: list[list[str]], delimiter: str) -> None:
        if kind == 0:
            data = raw
        elif kind == 1:
            data = _mutate(VALID_CSV, edits)
        else:
            data = (HEADER + "\n".join(delimiter.join(r) for r in rows)).encode()
        run(data, ".csv")

    one()
    assert run.outcomes["imported"] and run.outcomes["refused"]


@pytest.mark.slow
def test_fuzz_jsonl(tmp_path: Path) -> None:
    run = _Runner(tmp_path)

    @FUZZ
    @given(kind=st.integers(0, 2), raw=st.binary(max_size=3_000), edits=EDITS,
           values=st.lists(JSON, max_size=10), depth=st.integers(0, 3_000))
    def one(kind: int, raw: bytes, edits: list[tuple[int, int, bytes]],
            values: list[object], depth: int) -> None:
        if kind == 0:
            data = raw
        elif kind == 1:
            data = _mutate(VALID_JSONL, edits)
        else:
            lines = [json.dumps({"Surname": "K", "v": v}) if i % 2 else json.dumps(v)
                     for i, v in enumerate(values)]
            lines.append('{"Surname": "D", "x": ' + "[" * depth + "]" * depth + "}")
            data = "\n".join(lines).encode()
        run(data, ".jsonl")

    one()
    assert run.outcomes["imported"] and run.outcomes["quarantined"]


def _rezip(data: bytes, part: str, edits: list[tuple[int, int, bytes]]) -> bytes:
    """The valid workbook with one part's XML mutated (so the XML parser sees the damage)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            content = src.read(name)
            dst.writestr(name, _mutate(content, edits) if name == part else content)
    return out.getvalue()


@pytest.mark.slow
def test_fuzz_xlsx(tmp_path: Path) -> None:
    run = _Runner(tmp_path)
    parts = sorted(zipfile.ZipFile(io.BytesIO(VALID_XLSX)).namelist())

    @FUZZ
    @given(kind=st.integers(0, 2), raw=st.binary(max_size=3_000), edits=EDITS,
           part=st.sampled_from(parts))
    def one(kind: int, raw: bytes, edits: list[tuple[int, int, bytes]], part: str) -> None:
        if kind == 0:
            data = b"PK\x03\x04" + raw
        elif kind == 1:
            data = _mutate(VALID_XLSX, edits)
        else:
            data = _rezip(VALID_XLSX, part, edits)
        run(data, ".xlsx")

    one()
    assert run.outcomes["refused"] and run.outcomes["imported"]
