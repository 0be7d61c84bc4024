"""The in-memory canonical pairs the linkage benchmark reads."""

from __future__ import annotations

import random
from pathlib import Path

from parley.domain.records import CANONICAL_FIELDS, build_record
from parley.synth import linkage_pair, population, write_linkage_pair
from parley.synth.names_data import FEMALE, MALE, faker_checked_given_names


def test_linkage_pair_sizes_overlap_and_truth() -> None:
    pair = linkage_pair(200, 1000, 0.5, seed=3)
    assert len(pair.left) == 200
    assert len(pair.right) == 1000
    assert len(pair.truth) == 1200
    assert len(pair.truth.pairs(pair.left, pair.right)) == 100
    assert set(pair.left[0]) == set(CANONICAL_FIELDS)


def test_linkage_pair_is_deterministic_per_seed() -> None:
    assert linkage_pair(50, 80, 0.4, seed=9) == linkage_pair(50, 80, 0.4, seed=9)
    assert linkage_pair(50, 80, 0.4, seed=9).right != linkage_pair(50, 80, 0.4, seed=10).right


def test_every_generated_row_validates() -> None:
    pair = linkage_pair(300, 600, 0.5, seed=1)
    for row in pair.left + pair.right:
        build_record(row)  # raises InvalidRecord on a bad row


def test_right_side_mixes_scripts() -> None:
    pair = linkage_pair(10, 600, 0.5, seed=2)
    latin = sum(1 for r in pair.right if r["family_name"][:1].isascii())
    assert 0.15 * 600 < latin < 0.6 * 600


def test_lookalikes_share_is_met() -> None:
    people = population(1000, random.Random(4), lookalike_share=0.2)
    in_pairs = {p.person_id for p in people if p.lookalike_of} | {
        p.lookalike_of for p in people if p.lookalike_of
    }
    assert len(in_pairs) >= 200
    kinds = {p.lookalike_kind for p in people if p.lookalike_of}
    assert kinds == {"namesake", "brother", "father_son", "twin", "sister"}


def test_write_linkage_pair(tmp_path: Path) -> None:
    paths = write_linkage_pair(tmp_path, 20, 30, 0.5, seed=5)
    assert paths["left"].read_text(encoding="utf-8").splitlines()[0].startswith("record_id,")
    assert len(paths["truth"].read_text(encoding="utf-8").splitlines()) == 51


def test_most_given_names_are_fakers() -> None:
    ua, ru = faker_checked_given_names()
    table = MALE + FEMALE
    assert sum(g.ua in ua for g in table) / len(table) > 0.8
    assert sum(g.ru in ru for g in table) / len(table) > 0.8
