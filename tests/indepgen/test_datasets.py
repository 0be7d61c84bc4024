"""Truth files of the reconcile, inquiries and vocab datasets agree with the data."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from tests.indepgen import inquiries, reconcile, vocab
from tests.indepgen.__main__ import main
from tests.indepgen.options import Options
from tests.indepgen.tables_misc import UNKNOWN_STATUS_TEXTS


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_reconcile_truth_is_consistent(tmp_path: Path) -> None:
    reconcile.generate(Options(seed=1500, out=tmp_path, size="tiny"))
    listed = {r["record_id"] for r in _read(tmp_path / "list.csv")}
    registry = {r["record_id"] for r in _read(tmp_path / "registry.csv")}
    person = {r["record_id"]: r["person_id"] for r in _read(tmp_path / "damage.csv")}
    answer = _read(tmp_path / "answer.csv")
    truth = _read(tmp_path / "answer_truth.csv")
    assert [int(t["answer_row"]) for t in truth] == list(range(1, len(answer) + 1))
    assert listed <= registry
    kinds = Counter(t["expected"] for t in truth)
    assert all(kinds[k] > 0 for k in ("confirmed", "duplicate", "registry_not_on_list",
                                      "unknown"))
    confirmed: set[str] = set()
    listed_persons = {person[r] for r in listed}
    registry_persons = {person[r] for r in registry}
    for t in truth:
        who = person[f"answer:{t['answer_row']}"]
        if t["expected"] == "confirmed":
            assert t["entry_record_id"] in listed and t["entry_record_id"] not in confirmed
            assert person[t["entry_record_id"]] == who
            confirmed.add(t["entry_record_id"])
        elif t["expected"] == "duplicate":
            assert t["entry_record_id"] in confirmed
        elif t["expected"] == "registry_not_on_list":
            assert t["registry_record_id"] in registry - listed
            assert person[t["registry_record_id"]] == who and who not in listed_persons
        else:
            assert who not in registry_persons
    not_mentioned = {r["record_id"] for r in _read(tmp_path / "not_mentioned.csv")}
    assert not_mentioned | confirmed == listed and not not_mentioned & confirmed


def test_inquiry_truth_points_at_the_sought_person(tmp_path: Path) -> None:
    inquiries.generate(Options(seed=1600, out=tmp_path, size="tiny"))
    person = {r["record_id"]: r["person_id"] for r in _read(tmp_path / "damage.csv")}
    registry_persons = {person[r["record_id"]] for r in _read(tmp_path / "registry.csv")}
    truth = _read(tmp_path / "inquiry_truth.csv")
    rows = _read(tmp_path / "inquiries.csv")
    assert [r["inquiry_id"] for r in rows] == [t["inquiry_id"] for t in truth]
    assert any(t["record_id"] for t in truth) and any(not t["record_id"] for t in truth)
    for t in truth:
        who = person[t["inquiry_id"]]
        if t["record_id"]:
            assert person[t["record_id"]] == who
        else:
            assert who not in registry_persons
    asked = Counter(person[t["inquiry_id"]] for t in truth)
    assert max(asked.values()) > 1  # several relatives ask about the same person


def test_vocab_rows_are_valid_and_expected_is_canonical(tmp_path: Path) -> None:
    vocab.generate(Options(seed=1700, out=tmp_path, size="tiny"))
    rows = {r["record_id"]: r for r in _read(tmp_path / "registry.csv")}
    expected = _read(tmp_path / "expected.csv")
    assert len(rows) == len(expected) == 200
    canonical = {"missing", "captured", "held", "convicted", "released", "deceased", "unknown"}
    for e in expected:
        r = rows[e["record_id"]]
        assert e["expected"] in canonical
        assert r["family_name"] or r["given_name"]
        if e["expected"] == "unknown":
            assert r["status"] in UNKNOWN_STATUS_TEXTS


def test_cli_writes_every_dataset(tmp_path: Path) -> None:
    assert main(["all", "--size", "tiny", "--seed", "1800", "--out", str(tmp_path),
                 "--header-style", "ru", "--rate", "typo=0.2"]) == 0
    for name in ("linkage", "dedupe", "reconcile", "inquiries", "vocab"):
        assert (tmp_path / name / "meta.json").exists()
    with (tmp_path / "linkage" / "left.csv").open(encoding="utf-8") as fh:
        assert "Фамилия" in next(csv.reader(fh))


def test_every_dataset_is_deterministic(tmp_path: Path) -> None:
    for name in ("reconcile", "inquiries", "vocab", "dedupe"):
        for run in ("a", "b"):
            main([name, "--size", "tiny", "--seed", "1900", "--out", str(tmp_path / run / name)])
        for f in sorted((tmp_path / "a" / name).iterdir()):
            assert f.read_bytes() == (tmp_path / "b" / name / f.name).read_bytes(), f
