"""``parley match`` from the command line: pairs, dedupe clusters, bad input."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from parley.synth.linkage import linkage_pair, write_rows


def _parley(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from parley.interfaces.cli.main import run; run()", *args],
        capture_output=True, text=True, env=dict(os.environ), timeout=300, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[tuple[str, str]]]:
    out = tmp_path_factory.mktemp("match")
    pair = linkage_pair(300, 300, 0.6, seed=5)
    write_rows(out / "left.csv", pair.left)
    write_rows(out / "right.csv", pair.right)
    return out / "left.csv", out / "right.csv", pair.truth.pairs(pair.left, pair.right)


def test_match_writes_pairs(
    files: tuple[Path, Path, set[tuple[str, str]]], tmp_path: Path
) -> None:
    left, right, truth = files
    out = tmp_path / "pairs.csv"
    done = _parley("match", str(left), str(right), "-o", str(out), "--threshold", "0.5")
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["left_id", "right_id", "match_probability"]
    got = {(r["left_id"], r["right_id"]) for r in rows}
    assert len(got & truth) / len(got) >= 0.95
    assert len(got & truth) / len(truth) >= 0.85
    assert all(float(r["match_probability"]) >= 0.5 for r in rows)
    assert "pairs written" in done.stdout


def test_dedupe_writes_clusters(
    files: tuple[Path, Path, set[tuple[str, str]]], tmp_path: Path
) -> None:
    left, right, truth = files
    both = tmp_path / "both.csv"
    with left.open(encoding="utf-8") as a, right.open(encoding="utf-8") as b:
        rows = list(csv.DictReader(a)) + list(csv.DictReader(b))
    write_rows(both, rows)
    out = tmp_path / "clusters.csv"
    done = _parley("match", "--dedupe", str(both), "-o", str(out))
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8") as handle:
        clusters = {r["record_id"]: r["cluster_id"] for r in csv.DictReader(handle)}
    assert len(clusters) == len(rows)
    together = sum(clusters[a] == clusters[b] for a, b in truth)
    assert together / len(truth) >= 0.85


def test_duplicate_id_names_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "record_id,family_name,given_name,birth_date\n1,Коваленко,Іван,1990-01-01\n"
        "1,Шевчук,Олег,1991-02-02\n",
        encoding="utf-8",
    )
    done = _parley("match", str(bad), str(bad), "-o", str(tmp_path / "p.csv"))
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1
    assert "bad.csv: line 3: field record_id" in done.stderr


def test_missing_file_is_one_line_error(tmp_path: Path) -> None:
    done = _parley("match", str(tmp_path / "nope.csv"), str(tmp_path / "nope2.csv"), "-o",
                   str(tmp_path / "p.csv"))  # fmt: skip
    assert done.returncode != 0
    assert "nope.csv" in done.stderr and "Traceback" not in done.stderr


def test_unusable_coded_value_is_a_warning_not_a_dropped_record(tmp_path: Path) -> None:
    from parley.services.matching import read_canonical_csv

    path = tmp_path / "w.csv"
    path.write_text(
        "record_id,family_name,given_name,sex,birth_date\n1,Коваленко,Іван,?,около 1990\n"
        "2,Шевчук,Олег,M,1991-02-02\n",
        encoding="utf-8",
    )
    loaded = read_canonical_csv(path)
    assert len(loaded.frame) == 2
    assert any("line 2: field sex" in w for w in loaded.warnings)
    assert any("line 2: field birth_date" in w and "year 1990 used" in w for w in loaded.warnings)
