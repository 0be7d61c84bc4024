"""The independent generator: deterministic, every damage class occurs, truth consistent."""

from __future__ import annotations

import csv
import random
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tests.indepgen import dedupe, linkage
from tests.indepgen.damage import DAMAGE_CLASSES, FORM_CLASSES, swap_day_month
from tests.indepgen.evaluate import (
    by_damage,
    calibration,
    candidate_recall,
    clustering,
    pairwise,
    read_truth_pairs,
    reconcile_score,
)
from tests.indepgen.options import Options
from tests.indepgen.tables_slavic import female_patronymic, female_surname
from tests.indepgen.translit import romanise


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("link")
    linkage.generate(Options(seed=1234, out=out))
    return out


def test_same_seed_same_files_other_seed_other_files(small: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    linkage.generate(Options(seed=1234, out=again))
    linkage.generate(Options(seed=1235, out=other, size="tiny"))
    for name in ("left.csv", "right.csv", "truth.csv", "damage.csv"):
        assert (small / name).read_bytes() == (again / name).read_bytes(), name
    assert (small / "right.csv").read_bytes()[:5000] != (other / "right.csv").read_bytes()[:5000]


def test_every_damage_class_and_form_occurs(small: Path) -> None:
    seen: Counter[str] = Counter()
    for row in _read(small / "damage.csv"):
        seen.update(x for x in row["damage"].split(";") if x)
    missing = [c for c in (*DAMAGE_CLASSES, *FORM_CLASSES) if seen[c] == 0]
    assert missing == []


def test_linkage_truth_pairs_are_the_same_person_and_only_they(small: Path) -> None:
    left = _read(small / "left.csv")
    right = _read(small / "right.csv")
    assert len(left) == 2000 and len(right) == 2000
    person = {r["record_id"]: r["person_id"] for r in _read(small / "damage.csv")}
    truth = [(r["left_id"], r["right_id"]) for r in _read(small / "truth.csv")]
    assert len(truth) == round(2000 * 0.6)
    assert len({a for a, _ in truth}) == len(truth) == len({b for _, b in truth})
    assert all(person[a] == person[b] for a, b in truth)
    by_person_right = {person[r["record_id"]]: r["record_id"] for r in right}
    implied = {(r["record_id"], by_person_right[person[r["record_id"]]]) for r in left
               if person[r["record_id"]] in by_person_right}
    assert implied == set(truth)


def test_hard_negatives_are_seeded_in(small: Path) -> None:
    relations = Counter(r["relation"] for r in _read(small / "damage.csv") if r["relation"])
    for kind in ("twin", "brother", "father", "son", "namesake", "common"):
        assert relations[kind] > 0, kind
    commons = [r for r in _read(small / "damage.csv") if r["relation"] == "common"]
    ids = {r["record_id"] for r in commons}
    rows = [r for r in (*_read(small / "left.csv"), *_read(small / "right.csv"))
            if r["record_id"] in ids]
    assert rows and all(r["birth_date"] == "" and r["service_number"] == "" for r in rows)


def test_dedupe_truth_clusters_match_person_ids(tmp_path: Path) -> None:
    dedupe.generate(Options(seed=1300, out=tmp_path))
    truth = _read(tmp_path / "truth.csv")
    person = {r["record_id"]: r["person_id"] for r in _read(tmp_path / "damage.csv")}
    records = _read(tmp_path / "records.csv")
    assert len(records) == len(truth) == 2000
    cluster_to_person: dict[str, str] = {}
    for t in truth:
        assert cluster_to_person.setdefault(t["cluster_id"], person[t["record_id"]]) == (
            person[t["record_id"]])
    assert max(Counter(t["cluster_id"] for t in truth).values()) > 1


def test_header_styles_and_full_name_layout(tmp_path: Path) -> None:
    linkage.generate(Options(seed=1400, out=tmp_path, header_style="mixed",
                             name_layout="mixed", size="tiny"))
    with (tmp_path / "left.csv").open(encoding="utf-8") as fh:
        left_header = next(csv.reader(fh))
    with (tmp_path / "right.csv").open(encoding="utf-8") as fh:
        right_header = next(csv.reader(fh))
    assert "Прізвище" in left_header and "По батькові" in left_header
    assert "ФИО" in right_header and "Дата рождения" in right_header
    assert "Фамилия" not in right_header


def test_romanisation_and_forms() -> None:
    assert romanise("Олександр Згурський", "ua_national") == "Oleksandr Zghurskyi"
    assert romanise("Юрій", "ua_national") == "Yurii"
    assert romanise("Юрьевич", "ru_passport") == "Iurevich"
    assert romanise("Жуков", "de") == "Schukow"
    assert female_patronymic("Сергійович", "uk") == "Сергіївна"
    assert female_patronymic("Юрьевич", "ru") == "Юрьевна"
    assert female_surname("Яворський", "uk") == "Яворська"
    assert female_surname("Ковалёв", "ru") == "Ковалёва"
    assert swap_day_month(date(1990, 5, 7)) == date(1990, 7, 5)
    assert swap_day_month(date(1990, 5, 17)) is None


def test_evaluate_scores_known_answers() -> None:
    truth = {("L1", "R1"), ("L2", "R2"), ("L3", "R3"), ("L4", "R4")}
    pairs = {("L1", "R1"): 0.9, ("L2", "R2"): 0.7, ("L3", "R9"): 0.8, ("L4", "R4"): 0.2}
    res = pairwise(pairs, truth, 0.5)
    assert (res["precision"], res["recall"]) == (2 / 3, 2 / 4)
    cr = candidate_recall(pairs, truth)
    assert cr["candidate_recall"] == 0.75
    cal = calibration(pairs, truth)
    assert cal["ece"] == pytest.approx((0.1 + 0.3 + 0.8 + 0.8) / 4)
    assign = {"L1": "a", "R1": "a", "L2": "b", "R2": "c", "L3": "d", "R3": "d", "X": "d"}
    cl = clustering(assign, truth)
    assert (cl["tp"], cl["fp"], cl["fn"]) == (2, 2, 2)


def test_truth_reader_accepts_clusters(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    p.write_text("record_id,cluster_id\nA,1\nB,1\nC,2\nD,1\n", encoding="utf-8")
    assert read_truth_pairs(p) == {("A", "B"), ("A", "D"), ("B", "D")}


def test_breakdown_by_damage_class_and_look_alike() -> None:
    truth = {("L1", "R1"), ("L2", "R2")}
    pairs = {("L1", "R1"): 0.9, ("L2", "R2"): 0.1, ("L3", "R3"): 0.8}
    damage = {"R1": ["typo"], "R2": ["typo", "name_swap"], "R3": ["relation:twin"]}
    res = by_damage(pairs, truth, damage)
    assert res["typo"] == {"true_pairs": 2, "recall": 0.5}
    assert res["name_swap"]["recall"] == 0.0
    assert res["relation:twin"] == {"false_positives": 1}


def test_no_real_famous_name_is_composed() -> None:
    from tests.indepgen.people import _is_real, new_person, relative

    rng = random.Random(5)
    for i in range(4000):
        p = new_person(rng, i)
        assert not _is_real(p)
        assert not _is_real(relative(rng, p, i + 10**6, "son"))
        if p.culture == "ko":
            assert p.given not in {(0, 1), (0, 8), (8, 9)}


def test_reconcile_score_counts_correct_doubtful_and_confirmed_precision() -> None:
    truth = [{"answer_row": "1", "expected": "confirmed", "entry_record_id": "G1"},
             {"answer_row": "2", "expected": "duplicate", "entry_record_id": "G1"},
             {"answer_row": "3", "expected": "unknown", "entry_record_id": ""},
             {"answer_row": "4", "expected": "registry_not_on_list", "entry_record_id": ""}]
    got = [{"answer_row": "1", "classification": "Confirmed", "entry_record_id": "G1"},
           {"answer_row": "2", "classification": "confirmed", "entry_record_id": "G1"},
           {"answer_row": "3", "classification": "doubtful"},
           {"answer_row": "4", "classification": "on registry, not on list"}]
    res = reconcile_score(got, truth)
    assert res["correct"] == 0.25  # row 4's wording is not a known alias
    assert res["doubtful"] == 0.25
    assert res["confirmed_precision"] == 0.5
    got[3]["classification"] = "on-registry not-on-list"
    assert reconcile_score(got, truth)["correct"] == 0.5
