"""Addresses in the model: evidence for a match, never a way past a given-name contradiction."""

from __future__ import annotations

import pandas as pd
import pytest

from parley.adapters.linkage import LinkageResult, link
from parley.domain.identity import AUTO_ACCEPT, CONTRADICTION_CEILING
from parley.domain.records import CANONICAL_FIELDS
from parley.synth.linkage import linkage_pair
from tests.adapters.linkage.conftest import with_addresses

SHARED = "вул. Вишнева, буд. 7, кв. 3, м. Лубни"


def _row(record_id: str, **values: str) -> dict[str, str]:
    return {**dict.fromkeys(CANONICAL_FIELDS, ""), "address": "", "record_id": record_id,
            **values}  # fmt: skip


CASES = [
    # twins at one address: a reviewer decides, the model never merges them on its own
    (_row("TA1", family_name="Мельник", given_name="Андрій", birth_date="1991-03-09", sex="M",
          birth_place="Лубни", document_number="КА 118204", address=SHARED),
     _row("TB1", family_name="Melnyk", given_name="Petro", birth_date="1991-03-09", sex="M",
          birth_place="Lubny", document_number="MN 552907", address="Lubny, Vyshneva St 7 apt 3")),
    # moved house: the names, birth date and service number still make one person
    (_row("TA2", family_name="Ткачук", given_name="Василь", patronymic="Іванович",
          birth_date="1984-11-23", service_number="UA-4471903", address=SHARED),
     _row("TB2", family_name="Tkachuk", given_name="Vasyl", patronymic="Ivanovych",
          birth_date="1984-11-23", service_number="UA4471903",
          address="Poltava, Zelena St 88 apt 41")),
    # a keyboard slip swapped two digits across the month: 1988-05-17 typed as 1980-85-17
    (_row("TA3", family_name="Бондаренко", given_name="Ольга", patronymic="Петрівна",
          birth_date="1988-05-17", sex="F"),
     _row("TB3", family_name="Bondarenko", given_name="Olha", patronymic="Petrivna",
          birth_date="1980-85-17", sex="F")),
]  # fmt: skip


@pytest.fixture(scope="module")
def linked() -> LinkageResult:
    left, right = with_addresses(linkage_pair(400, 400, 0.6, seed=21))
    left = pd.concat([left, pd.DataFrame([c[0] for c in CASES])], ignore_index=True)
    right = pd.concat([right, pd.DataFrame([c[1] for c in CASES])], ignore_index=True)
    return link(left.fillna(""), right.fillna(""), threshold=0.01)


def _probability(result: LinkageResult, left: str, right: str) -> float:
    pairs = result.pairs.set_index(["left_id", "right_id"])
    if (left, right) not in pairs.index:
        return 0.0
    return float(pairs.loc[(left, right), "match_probability"])


def test_address_is_compared_and_weighs_for_a_match(linked: LinkageResult) -> None:
    assert "bf_address" in linked.pairs.columns
    strong = linked.pairs[linked.pairs["match_probability"] >= AUTO_ACCEPT]
    assert (strong["bf_address"] > 0).mean() > 0.5  # most sure pairs share their address


def test_twins_at_one_address_go_to_a_reviewer_not_to_a_merge(linked: LinkageResult) -> None:
    assert _probability(linked, "TA1", "TB1") <= CONTRADICTION_CEILING < AUTO_ACCEPT


def test_a_person_who_moved_is_still_found(linked: LinkageResult) -> None:
    row = linked.pairs.set_index(["left_id", "right_id"]).loc[("TA2", "TB2")]
    assert row["bf_address"] < 0  # the address speaks against ...
    assert row["match_probability"] >= AUTO_ACCEPT  # ... but does not outweigh the rest


def test_digits_swapped_across_date_parts_still_match(linked: LinkageResult) -> None:
    row = linked.pairs.set_index(["left_id", "right_id"]).loc[("TA3", "TB3")]
    assert row["bf_birth_date"] > 0
    assert row["match_probability"] >= 0.5


def test_addresses_do_not_cost_precision(linked: LinkageResult) -> None:
    pair = linkage_pair(400, 400, 0.6, seed=21)
    truth = pair.truth.pairs(pair.left, pair.right)
    got = linked.pairs[linked.pairs["match_probability"] >= 0.5]
    found = {(a, b) for a, b in zip(got["left_id"], got["right_id"], strict=True)
             if not a.startswith("TA")}  # fmt: skip
    assert len(found & truth) / len(found) >= 0.98
    assert len(found & truth) / len(truth) >= 0.95
