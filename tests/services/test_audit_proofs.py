"""Inclusion proofs bind the event they show: edit any of it and ``parley-verify`` refuses."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from parley.domain.actors import Actor
from parley.domain.audit import event_leaf_bytes, payload_hash
from parley.services import audit
from parley.services.journal import record_event
from parley.services.keys import agency_public_key_text
from parley.services.workspace import Workspace
from parley.trust.event import event_leaf, payload_digest
from parley.verify import EXIT_FAILED, EXIT_OK, run


def _append(ws: Workspace, actor: Actor, count: int) -> None:
    for n in range(count):
        with ws.store.transaction() as tx:
            record_event(tx, actor=actor, action="list.edit", target=f"list:{n}",
                         payload={"n": n, "name": "Шевченко", "nested": {"b": [1, 2], "a": None}})


def _edit(proof: dict[str, Any], where: str, value: object) -> dict[str, Any]:
    edited = copy.deepcopy(proof)
    node = edited
    *parents, last = where.split(".")
    for part in parents:
        node = node[part]
    node[last] = value
    return edited


@pytest.fixture
def proof_and_key(ws: Workspace, operator: Actor) -> tuple[dict[str, Any], str]:
    _append(ws, operator, 6)
    audit.write_checkpoint(ws, actor=operator)
    return audit.prove_inclusion(ws, 4, actor=operator), agency_public_key_text(ws, "HQ")


def _verify(tmp_path: Path, proof: dict[str, Any], key: str) -> tuple[int, str]:
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(proof, ensure_ascii=False), encoding="utf-8")
    return run(["inclusion", str(path), "--key", key])


def test_unedited_proof_verifies_and_names_its_event(
    proof_and_key: tuple[dict[str, Any], str], tmp_path: Path
) -> None:
    proof, key = proof_and_key
    code, line = _verify(tmp_path, proof, key)
    assert code == EXIT_OK, line
    assert line == 'OK: event 4 ("list.edit list:2") is in the log at size 7'


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("event.payload", {"n": 99, "name": "Шевченко", "nested": {"b": [1, 2], "a": None}}),
        ("event.payload.name", "Петренко"),
        ("event.target", "list:999"),
        ("event.action", "list.release"),
        ("event.actor", "someone-else"),
        ("event.at", "2020-01-01T00:00:00.000000Z"),
        ("event.seq", 5),
        ("seq", 5),
        ("index", 4),
        ("leaf", "{}"),
    ],
)
def test_edited_event_or_position_fails(
    proof_and_key: tuple[dict[str, Any], str], tmp_path: Path, where: str, value: object
) -> None:
    proof, key = proof_and_key
    code, line = _verify(tmp_path, _edit(proof, where, value), key)
    assert code == EXIT_FAILED, line
    assert line.startswith("FAILED: ")


def test_moved_event_with_consistent_fields_fails(
    proof_and_key: tuple[dict[str, Any], str], tmp_path: Path
) -> None:
    """Renumber the event everywhere in the file (seq, index, event, leaf): the path no longer
    leads to the signed root."""
    proof, key = proof_and_key
    moved = _edit(_edit(_edit(proof, "event.seq", 5), "seq", 5), "index", 4)
    moved["leaf"] = event_leaf(moved["event"]).decode()
    code, line = _verify(tmp_path, moved, key)
    assert code == EXIT_FAILED and "event 5 as shown is not in the log" in line


def test_old_proof_format_is_refused(
    proof_and_key: tuple[dict[str, Any], str], tmp_path: Path
) -> None:
    proof, key = proof_and_key
    code, line = _verify(tmp_path, _edit(proof, "type", "parley.inclusion-proof/v1"), key)
    assert code == EXIT_FAILED and "does not bind its event" in line


@pytest.mark.parametrize(
    "payload", [{}, {"a": 1, "b": "x\ny"}, {"ім'я": "Ґанна", "z": [1.5, True]}]
)
def test_standalone_leaf_is_the_domain_leaf(payload: dict[str, Any]) -> None:
    at = datetime(2026, 5, 23, 10, 0, 1, 250, tzinfo=UTC)
    fields = {"seq": 17, "at": "2026-05-23T10:00:01.000250Z", "actor": "u\"1", "role": "analyst",
              "agency": "SSU", "action": "a.b", "target": "t:1", "prev": "ab" * 32}
    domain = event_leaf_bytes(seq=17, occurred_at=at, actor='u"1', actor_role="analyst",
                              actor_agency="SSU", action="a.b", target="t:1",
                              payload_hash=payload_hash(payload), prev_hash="ab" * 32)
    assert payload_digest(payload) == payload_hash(payload)
    assert event_leaf({**fields, "payload": payload}) == domain
