"""The agency files: deterministic per seed, varied as real records are, and ingestible with no
quarantine other than the rows made malformed on purpose."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from parley.domain.actors import Actor
from parley.services.ingest import ingest_file
from parley.services.workspace import Workspace
from parley.synth.generate import generate


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_other_seed_other_files(tmp_path: Path) -> None:
    generate(80, 7, tmp_path / "a")
    generate(80, 7, tmp_path / "b")
    generate(80, 8, tmp_path / "c")
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert a == b
    assert a.keys() == c.keys() and a["mod_personnel.csv"] != c["mod_personnel.csv"]


def test_files_formats_and_encodings(tmp_path: Path) -> None:
    manifest = generate(150, 2, tmp_path)
    by_file = {f.file: f for f in manifest.files}
    assert {f.format for f in manifest.files} == {"csv", "xlsx", "jsonl"}
    assert (tmp_path / "mod_personnel.csv").read_bytes().decode("cp1251").startswith(
        "Номер запису;Прізвище")
    assert (tmp_path / "omb_requests.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "ssu_reports.csv").read_text(encoding="utf-8").startswith(
        "Номер записи,Фамилия,Имя")
    assert {by_file[f].agency for f in by_file} == {"MOD", "MOI", "DIU", "SSU", "OMB", "HQ"}
    data = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert data["files"][0]["reliability"] == "A2" and data["truth"] == "truth.csv"


def test_truth_names_every_good_row_and_people_recur(tmp_path: Path) -> None:
    manifest = generate(200, 3, tmp_path)
    with (tmp_path / "truth.csv").open(encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    assert len(truth) == sum(f.rows for f in manifest.files) - len(manifest.expected_quarantine)
    per_person = Counter(row["person_id"] for row in truth)
    assert sum(1 for n in per_person.values() if n >= 3) > 40  # same people in several sources
    per_source = Counter((row["source"], row["person_id"]) for row in truth)
    assert any(n > 1 for n in per_source.values())  # duplicates within a source


def test_variation_is_present(tmp_path: Path) -> None:
    generate(400, 5, tmp_path)
    counterpart = (tmp_path / "counterpart_list.csv").read_text(encoding="utf-8")
    diu = [json.loads(line) for line in
           (tmp_path / "diu_reports.jsonl").read_text(encoding="utf-8").splitlines()]
    omb = (tmp_path / "omb_requests.csv").read_text(encoding="utf-8-sig")
    assert any(r["surname"].isascii() for r in diu)  # Latin spellings
    assert any(not r["surname"].isascii() for r in diu)  # Russian-form Cyrillic
    assert any(len(r.get("date_of_birth", "")) == 4 for r in diu)  # year only
    assert "ё" in counterpart or "ы" in counterpart or "Александр" in counterpart
    assert "приблизно" in omb
    persons = list(csv.DictReader((tmp_path / "persons.csv").open(encoding="utf-8")))
    assert {p["lookalike_kind"] for p in persons} >= {"namesake", "brother", "father_son",
                                                      "twin", "sister"}
    assert any(p["sex"] == "F" for p in persons)


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="difficulty"):
        generate(10, 1, tmp_path, difficulty="nightmare")
    with pytest.raises(ValueError, match="at least 1"):
        generate(0, 1, tmp_path)


def test_synth_files_ingest_with_only_the_expected_quarantine(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    manifest = generate(120, 11, tmp_path)
    expected = {(q["file"], q["line"], q["field"]) for q in manifest.expected_quarantine}
    assert expected  # the full difficulty has deliberately bad rows
    found: set[tuple[str, int, str]] = set()
    for entry in manifest.files:
        report = ingest_file(ws, actor=operator, path=tmp_path / entry.file,
                             source=entry.source, agency=entry.agency,
                             reliability=entry.reliability, classification=entry.classification)
        assert report.read == entry.rows
        found |= {(entry.file, n.line_no, n.field) for n in report.reasons}
        assert report.quarantined == len([q for q in expected if q[0] == entry.file])
    assert found == expected


def test_clean_difficulty_has_no_bad_rows(ws: Workspace, operator: Actor,
                                          tmp_path: Path) -> None:
    manifest = generate(60, 12, tmp_path, difficulty="clean")
    assert manifest.expected_quarantine == []
    for entry in manifest.files:
        report = ingest_file(ws, actor=operator, path=tmp_path / entry.file,
                             source=entry.source, agency=entry.agency)
        assert report.quarantined == 0


def test_xlsx_bytes_do_not_depend_on_the_clock(tmp_path: Path) -> None:
    """openpyxl stamps "modified" with the time of saving; two saves a second apart must match."""
    import time

    from parley.synth.generate import _write_xlsx

    rows = [{"Прізвище": "Ковальов", "Ім'я": "Олександр"}]
    _write_xlsx(tmp_path / "a.xlsx", rows)
    time.sleep(1.1)
    _write_xlsx(tmp_path / "b.xlsx", rows)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
