"""History anchored outside the database (issue 10, item 9): checkpoints are exported and signed
automatically; a rewrite or truncation after the newest checkpoint in the database, or after
deleting every checkpoint row, is found against the copies held elsewhere, and is not signed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update

from parley.adapters.sql.audit_tree import AuditFrontier
from parley.adapters.sql.tables import AuditEventRow, AuditHead
from parley.adapters.sql.trust_tables import AuditCheckpoint
from parley.bootstrap import open_workspace
from parley.domain.actors import Actor
from parley.domain.audit import event_hash, event_leaf_bytes, payload_hash
from parley.errors import IntegrityError
from parley.services import audit
from parley.services.audit_anchor import export_dir
from parley.services.audit_checkpoint import checkpoint_due
from parley.services.journal import record_event
from parley.services.workspace import Workspace
from parley.trust.merkle import MerkleTree, leaf_hash

EVENTS = AuditEventRow.__table__


def _append(ws: Workspace, actor: Actor, count: int, tag: str = "e") -> None:
    for n in range(count):
        with ws.store.transaction() as tx:
            record_event(tx, actor=actor, action="test.act", target=f"{tag}:{n}",
                         payload={"n": n, "tag": tag})


def _rows(ws: Workspace) -> list[dict[str, Any]]:
    with ws.store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(EVENTS).order_by(EVENTS.c.seq))]


def _rewrite_from(ws: Workspace, seq: int, *, last: int | None = None) -> None:
    """A careful forger with the database: change event ``seq``, re-chain every later event
    (recomputing every hash) up to ``last`` (deleting the rest), and move the head."""
    rows = _rows(ws)
    prev = rows[seq - 2]["event_hash"]
    with ws.store.engine.begin() as conn:
        for row in rows[seq - 1:]:
            if last is not None and row["seq"] > last:
                conn.execute(delete(EVENTS).where(EVENTS.c.seq == row["seq"]))
                continue
            payload = {"n": "forged"} if row["seq"] == seq else row["payload"]
            p_hash = payload_hash(payload)
            e_hash = event_hash(event_leaf_bytes(
                seq=row["seq"], occurred_at=row["occurred_at"], actor=row["actor"],
                actor_role=row["actor_role"], actor_agency=row["actor_agency"],
                action=row["action"], target=row["target"], payload_hash=p_hash, prev_hash=prev))
            conn.execute(update(EVENTS).where(EVENTS.c.seq == row["seq"]).values(
                payload=payload, payload_hash=p_hash, prev_hash=prev, event_hash=e_hash))
            prev = e_hash
        top = last if last is not None else rows[-1]["seq"]
        conn.execute(update(AuditHead.__table__).values(seq=top, event_hash=prev))


def _drop_checkpoint_rows(ws: Workspace, *, above: int = -1) -> None:
    with ws.store.engine.begin() as conn:
        conn.execute(delete(AuditCheckpoint.__table__).where(AuditCheckpoint.size > above))


def _faults(ws: Workspace, anchors: list[Path] | None = None) -> list[audit.Fault]:
    report = audit.verify_log(ws, anchors=anchors or [])
    return list(report.faults)


@pytest.fixture
def log(ws: Workspace, operator: Actor) -> Workspace:
    _append(ws, operator, 9)
    return ws


def test_every_checkpoint_is_exported_and_checked(log: Workspace, operator: Actor) -> None:
    record = audit.write_checkpoint(log, actor=operator, cosigners=["MED"])
    files = sorted(export_dir(log).glob("checkpoint-*.txt"))
    assert [f.read_text(encoding="utf-8") for f in files] == [record.note]
    assert files[0].name.startswith("checkpoint-000000000010-")
    report = audit.verify_log(log)
    assert report.ok and report.checkpoints_checked == 2  # the row and the exported copy


def test_rewrite_after_the_newest_stored_checkpoint_is_found_with_a_kept_copy(
    log: Workspace, operator: Actor, tmp_path: Path
) -> None:
    audit.write_checkpoint(log, actor=operator)  # 10 (logged as 11)
    _append(log, operator, 4, tag="later")  # 12..15
    second = audit.write_checkpoint(log, actor=operator)  # 15 (logged as 16)
    kept = tmp_path / "mediator-copy.txt"
    kept.write_text(second.note, encoding="utf-8")
    # the insider removes the newer checkpoint everywhere they can reach, then rewrites event 13
    _drop_checkpoint_rows(log, above=10)
    for path in export_dir(log).glob("checkpoint-000000000015-*"):
        path.unlink()
    _rewrite_from(log, 13)
    assert audit.verify_log(log).ok  # what the database alone can tell: nothing
    faults = _faults(log, [kept])
    assert faults and (faults[0].seq, faults[0].kind) == (13, "rewritten")
    assert str(kept) in faults[0].detail


def test_truncation_after_the_newest_stored_checkpoint_is_found_with_a_kept_copy(
    log: Workspace, operator: Actor, tmp_path: Path
) -> None:
    audit.write_checkpoint(log, actor=operator)  # 10
    _append(log, operator, 4, tag="later")
    second = audit.write_checkpoint(log, actor=operator)  # 15
    kept = tmp_path / "agency-copy.txt"
    kept.write_text(second.note, encoding="utf-8")
    _drop_checkpoint_rows(log, above=10)
    for path in export_dir(log).glob("checkpoint-000000000015-*"):
        path.unlink()
    _rewrite_from(log, 12, last=13)  # events 14.. are gone, the chain and head re-made
    assert audit.verify_log(log).ok
    faults = _faults(log, [kept])
    assert faults[0].kind in {"missing", "rewritten"} and faults[0].seq in {12, 14}
    assert any(f.kind == "missing" and "covers 15 events but the log holds 13" in f.detail
               for f in faults)


def test_deleting_every_checkpoint_row_and_rewriting_is_found_and_not_signed(
    log: Workspace, operator: Actor
) -> None:
    audit.write_checkpoint(log, actor=operator)  # 10, exported
    _append(log, operator, 3, tag="later")
    _drop_checkpoint_rows(log)
    _rewrite_from(log, 6)
    faults = _faults(log)
    assert (faults[0].seq, faults[0].kind) == (6, "rewritten")
    assert any(f.kind == "checkpoint" and "rows were deleted" in f.detail for f in faults)
    with pytest.raises(IntegrityError, match=r"refusing to sign.*history was rewritten"):
        audit.write_checkpoint(log, actor=operator)
    with log.store.reading() as tx:
        assert tx.scalar(select(func.count()).select_from(AuditCheckpoint)) == 0


def test_truncating_below_an_exported_checkpoint_is_not_signed(
    log: Workspace, operator: Actor
) -> None:
    audit.write_checkpoint(log, actor=operator)  # 10
    _drop_checkpoint_rows(log)
    _rewrite_from(log, 5, last=7)
    with pytest.raises(IntegrityError, match="covers 10 events but the log holds 7"):
        audit.write_checkpoint(log, actor=operator)


def test_a_forged_exported_checkpoint_is_a_fault(log: Workspace, operator: Actor) -> None:
    record = audit.write_checkpoint(log, actor=operator)
    path = next(export_dir(log).glob("checkpoint-*.txt"))
    path.write_text(record.note.replace("\n10\n", "\n9\n"), encoding="utf-8")
    faults = _faults(log)
    assert faults and faults[0].kind == "checkpoint" and "does not verify" in faults[0].detail


@pytest.fixture
def auto(ws: Workspace) -> Iterator[Workspace]:
    """The workspace as the CLI and the web open it, signing every 5 events."""
    settings = ws.settings.model_copy(update={"checkpoint_every_events": 5,
                                              "checkpoint_every_minutes": 0})
    opened = open_workspace(settings)
    yield opened
    opened.store.engine.dispose()


def test_checkpoints_are_signed_automatically_and_extend_each_other(
    auto: Workspace, operator: Actor
) -> None:
    _append(auto, operator, 12)  # 1 init + 12 events
    with auto.store.reading() as tx:
        sizes = list(tx.scalars(select(AuditCheckpoint.size).order_by(AuditCheckpoint.size)))
        frontiers = set(tx.scalars(select(AuditFrontier.size)))
    assert sizes == [5, 11]  # 1 init + 4; then 5 more after the checkpoint's own event 6
    assert set(sizes) <= frontiers
    assert len(list(export_dir(auto).glob("checkpoint-*.txt"))) == 2
    report = audit.verify_log(auto)
    assert report.ok, report.faults
    hashes = [leaf_hash(event_leaf_bytes(
        seq=r["seq"], occurred_at=r["occurred_at"], actor=r["actor"], actor_role=r["actor_role"],
        actor_agency=r["actor_agency"], action=r["action"], target=r["target"],
        payload_hash=r["payload_hash"], prev_hash=r["prev_hash"])) for r in _rows(auto)]
    newest = audit.latest_checkpoint(auto)
    assert newest is not None
    assert newest.root_hash == MerkleTree(hashes).root(newest.size).hex()


def test_automatic_checkpoint_refuses_a_broken_chain(auto: Workspace, operator: Actor) -> None:
    _append(auto, operator, 4)  # checkpoint at 5 (event 6)
    with auto.store.engine.begin() as conn:
        conn.execute(update(EVENTS).where(EVENTS.c.seq == 6).values(target="changed"))
    _append(auto, operator, 6)
    with auto.store.reading() as tx:
        assert list(tx.scalars(select(AuditCheckpoint.size))) == [5]
    assert audit.maybe_checkpoint(auto) is None  # refused once: no retry on every commit
    with pytest.raises(IntegrityError, match="event 6 changed"):
        audit.write_checkpoint(auto, actor=operator, incremental=True)


def test_checkpoint_is_due_by_time(ws: Workspace, operator: Actor) -> None:
    timed = Workspace(store=ws.store, settings=ws.settings.model_copy(
        update={"checkpoint_every_events": 0, "checkpoint_every_minutes": 30}))
    now = datetime.now(UTC)
    assert not checkpoint_due(timed, now)
    assert checkpoint_due(timed, now + timedelta(minutes=31))
    audit.write_checkpoint(timed, actor=operator)
    assert not checkpoint_due(timed, now + timedelta(minutes=31))  # only its own event since
    _append(timed, operator, 1)
    assert checkpoint_due(timed, now + timedelta(minutes=31))


def test_automatic_checkpoint_rehashes_only_the_new_events(
    log: Workspace, operator: Actor
) -> None:
    """The incremental path extends the signed tree from its frontier: a change inside the signed
    range does not stop it (that range is pinned by the signature, and verify names the change),
    while the full path, used by 'parley audit checkpoint', refuses."""
    audit.write_checkpoint(log, actor=operator)  # 10
    _append(log, operator, 2)
    with log.store.engine.begin() as conn:
        conn.execute(update(EVENTS).where(EVENTS.c.seq == 3).values(target="changed"))
    with pytest.raises(IntegrityError, match="does not verify"):
        audit.write_checkpoint(log, actor=operator)
    record = audit.write_checkpoint(log, actor=operator, incremental=True)
    assert record.size == 13
    faults = _faults(log)
    assert (faults[0].seq, faults[0].kind) == (3, "changed")
