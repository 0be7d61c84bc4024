"""Signed stage protocols: a thousand random mutations all rejected; co-signing keeps the staff
signature valid; a protocol that miscounts its own persons is refused even when signed."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from parley.trust.errors import TrustError
from parley.trust.keys import generate_private_key, verifier_key_text
from parley.trust.protocol import build_protocol, cosign, verify_protocol
from parley.verify import EXIT_FAILED, EXIT_OK, run
from tests.trust.test_mutations import MUTATIONS, mutate

BODY = {
    "plan": 3, "stage": 1, "category_parity": True, "balanced": True, "imbalance_reason": None,
    "persons": [
        {"record_id": "G1", "side": "give", "category": "military", "outcome": "transferred",
         "family_name": "Петров"},
        {"record_id": "G2", "side": "give", "category": "civilian", "outcome": "declined"},
        {"record_id": "R1", "side": "receive", "category": "military",
         "outcome": "transferred", "family_name": "Коваленко"},
    ],
    "counts": {"give": {"transferred": 1, "declined": 1, "pending": 0},
               "receive": {"transferred": 1, "pending": 0}},
    "incidents": [{"kind": "delay", "severity": "low", "time": "2025-05-23T09:00:00+00:00",
                   "description": "checkpoint"}],
}


def test_every_mutation_of_a_protocol_is_rejected(tmp_path: Path) -> None:
    hq, med = generate_private_key(), generate_private_key()
    for code, key in (("HQ", hq), ("MED", med)):
        (tmp_path / f"{code}.pub").write_text(verifier_key_text(code, key.public_key()) + "\n")
    data = cosign(build_protocol(BODY, [("HQ", hq)]), ("MED", med))
    original = tmp_path / "p.protocol"
    original.write_bytes(data)
    keys = ["--key", str(tmp_path / "HQ.pub"), "--key", str(tmp_path / "MED.pub")]
    code, line = run(["protocol", str(original), *keys])
    assert code == EXIT_OK and "signed by HQ, MED" in line, line
    assert re.fullmatch(r"OK: protocol of plan \d+ stage \d+: handed over \d+, received \d+, "
                        r"(balanced|imbalance recorded); signed by HQ, MED", line), line
    target = tmp_path / "mutated.protocol"
    rng = random.Random(13)
    accepted = []
    for _ in range(MUTATIONS):
        target.write_bytes(mutate(data, rng))
        code, _line = run(["protocol", str(target), *keys])
        if code != EXIT_FAILED:
            accepted.append(target.read_bytes())
    assert accepted == []
    # the mediator's signature stripped: a key given but no signature by it
    (tmp_path / "only-hq.protocol").write_bytes(build_protocol(BODY, [("HQ", hq)]))
    code, line = run(["protocol", str(tmp_path / "only-hq.protocol"), *keys])
    assert code == EXIT_FAILED and "no signature by MED" in line


def test_miscounted_or_unexplained_imbalance_is_refused_even_when_signed() -> None:
    hq = generate_private_key()
    keys = {"HQ": hq.public_key()}
    assert verify_protocol(build_protocol(BODY, [("HQ", hq)]), keys).body["stage"] == 1
    wrong = {**BODY, "counts": {"give": {"transferred": 2}, "receive": {"transferred": 1}}}
    with pytest.raises(TrustError, match="counts for give do not match"):
        verify_protocol(build_protocol(wrong, [("HQ", hq)]), keys)
    persons = [*BODY["persons"], {"record_id": "R2", "side": "receive",  # type: ignore[misc]
                                  "category": "civilian", "outcome": "transferred"}]
    counts = {"give": BODY["counts"]["give"],  # type: ignore[index]
              "receive": {"transferred": 2}}
    out_of_parity = {**BODY, "persons": persons, "counts": counts, "balanced": False}
    with pytest.raises(TrustError, match="out of parity without a recorded reason"):
        verify_protocol(build_protocol(out_of_parity, [("HQ", hq)]), keys)
    explained = {**out_of_parity, "imbalance_reason": "agreed by both sides"}
    assert verify_protocol(build_protocol(explained, [("HQ", hq)]), keys).body["balanced"] is False
    with pytest.raises(TrustError, match="already signed"):
        cosign(build_protocol(BODY, [("HQ", hq)]), ("HQ", hq))
