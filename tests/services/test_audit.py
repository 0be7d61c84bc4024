"""The audit log verifies, and every kind of tampering with stored events is found and named.

Tampering goes straight to the tables with SQL (as an attacker with database access would), on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

import base64
import json
import os
import stat
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, update

from parley.adapters.sql.audit_tree import AuditLeafTile
from parley.adapters.sql.tables import AuditEventRow, AuditHead
from parley.adapters.sql.trust_tables import AuditCheckpoint
from parley.domain.actors import Actor, Role
from parley.domain.audit import event_hash, event_leaf_bytes, payload_hash
from parley.errors import AccessDenied, Conflict, IntegrityError, NotFound
from parley.services import audit
from parley.services.journal import record_event
from parley.services.keys import agency_private_key, agency_public_key_text, export_public_keys
from parley.services.workspace import Workspace
from parley.trust.merkle import MerkleTree, leaf_hash
from parley.trust.note import Checkpoint, sign_checkpoint
from parley.verify import EXIT_OK, run

EVENTS = AuditEventRow.__table__


def _append(ws: Workspace, actor: Actor, count: int, tag: str = "e") -> None:
    for n in range(count):
        with ws.store.transaction() as tx:
            record_event(tx, actor=actor, action="test.act", target=f"{tag}:{n}",
                         payload={"n": n, "tag": tag, "name": "Шевченко"})


def _rows(ws: Workspace) -> list[dict[str, Any]]:
    with ws.store.engine.connect() as conn:
        result = conn.execute(select(EVENTS).order_by(EVENTS.c.seq))
        return [dict(row._mapping) for row in result]


def _set(ws: Workspace, seq: int, **values: Any) -> None:
    with ws.store.engine.begin() as conn:
        conn.execute(update(EVENTS).where(EVENTS.c.seq == seq).values(**values))


def _rehash(row: dict[str, Any], prev: str) -> dict[str, Any]:
    """What a careful forger does: recompute the row's hashes so it looks well-formed."""
    row = {**row, "prev_hash": prev, "payload_hash": payload_hash(row["payload"])}
    leaf = event_leaf_bytes(seq=row["seq"], occurred_at=row["occurred_at"], actor=row["actor"],
                            actor_role=row["actor_role"], actor_agency=row["actor_agency"],
                            action=row["action"], target=row["target"],
                            payload_hash=row["payload_hash"], prev_hash=prev)
    row["event_hash"] = event_hash(leaf)
    return row


def _renumber(ws: Workspace, seqs: list[int], delta: int) -> None:
    with ws.store.engine.begin() as conn:
        for seq in seqs:
            conn.execute(update(EVENTS).where(EVENTS.c.seq == seq).values(seq=seq + delta))


def _first(ws: Workspace) -> audit.Fault:
    report = audit.verify_log(ws)
    assert not report.ok
    with pytest.raises(IntegrityError, match=f"event {report.first_fault.seq}"):  # type: ignore[union-attr]
        audit.require_intact(ws)
    first = report.first_fault
    assert first is not None
    return first


@pytest.fixture
def log(ws: Workspace, operator: Actor) -> Workspace:
    """Ten events (1 is workspace.init)."""
    _append(ws, operator, 9)
    return ws


def test_intact_log_verifies(log: Workspace, operator: Actor) -> None:
    report = audit.verify_log(log)
    assert report.ok and report.events == 10 and report.checkpoints_checked == 0
    checkpoint = audit.write_checkpoint(log, actor=operator, cosigners=["MED"])
    assert checkpoint.size == 10 and checkpoint.signers == ("HQ", "MED")
    report = audit.verify_log(log)
    assert report.ok and report.events == 11  # the checkpoint itself was logged
    assert report.latest_checkpoint == checkpoint
    hashes = [leaf_hash(event_leaf_bytes(
        seq=r["seq"], occurred_at=r["occurred_at"], actor=r["actor"], actor_role=r["actor_role"],
        actor_agency=r["actor_agency"], action=r["action"], target=r["target"],
        payload_hash=r["payload_hash"], prev_hash=r["prev_hash"])) for r in _rows(log)]
    assert report.root_hash == MerkleTree(hashes).root().hex()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("payload", {"n": 99, "tag": "e", "name": "Шевченко"}),
        ("actor", "someone-else"),
        ("actor_role", "admin"),
        ("actor_agency", "SSU"),
        ("action", "test.other"),
        ("target", "e:x"),
        ("payload_hash", "ab" * 32),
        ("prev_hash", "cd" * 32),
    ],
)
def test_changed_field_is_named(log: Workspace, column: str, value: object) -> None:
    _set(log, 6, **{column: value})
    fault = _first(log)
    assert (fault.seq, fault.kind) == (6, "changed")


def test_changed_time_is_named(log: Workspace) -> None:
    row = _rows(log)[3]
    _set(log, 4, occurred_at=row["occurred_at"] + timedelta(seconds=1))
    assert (_first(log).seq, _first(log).kind) == (4, "changed")


def test_rewritten_event_with_fresh_hashes_is_named(log: Workspace) -> None:
    rows = _rows(log)
    forged = _rehash({**rows[4], "payload": {"n": -1}}, rows[3]["event_hash"])
    _set(log, 5, payload=forged["payload"], payload_hash=forged["payload_hash"],
         event_hash=forged["event_hash"])
    fault = _first(log)
    assert (fault.seq, fault.kind) == (5, "changed")
    assert "rewritten" in fault.detail


def test_deleted_event_is_named(log: Workspace) -> None:
    with log.store.engine.begin() as conn:
        conn.execute(delete(EVENTS).where(EVENTS.c.seq == 7))
    fault = _first(log)
    assert (fault.seq, fault.kind) == (7, "missing")


def test_deleted_last_event_is_named(log: Workspace) -> None:
    with log.store.engine.begin() as conn:
        conn.execute(delete(EVENTS).where(EVENTS.c.seq == 10))
    fault = _first(log)
    assert (fault.seq, fault.kind) == (10, "missing")


def test_deleted_and_renumbered_event_is_named(log: Workspace) -> None:
    with log.store.engine.begin() as conn:
        conn.execute(delete(EVENTS).where(EVENTS.c.seq == 4))
    _renumber(log, list(range(5, 11)), -1)
    fault = _first(log)
    assert (fault.seq, fault.kind) == (4, "missing")


def test_inserted_event_is_named(log: Workspace) -> None:
    rows = _rows(log)
    _renumber(log, list(range(10, 5, -1)), +1)  # make room at 6, from the top down
    forged = _rehash({**rows[5], "seq": 6, "payload": {"forged": True}, "target": "forged"},
                     rows[4]["event_hash"])
    with log.store.engine.begin() as conn:
        conn.execute(insert(EVENTS).values(**forged))
    fault = _first(log)
    assert (fault.seq, fault.kind) == (6, "inserted")


def test_event_appended_behind_the_head_is_named(log: Workspace) -> None:
    rows = _rows(log)
    forged = _rehash({**rows[-1], "seq": 11, "target": "forged"}, rows[-1]["event_hash"])
    with log.store.engine.begin() as conn:
        conn.execute(insert(EVENTS).values(**forged))
    fault = _first(log)
    assert (fault.seq, fault.kind) == (11, "inserted")


@pytest.mark.parametrize(("a", "b"), [(3, 4), (2, 9), (5, 10)])
def test_reordered_events_are_named(log: Workspace, a: int, b: int) -> None:
    _renumber(log, [a], -a - 1000)
    _renumber(log, [b], a - b)
    _renumber(log, [-1000], b + 1000)
    fault = _first(log)
    assert (fault.seq, fault.kind) == (a, "reordered")


def test_checkpoints_prove_consistency_and_inclusion(
    log: Workspace, operator: Actor, tmp_path: Path
) -> None:
    first = audit.write_checkpoint(log, actor=operator)
    _append(log, operator, 6, tag="later")
    second = audit.write_checkpoint(log, actor=operator, cosigners=["MED"])
    assert (first.size, second.size) == (10, 17)
    keys = []
    for code in ("HQ", "MED"):
        path = tmp_path / f"{code}.pub"
        path.write_text(agency_public_key_text(log, code))
        keys += ["--key", str(path)]
    (tmp_path / "old.txt").write_text(first.note)
    (tmp_path / "new.txt").write_text(second.note)
    proof = audit.prove_consistency(log, 10, actor=operator)
    assert proof["new_size"] == 17 and proof["old_checkpoint"] == first.note
    (tmp_path / "consistency.json").write_text(json.dumps(proof))
    code, line = run(["consistency", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"),
                      "--proof", str(tmp_path / "consistency.json"), *keys])
    assert (code, line) == (EXIT_OK, "OK: the log at size 17 extends the log at size 10")
    for seq in (1, 7, 10, 17):
        inclusion = audit.prove_inclusion(log, seq, actor=operator)
        assert inclusion["tree_size"] == 17  # the newest checkpoint covering the event
        (tmp_path / "inc.json").write_text(json.dumps(inclusion))
        code, line = run(["inclusion", str(tmp_path / "inc.json"), *keys])
        assert code == EXIT_OK, line
    with pytest.raises(Conflict, match="not yet covered"):
        audit.prove_inclusion(log, 18, actor=operator)
    with pytest.raises(NotFound):
        audit.prove_inclusion(log, 99, actor=operator)
    with pytest.raises(NotFound):
        audit.prove_consistency(log, 9, actor=operator)


def test_rewritten_history_is_found_and_not_signed(
    log: Workspace, operator: Actor, tmp_path: Path
) -> None:
    audit.write_checkpoint(log, actor=operator)  # size 10, logged as 11
    _append(log, operator, 4, tag="later")  # 12..15
    rows = _rows(log)
    # rewrite event 8 and re-chain everything after it, head included: a perfect forgery
    prev = rows[6]["event_hash"]
    with log.store.engine.begin() as conn:
        for row in rows[7:]:
            changed = {**row, "payload": {"n": "forged"}} if row["seq"] == 8 else row
            forged = _rehash(changed, prev)
            conn.execute(update(EVENTS).where(EVENTS.c.seq == row["seq"]).values(
                payload=forged["payload"], payload_hash=forged["payload_hash"],
                prev_hash=forged["prev_hash"], event_hash=forged["event_hash"]))
            prev = forged["event_hash"]
        conn.execute(update(AuditHead.__table__).values(event_hash=prev))
    fault = _first(log)  # bisected with the stored tree (issue 10, item 11): not "1..10"
    assert (fault.kind, fault.seq) == ("rewritten", 8)
    assert "checkpoint #1" in fault.detail and "from event 8 on was rewritten" in fault.detail
    with log.store.engine.begin() as conn:  # the forger rewrites the stored tree as well
        conn.execute(update(AuditLeafTile.__table__).values(hashes=b"\0" * 32 * 11))
    fault = _first(log)  # the stored tree no longer matches the signature: the range is all
    assert (fault.kind, fault.seq) == ("rewritten", 1)
    assert "checkpoint #1" in fault.detail and "1 and 10" in fault.detail
    with pytest.raises(IntegrityError, match=r"refusing to sign.*size 10"):
        audit.write_checkpoint(log, actor=operator)
    with pytest.raises(IntegrityError):
        audit.prove_inclusion(log, 3, actor=operator)
    assert len(rows) == 15


def test_consistency_proof_fails_after_history_is_rewritten(
    log: Workspace, operator: Actor, tmp_path: Path
) -> None:
    first = audit.write_checkpoint(log, actor=operator)
    _append(log, operator, 3, tag="later")
    second = audit.write_checkpoint(log, actor=operator)
    (tmp_path / "old.txt").write_text(first.note)
    (tmp_path / "new.txt").write_text(second.note)
    key = ["--key", agency_public_key_text(log, "HQ")]
    good = audit.prove_consistency(log, first.size, actor=operator)
    (tmp_path / "good.json").write_text(json.dumps(good))
    assert run(["consistency", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"),
                "--proof", str(tmp_path / "good.json"), *key])[0] == EXIT_OK
    # the operator rewrites event 4 and re-signs a fresh tree by hand, bypassing the refusal
    _set(log, 4, target="rewritten")
    rows = _rows(log)
    tree = MerkleTree([leaf_hash(event_leaf_bytes(
        seq=r["seq"], occurred_at=r["occurred_at"], actor=r["actor"], actor_role=r["actor_role"],
        actor_agency=r["actor_agency"], action=r["action"], target=r["target"],
        payload_hash=r["payload_hash"], prev_hash=r["prev_hash"])) for r in rows])
    forged_note = sign_checkpoint(Checkpoint(audit.LOG_ORIGIN, tree.size, tree.root()),
                                  [("HQ", agency_private_key(log, "HQ"))])
    (tmp_path / "forged.txt").write_text(forged_note)
    bad = {**good, "new_size": tree.size,
           "path": [base64.b64encode(h).decode() for h in tree.consistency_proof(first.size)]}
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    code, line = run(["consistency", str(tmp_path / "old.txt"), str(tmp_path / "forged.txt"),
                      "--proof", str(tmp_path / "bad.json"), *key])
    assert code != EXIT_OK
    assert line == f"FAILED: root hash mismatch at size {first.size}: the old tree is not a prefix"
    with pytest.raises(IntegrityError, match="not consistent"):
        audit.prove_consistency(log, first.size, actor=operator)


def test_tampered_checkpoint_note_is_found(log: Workspace, operator: Actor) -> None:
    record = audit.write_checkpoint(log, actor=operator)
    with log.store.engine.begin() as conn:
        conn.execute(update(AuditCheckpoint.__table__).values(
            note=record.note.replace("\n10\n", "\n9\n")))
    fault = _first(log)
    assert fault.kind == "checkpoint" and "does not verify" in fault.detail


def test_audit_log_filters_and_access(log: Workspace, operator: Actor) -> None:
    entries = audit.audit_log(log, actor=operator, action="test.", limit=3)
    assert [e.seq for e in entries] == [10, 9, 8]
    assert [e.target for e in audit.audit_log(log, actor=operator, target="e:4")] == ["e:4"]
    assert audit.audit_log(log, actor=operator, by="nobody") == []
    first_time = _rows(log)[0]["occurred_at"]
    assert len(audit.audit_log(log, actor=operator, until=first_time)) == 0
    clerk = Actor(username="clerk", role=Role.LOGISTICS, agency="MOD")
    with pytest.raises(AccessDenied):
        audit.audit_log(log, actor=clerk)
    with pytest.raises(AccessDenied):
        audit.write_checkpoint(log, actor=clerk)
    with pytest.raises(AccessDenied):
        audit.prove_inclusion(log, 1, actor=clerk)


def test_agency_keys_are_private_files_made_once(log: Workspace, tmp_path: Path) -> None:
    key = agency_private_key(log, "MOD")
    path = log.settings.data_dir / "keys" / "MOD.pem"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert agency_public_key_text(log, "MOD") == agency_public_key_text(log, "MOD")
    assert agency_private_key(log, "MOD").public_key() == key.public_key()
    with pytest.raises(NotFound):
        agency_private_key(log, "NOPE")
    written = export_public_keys(log, tmp_path / "pub")
    assert [p.name for p in written] == ["MOD.pub"]
    assert written[0].read_text().startswith("MOD+")


def test_missing_signing_key_is_a_fault_and_is_not_recreated(
    log: Workspace, operator: Actor
) -> None:
    audit.write_checkpoint(log, actor=operator)
    key_file = log.settings.data_dir / "keys" / "HQ.pem"
    key_file.unlink()
    fault = _first(log)
    assert fault.kind == "checkpoint" and "no signing key of HQ" in fault.detail
    assert not key_file.exists()


def _tamper(ws: Workspace, kind: str, seq: int) -> None:
    """One tampering of the stored event ``seq`` through SQL."""
    rows = _rows(ws)
    last = rows[-1]["seq"]
    if kind == "changed":
        _set(ws, seq, target="tampered")
    elif kind == "missing":
        with ws.store.engine.begin() as conn:
            conn.execute(delete(EVENTS).where(EVENTS.c.seq == seq))
    elif kind == "inserted":
        _renumber(ws, list(range(last, seq - 1, -1)), +1)
        prev = rows[seq - 2]["event_hash"] if seq > 1 else "0" * 64
        forged = _rehash({**rows[seq - 1], "target": "forged", "payload": {"x": 1}}, prev)
        with ws.store.engine.begin() as conn:
            conn.execute(insert(EVENTS).values(**forged))
    else:  # reordered with the next event (or the previous one, for the last)
        other = seq + 1 if seq < last else seq - 1
        _renumber(ws, [seq], -seq - 1000)
        _renumber(ws, [other], seq - other)
        _renumber(ws, [-1000], other + 1000)


@pytest.mark.parametrize("kind", ["changed", "missing", "inserted", "reordered"])
@pytest.mark.parametrize("seq", [1, 2, 5, 10])
def test_any_tampered_position_is_named(log: Workspace, kind: str, seq: int) -> None:
    _tamper(log, kind, seq)
    fault = _first(log)
    expected_seq = seq - 1 if kind == "reordered" and seq == 10 else seq
    assert (fault.seq, fault.kind) == (expected_seq, kind)


@pytest.mark.parametrize(
    ("kind", "seq"),
    [("intact", 0), ("missing", 5), ("missing", 6), ("reordered", 5), ("changed", 6),
     ("inserted", 6)],
)
def test_parallel_verification_finds_the_same(
    log: Workspace, operator: Actor, kind: str, seq: int
) -> None:
    """Two worker processes split the events at 5 | 6; faults at the seam must not be lost."""
    audit.write_checkpoint(log, actor=operator)
    if kind != "intact":
        _tamper(log, kind, seq)
    single = audit.verify_log(log)
    parallel = audit.verify_log(log, workers=2)
    assert parallel.faults == single.faults
    assert parallel.root_hash == single.root_hash and parallel.events == single.events
    assert parallel.ok == (kind == "intact")
    if kind != "intact":
        assert parallel.first_fault is not None and parallel.first_fault.seq == seq
