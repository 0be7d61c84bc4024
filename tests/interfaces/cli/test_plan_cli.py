"""``parley plan`` end to end on files, as a user runs it."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from parley.synth.exchange import candidate_rows, candidates


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _parley(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from parley.interfaces.cli.main import run; run()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=False)


def test_plan_writes_the_columns_and_substitute_records_the_reason(tmp_path: Path) -> None:
    give = _write(tmp_path / "give.csv", candidate_rows(candidates(200, seed=1, prefix="G")))
    receive = _write(tmp_path / "receive.csv",
                     candidate_rows(candidates(150, seed=2, prefix="R")))
    out = tmp_path / "plan.csv"
    done = _parley("plan", "--give", str(give), "--receive", str(receive), "--stages", "3",
                   "--category-parity", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "optimal" in done.stdout
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["record_id", "side", "stage"]
    assert {r["stage"] for r in rows} <= {"1", "2", "3", "reserve"}
    for k in ("1", "2", "3"):
        assert sum(r["stage"] == k and r["side"] == "give" for r in rows) == sum(
            r["stage"] == k and r["side"] == "receive" for r in rows)
    first = next(r["record_id"] for r in rows if r["side"] == "give" and r["stage"] == "1")
    done = _parley("plan", "substitute", str(out), "--give", str(give), "--receive",
                   str(receive), "--drop", first, "--side", "give", "--reason",
                   "refuses repatriation", "--category-parity")
    assert done.returncode == 0, done.stderr
    log = (tmp_path / "plan.csv.substitutions.jsonl").read_text(encoding="utf-8")
    assert "refuses repatriation" in log and first in log
    with out.open(encoding="utf-8") as handle:
        assert first not in {r["record_id"] for r in csv.DictReader(handle)}


def test_bad_input_is_one_line_with_file_line_and_field(tmp_path: Path) -> None:
    rows = candidate_rows(candidates(5, seed=1, prefix="G"))
    rows[2]["category"] = "pirate"
    give = _write(tmp_path / "give.csv", rows)
    done = _parley("plan", "--give", str(give), "--receive", str(give), "--stages", "2",
                   "-o", str(tmp_path / "p.csv"))
    assert done.returncode == 2
    assert done.stderr.strip() == ("error: give.csv, line 4, field category: unknown category "
                                   "'pirate' (expected military or civilian)")


def test_plan_as_agreed_and_an_infeasible_agreement_is_one_line_exit_6(tmp_path: Path) -> None:
    give = _write(tmp_path / "give.csv", candidate_rows(candidates(400, seed=5, prefix="G")))
    receive = _write(tmp_path / "receive.csv",
                     candidate_rows(candidates(400, seed=6, prefix="R")))
    out = tmp_path / "plan.csv"
    done = _parley("plan", "--give", str(give), "--receive", str(receive), "--stage-sizes",
                   "60,50,40", "--stage-categories", "1:military=40,civilian=20",
                   "--stage-categories", "3:military=40", "-o", str(out))
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for side in ("give", "receive"):
        assert [sum(r["side"] == side and r["stage"] == k for r in rows)
                for k in ("1", "2", "3")] == [60, 50, 40]
    done = _parley("plan", "--give", str(give), "--receive", str(receive), "--stage-sizes",
                   "100,100", "--stage-categories", "1:civilian=60", "--stage-categories",
                   "2:civilian=100", "-o", str(out))
    assert done.returncode == 6
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: stage 2: civilian cannot be filled")
