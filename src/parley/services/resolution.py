"""``resolve_identities``: link the workspace's source records into persons, incrementally.

A run reads the records the previous runs did not cover, scores them with the Splink model
against the records already resolved (and against each other), stores every pair at or above the
review floor with its probability and per-field log2 Bayes factors, and reclusters only the
persons those new links touch. Reviewers' judgements and duplicate-free lists constrain the
clustering (see ``parley.domain.identity``). Then, for every person touched: evidence statements
per field, conflicts, and verification.

The heavy part (Splink) runs outside any transaction; everything a run writes is one transaction
with one audit event, so a run either happened completely or not at all.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd
from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from parley.adapters.sql.base import utcnow
from parley.adapters.sql.identity_tables import (
    IdentityConflict,
    IdentityJudgement,
    IdentityLink,
    PersonRedirect,
    ResolutionRun,
    SourceListPolicy,
)
from parley.adapters.sql.tables import Evidence, Person, Source, SourceRecord
from parley.domain.actors import Action, Actor
from parley.domain.identity import (
    AUTO_ACCEPT,
    REVIEW_FLOOR,
    Claim,
    ConflictFinding,
    ConflictKind,
    Decision,
    Judgement,
    Link,
    Verification,
    assign_person_ids,
    cluster_records,
    detect_person_conflicts,
    detect_shared_numbers,
    effective_judgements,
    is_strong_grade,
    verify_identity,
)
from parley.domain.records import CANONICAL_FIELDS
from parley.errors import InvalidInput, NotFound, ParleyError
from parley.services.journal import record_event
from parley.services.workspace import Workspace

__all__ = [
    "ENGINES",
    "EVIDENCE_FIELDS",
    "MIN_LABELS",
    "Progress",
    "ResolveReport",
    "recluster",
    "resolve_identities",
    "set_duplicate_free",
]

ENGINES = ("duckdb", "spark")
# Reviewers' decisions re-estimate the model once there are this many, of both kinds.
MIN_LABELS = 10
EVIDENCE_FIELDS: tuple[str, ...] = tuple(
    f for f in CANONICAL_FIELDS if f not in ("record_id", "source", "notes")
)
_CHUNK = 500
# Resolved records sampled into an incremental run's context, so the model has enough to train on.
CONTEXT_SAMPLE = 20_000

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as a run advances, for a progress bar."""


@dataclass(frozen=True)
class ResolveReport:
    """What a run did, for the summary line and the audit event."""

    run_id: int
    engine: str
    full: bool
    records: int
    new_records: int
    persons: int
    persons_touched: int
    links: int
    new_links: int
    pairs_compared: int
    in_review_band: int
    conflicts_open: int
    conflicts_raised: int
    verified: int
    labels_used: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _noop(stage: str, done: int, total: int) -> None:
    return None


# --- policies --------------------------------------------------------------------------------


def set_duplicate_free(ws: Workspace, *, actor: Actor, source: str,
                       duplicate_free: bool = True) -> None:
    """Declare that a source is a list that holds each person at most once (an exchange list,
    the other side's list): resolution then clusters it one-to-one and flags doubles."""
    actor.require(Action.RESOLVE)
    with ws.store.transaction() as tx:
        src = tx.scalar(select(Source).where(Source.name == source))
        if src is None:
            raise NotFound(f"no source named '{source}'")
        policy = tx.get(SourceListPolicy, src.id)
        if policy is None:
            tx.add(SourceListPolicy(source_id=src.id, duplicate_free=duplicate_free,
                                    set_by=actor.username))
        else:
            policy.duplicate_free = duplicate_free
            policy.set_by = actor.username
            policy.set_at = utcnow()
        tx.flush()
        record_event(tx, actor=actor, action="identity.list_policy", target=f"source:{src.id}",
                     payload={"source": source, "duplicate_free": duplicate_free})


def _duplicate_free_sources(tx: Session) -> frozenset[str]:
    return frozenset(
        str(sid) for sid in tx.scalars(
            select(SourceListPolicy.source_id).where(SourceListPolicy.duplicate_free.is_(True))
        )
    )


# --- loading ---------------------------------------------------------------------------------

_FRAME_COLUMNS = [getattr(SourceRecord, f) for f in CANONICAL_FIELDS
                  if f not in ("record_id", "source")]


def _frame(tx: Session, *, above: int = 0, upto: int | None = None) -> pd.DataFrame:
    """Records in the canonical schema (record_id = the row id as text) for the linkage model."""
    stmt = (
        select(SourceRecord.id, Source.name, *_FRAME_COLUMNS)
        .join(Source, Source.id == SourceRecord.source_id)
        .where(SourceRecord.id > above)
        .order_by(SourceRecord.id)
    )
    if upto is not None:
        stmt = stmt.where(SourceRecord.id <= upto)
    rows = tx.execute(stmt).all()
    columns = ["record_id", "source", *[c.key for c in _FRAME_COLUMNS]]
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    frame["record_id"] = frame["record_id"].astype(str)
    return frame[list(CANONICAL_FIELDS)]


def _frame_of(tx: Session, ids: Sequence[int]) -> pd.DataFrame:
    parts: list[tuple[Any, ...]] = []
    for part in _chunks(sorted(ids), 5000):
        stmt = (
            select(SourceRecord.id, Source.name, *_FRAME_COLUMNS)
            .join(Source, Source.id == SourceRecord.source_id)
            .where(SourceRecord.id.in_(part))
        )
        parts.extend(tuple(r) for r in tx.execute(stmt).all())
    columns = ["record_id", "source", *[c.key for c in _FRAME_COLUMNS]]
    frame = pd.DataFrame(parts, columns=columns)
    frame["record_id"] = frame["record_id"].astype(str)
    return frame[list(CANONICAL_FIELDS)]


def _context(tx: Session, new: pd.DataFrame, *, upto: int) -> pd.DataFrame:
    """New records plus the resolved records they could match (same surname key or spelling,
    same service or document number) plus an even sample of the registry to train on, so an
    incremental run costs about the size of the new batch, not of the registry."""
    if upto <= 0 or new.empty:
        return new
    keys: dict[str, set[str]] = {"family_name": set(), "service_number": set(),
                                 "document_number": set()}
    for col, values in keys.items():
        values.update(v for v in new[col].astype(str) if v)
    family_keys: set[str] = set()
    ids = [int(i) for i in new["record_id"]]
    for part in _chunks(ids):
        family_keys.update(k for k in tx.scalars(
            select(SourceRecord.family_key).where(SourceRecord.id.in_(part))) if k)
    found: set[int] = set()
    columns = {"family_name": SourceRecord.family_name,
               "service_number": SourceRecord.service_number,
               "document_number": SourceRecord.document_number,
               "family_key": SourceRecord.family_key}
    for col, values in (*keys.items(), ("family_key", family_keys)):
        for part in _chunks(sorted(values)):
            found.update(int(i) for i in tx.scalars(
                select(SourceRecord.id).where(columns[col].in_(part), SourceRecord.id <= upto)))
    total = int(tx.scalar(select(func.count()).where(SourceRecord.id <= upto)) or 0)
    step = max(1, -(-total // CONTEXT_SAMPLE))
    found.update(int(i) for i in tx.scalars(
        select(SourceRecord.id).where(SourceRecord.id <= upto, SourceRecord.id % step == 0)))
    return pd.concat([_frame_of(tx, sorted(found)), new], ignore_index=True)


def _judgements(tx: Session, record_ids: Iterable[int] | None = None) -> list[Judgement]:
    stmt = select(IdentityJudgement)
    rows: list[IdentityJudgement] = []
    if record_ids is None:
        rows = list(tx.scalars(stmt))
    else:
        ids = sorted(set(record_ids))
        seen: set[int] = set()
        for part in _chunks(ids):
            for j in tx.scalars(stmt.where(or_(IdentityJudgement.left_record_id.in_(part),
                                               IdentityJudgement.right_record_id.in_(part)))):
                if j.id not in seen:
                    seen.add(j.id)
                    rows.append(j)
    return [
        Judgement(str(j.left_record_id), str(j.right_record_id), Decision(j.decision), j.actor,
                  j.decided_at, j.note, j.id, j.retracted_at)
        for j in rows
    ]


def _labels(tx: Session) -> pd.DataFrame | None:
    decided = [j for j in effective_judgements(_judgements(tx)).values()
               if j.decision is not Decision.UNSURE]
    kinds = {j.decision for j in decided}
    if len(decided) < MIN_LABELS or len(kinds) < 2:
        return None
    return pd.DataFrame({
        "left_id": [j.key[0] for j in decided],
        "right_id": [j.key[1] for j in decided],
        "is_match": [j.decision is Decision.MATCH for j in decided],
    })


# --- linkage ---------------------------------------------------------------------------------


def _weights(row: dict[Any, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in row.items():
        if isinstance(key, str) and key.startswith("bf_") and value is not None:
            number = float(value)
            if math.isfinite(number):
                out[key[3:]] = round(number, 4)
    return out


def _pairs_to_rows(pairs: pd.DataFrame, run_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if pairs is None or pairs.empty:
        return rows
    kept = pairs[pairs["match_probability"] >= REVIEW_FLOOR]
    for rec in kept.to_dict("records"):
        a, b = int(rec["left_id"]), int(rec["right_id"])
        if a == b:
            continue
        left, right = (a, b) if a < b else (b, a)
        weight = rec.get("match_weight")
        rows.append({
            "left_record_id": left,
            "right_record_id": right,
            "match_probability": float(rec["match_probability"]),
            "match_weight": float(weight) if weight is not None and math.isfinite(weight)
            else 0.0,
            "field_weights": _weights(rec),
            "run_id": run_id,
        })
    # One row per pair: a pair seen twice (link and dedupe) keeps its higher score.
    best: dict[tuple[int, int], dict[str, Any]] = {}
    for row in rows:
        key = (row["left_record_id"], row["right_record_id"])
        if key not in best or row["match_probability"] > best[key]["match_probability"]:
            best[key] = row
    return list(best.values())


def _score(
    context: pd.DataFrame, new_ids: set[str], *, engine: str, labels: pd.DataFrame | None,
    progress: Progress,
) -> tuple[list[pd.DataFrame], int]:
    """Score the new records within their context; returns (pair frames, pairs compared).

    The model is trained on each run's data, and a batch of a few new rows cannot train it, so
    the new records are deduplicated together with a *context* of resolved records (see
    ``_context``); only pairs that touch a new record are kept, since the others were scored by
    earlier runs.
    """
    from parley.adapters.linkage import dedupe

    def linking(stage: str, fraction: float) -> None:
        progress(f"linking: {stage}", int(fraction * 100), 100)

    if not new_ids or len(context) < 2:
        return [], 0
    try:
        result = dedupe(context, threshold=REVIEW_FLOOR, engine=engine, labels=labels,
                        progress=linking)
    except ParleyError:
        raise
    except Exception as err:  # a foreign library's failure, translated at the boundary
        first_line = (str(err).strip().splitlines() or [""])[0][:300]
        raise LinkageFailed(
            f"the {engine} linkage engine could not score {len(new_ids)} new records in a "
            f"context of {len(context)} ({type(err).__name__}: {first_line})"
        ) from err
    pairs = result.pairs
    if len(new_ids) < len(context) and not pairs.empty:
        touches = pairs["left_id"].astype(str).isin(new_ids) | \
            pairs["right_id"].astype(str).isin(new_ids)
        pairs = pairs[touches]
    return [pairs], int(result.stats.get("pairs_compared", 0) or 0)


class LinkageFailed(ParleyError):
    """The Splink run failed (too little data to train on, an engine that will not start)."""

    exit_code = 9
    http_status = 500


# --- the run ---------------------------------------------------------------------------------


def resolve_identities(
    ws: Workspace,
    *,
    actor: Actor,
    engine: str = "duckdb",
    full: bool = False,
    progress: Progress | None = None,
) -> ResolveReport:
    """Link new source records into persons (all records with ``full=True``) and report."""
    actor.require(Action.RESOLVE)
    if engine not in ENGINES:
        raise InvalidInput(f"engine: '{engine}' is not one of {', '.join(ENGINES)}")
    report = progress or _noop
    started = time.monotonic()

    with ws.store.reading() as rd:
        last = rd.scalar(select(func.max(ResolutionRun.max_record_id))) or 0
        top = rd.scalar(select(func.max(SourceRecord.id))) or 0
        above = 0 if full else int(last)
        new = _frame(rd, above=above, upto=top)
        context = _context(rd, new, upto=above)
        labels = _labels(rd)

    frames, compared = _score(context, set(new["record_id"]), engine=engine, labels=labels,
                              progress=report)

    with ws.store.transaction() as tx:
        run = ResolutionRun(actor=actor.username, engine=engine, full=full,
                            max_record_id=max(top, int(last)))
        tx.add(run)
        tx.flush()
        rows: list[dict[str, Any]] = []
        for frame in frames:
            rows.extend(_pairs_to_rows(frame, run.id))
        if full:
            tx.execute(delete(IdentityLink))
        else:
            rows = _drop_known_pairs(tx, rows)
        for i, part in enumerate(_chunks(rows, 2000)):
            tx.execute(insert(IdentityLink), list(part))
            report("storing links", min((i + 1) * 2000, len(rows)), len(rows))

        if full:
            seeds = None
        else:
            seeds = {int(r) for r in new["record_id"]}
            for row in rows:
                seeds.add(row["left_record_id"])
                seeds.add(row["right_record_id"])
        outcome = recluster(tx, actor=actor, seeds=seeds, run_id=run.id, progress=report)

        summary = _summary(tx)
        result = ResolveReport(
            run_id=run.id, engine=engine, full=full, records=summary["records"],
            new_records=len(new), persons=summary["persons"],
            persons_touched=outcome["persons_touched"], links=summary["links"],
            new_links=len(rows), pairs_compared=compared,
            in_review_band=summary["in_review_band"], conflicts_open=summary["conflicts_open"],
            conflicts_raised=outcome["conflicts_raised"], verified=summary["verified"],
            labels_used=0 if labels is None else len(labels),
            seconds=round(time.monotonic() - started, 2),
        )
        run.finished_at = utcnow()
        run.summary = result.as_dict()
        record_event(tx, actor=actor, action="identity.resolve", target=f"resolution_run:{run.id}",
                     payload=result.as_dict())
    return result


def _drop_known_pairs(tx: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Incremental runs never rescore a stored pair (it keeps its first score)."""
    if not rows:
        return rows
    lefts = sorted({r["left_record_id"] for r in rows})
    known: set[tuple[int, int]] = set()
    for part in _chunks(lefts):
        known.update(
            (int(a), int(b)) for a, b in tx.execute(
                select(IdentityLink.left_record_id, IdentityLink.right_record_id)
                .where(IdentityLink.left_record_id.in_(part))
            )
        )
    return [r for r in rows if (r["left_record_id"], r["right_record_id"]) not in known]


def _summary(tx: Session) -> dict[str, int]:
    band = (
        select(func.count())
        .select_from(IdentityLink)
        .where(IdentityLink.match_probability < AUTO_ACCEPT)
    )
    return {
        "records": int(tx.scalar(select(func.count()).select_from(SourceRecord)) or 0),
        "persons": int(tx.scalar(
            select(func.count(func.distinct(SourceRecord.person_id)))
            .where(SourceRecord.person_id.is_not(None))
        ) or 0),
        "links": int(tx.scalar(select(func.count()).select_from(IdentityLink)) or 0),
        "in_review_band": int(tx.scalar(band) or 0) - _decided_in_band(tx),
        "conflicts_open": int(tx.scalar(
            select(func.count()).select_from(IdentityConflict)
            .where(IdentityConflict.state == "open")
        ) or 0),
        "verified": int(tx.scalar(
            select(func.count()).select_from(Person).where(
                Person.verified.is_(True),
                Person.id.in_(select(SourceRecord.person_id).where(
                    SourceRecord.person_id.is_not(None))),
            )
        ) or 0),
    }


def _decided_in_band(tx: Session) -> int:
    """Band pairs a reviewer has already decided (they leave the queue)."""
    stmt = (
        select(func.count(func.distinct(IdentityLink.id)))
        .select_from(IdentityLink)
        .join(IdentityJudgement, (IdentityJudgement.left_record_id == IdentityLink.left_record_id)
              & (IdentityJudgement.right_record_id == IdentityLink.right_record_id))
        .where(IdentityLink.match_probability < AUTO_ACCEPT,
               IdentityJudgement.retracted_at.is_(None))
    )
    return int(tx.scalar(stmt) or 0)


# --- reclustering ----------------------------------------------------------------------------


def _scope(tx: Session, seeds: set[int] | None) -> list[int]:
    """The records whose person may change: the seeds, everything in their persons, and what
    links or positive judgements join to those, until nothing new is added."""
    if seeds is None:
        return [int(i) for i in tx.scalars(select(SourceRecord.id).order_by(SourceRecord.id))]
    scope: set[int] = set()
    frontier = set(seeds)
    while frontier:
        scope |= frontier
        grown: set[int] = set()
        ids = sorted(frontier)
        for part in _chunks(ids):
            pids = {p for p in tx.scalars(
                select(SourceRecord.person_id).where(SourceRecord.id.in_(part),
                                                     SourceRecord.person_id.is_not(None)))}
            for pchunk in _chunks(sorted(pids)):
                grown.update(tx.scalars(select(SourceRecord.id)
                                        .where(SourceRecord.person_id.in_(pchunk))))
            for a, b in tx.execute(
                select(IdentityLink.left_record_id, IdentityLink.right_record_id).where(
                    IdentityLink.match_probability >= AUTO_ACCEPT,
                    or_(IdentityLink.left_record_id.in_(part),
                        IdentityLink.right_record_id.in_(part)))
            ):
                grown.update((int(a), int(b)))
            for a, b in tx.execute(
                select(IdentityJudgement.left_record_id, IdentityJudgement.right_record_id).where(
                    IdentityJudgement.decision == Decision.MATCH.value,
                    IdentityJudgement.retracted_at.is_(None),
                    or_(IdentityJudgement.left_record_id.in_(part),
                        IdentityJudgement.right_record_id.in_(part)))
            ):
                grown.update((int(a), int(b)))
        frontier = grown - scope
    return sorted(scope)


def _links_within(tx: Session, ids: Sequence[int], *, full: bool) -> list[Link]:
    stmt = select(IdentityLink.left_record_id, IdentityLink.right_record_id,
                  IdentityLink.match_probability).where(
        IdentityLink.match_probability >= AUTO_ACCEPT)
    inside = set(ids)
    out: list[Link] = []
    if full:
        rows: Iterable[Any] = tx.execute(stmt)
        out = [Link(str(a), str(b), float(p)) for a, b, p in rows]
        return out
    for part in _chunks(list(ids)):
        for a, b, p in tx.execute(stmt.where(IdentityLink.left_record_id.in_(part))):
            if int(b) in inside:
                out.append(Link(str(a), str(b), float(p)))
    return out


@dataclass(frozen=True)
class _RecordInfo:
    id: int
    person_id: int | None
    source_id: int
    source: str
    agency: str
    reliability: str
    classification: str
    imported_at: Any
    values: dict[str, str]
    name_key: str


def _record_infos(tx: Session, ids: Sequence[int]) -> dict[int, _RecordInfo]:
    cols = [getattr(SourceRecord, f) for f in EVIDENCE_FIELDS]
    out: dict[int, _RecordInfo] = {}
    for part in _chunks(list(ids)):
        stmt = (
            select(SourceRecord.id, SourceRecord.person_id, SourceRecord.source_id, Source.name,
                   SourceRecord.agency_code, SourceRecord.reliability,
                   SourceRecord.classification, SourceRecord.imported_at,
                   SourceRecord.family_key, SourceRecord.given_key, *cols)
            .join(Source, Source.id == SourceRecord.source_id)
            .where(SourceRecord.id.in_(part))
        )
        for row in tx.execute(stmt):
            (rid, pid, sid, sname, agency, rel, cls, imported, fkey, gkey, *vals) = tuple(row)
            values = {f: str(v or "") for f, v in zip(EVIDENCE_FIELDS, vals, strict=True)}
            name_key = " ".join(k for k in (fkey, gkey) if k) or " ".join(
                values[f].casefold() for f in ("family_name", "given_name") if values[f])
            out[int(rid)] = _RecordInfo(int(rid), pid, int(sid), sname, agency, rel or "", cls,
                                        imported, values, name_key)
    return out


def _claim(info: _RecordInfo) -> Claim:
    v = info.values
    return Claim(
        record=str(info.id), source=info.source, agency=info.agency,
        reliability=info.reliability, family_name=v["family_name"],
        given_name=v["given_name"], patronymic=v["patronymic"], name_key=info.name_key,
        birth_date=v["birth_date"], status=v["status"], service_number=v["service_number"],
        document_number=v["document_number"],
    )


def recluster(
    tx: Session,
    *,
    actor: Actor,
    seeds: set[int] | None,
    run_id: int | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Re-derive persons for the records around ``seeds`` (all records if ``None``) from stored
    links and judgements, then refresh evidence, conflicts and verification for every person
    touched. Runs in the caller's transaction; the caller records the audit event."""
    report = progress or _noop
    ids = _scope(tx, seeds)
    report("clustering", 0, len(ids))
    infos = _record_infos(tx, ids)
    links = _links_within(tx, ids, full=seeds is None)
    judgements = _judgements(tx, None if seeds is None else ids)
    inside = {str(i) for i in ids}
    judgements = [j for j in judgements if j.left in inside and j.right in inside]
    dup_free = _duplicate_free_sources(tx)
    result = cluster_records(
        (str(i) for i in ids), links, judgements,
        source_of={str(i): str(info.source_id) for i, info in infos.items()},
        duplicate_free=dup_free,
    )
    assigned, redirects = assign_person_ids(
        result.clusters, {str(i): info.person_id for i, info in infos.items()})
    report("clustering", len(ids), len(ids))

    now = utcnow()
    new_keys = [k for k, pid in assigned.items() if pid is None]
    if new_keys:
        created = tx.execute(
            insert(Person).returning(Person.id, sort_by_parameter_order=True),
            [{"display_name": "", "created_at": now, "updated_at": now} for _ in new_keys],
        ).scalars().all()
        for key, pid in zip(new_keys, created, strict=True):
            assigned[key] = int(pid)
    for old, new in redirects.items():
        existing = tx.get(PersonRedirect, old)
        if existing is None:
            tx.add(PersonRedirect(old_person_id=old, new_person_id=new))
        else:
            existing.new_person_id = new
            existing.redirected_at = now
        # Chains collapse, so an old id is always one hop from a living person.
        tx.execute(update(PersonRedirect).where(PersonRedirect.new_person_id == old)
                   .values(new_person_id=new))
    # A person that comes back to life after a split is no longer redirected.
    living = [pid for pid in assigned.values() if pid is not None]
    for part in _chunks(living):
        tx.execute(delete(PersonRedirect).where(PersonRedirect.old_person_id.in_(part)))

    person_of: dict[int, int] = {}
    for key, members in result.clusters.items():
        owner = assigned[key]
        assert owner is not None
        for m in members:
            person_of[int(m)] = owner
    moved = [{"id": rid, "person_id": pid} for rid, pid in person_of.items()
             if infos[rid].person_id != pid]
    for part in _chunks(moved, 2000):
        tx.execute(update(SourceRecord), list(part))
    # Evidence follows its record; only records resolved before can have evidence already.
    regrouped: dict[int, list[int]] = defaultdict(list)
    for row in moved:
        if infos[row["id"]].person_id is not None:
            regrouped[row["person_id"]].append(row["id"])
    for pid, rids in regrouped.items():
        for part in _chunks(rids):
            tx.execute(update(Evidence).where(Evidence.source_record_id.in_(part))
                       .values(person_id=pid))
    tx.flush()
    _write_evidence(tx, infos, person_of, progress=report)

    members_of: dict[int, list[_RecordInfo]] = defaultdict(list)
    for rid, pid in person_of.items():
        members_of[pid].append(infos[rid])
    doubles = _list_doubles(tx, infos, dup_free)
    raised = _refresh_persons(tx, members_of, result, person_of, doubles, run_id=run_id,
                              progress=report)
    tx.flush()
    return {"persons_touched": len(members_of), "conflicts_raised": raised,
            "records_moved": len(moved), "redirects": len(redirects)}


def _evidence_hash(record_id: int, prop: str, value: str) -> str:
    return hashlib.sha256(f"{record_id}\x1f{prop}\x1f{value}".encode()).hexdigest()


def _write_evidence(tx: Session, infos: dict[int, _RecordInfo], person_of: dict[int, int],
                    *, progress: Progress) -> None:
    """One immutable statement per non-empty field of each record that has none yet."""
    ids = sorted(infos)
    have: set[int] = set()
    for part in _chunks(ids):
        have.update(int(i) for i in tx.scalars(
            select(Evidence.source_record_id).where(Evidence.source_record_id.in_(part))
            .distinct()))
    rows: list[dict[str, Any]] = []
    now = utcnow()
    for rid in ids:
        if rid in have:
            continue
        info = infos[rid]
        for prop in EVIDENCE_FIELDS:
            value = info.values[prop]
            if not value:
                continue
            rows.append({
                "person_id": person_of.get(rid), "source_record_id": rid, "property": prop,
                "value": value, "agency_code": info.agency,
                "classification": info.classification, "reliability": info.reliability or "F6",
                "observed_at": info.imported_at or now,
                "content_hash": _evidence_hash(rid, prop, value),
            })
    for i, part in enumerate(_chunks(rows, 5000)):
        tx.execute(insert(Evidence), list(part))
        progress("writing evidence", min((i + 1) * 5000, len(rows)), len(rows))


def _grade_rank(grade: str) -> tuple[int, int]:
    g = (grade or "F6").upper()
    letter = "ABCDEF".find(g[0]) if g else 5
    digit = int(g[1]) if len(g) > 1 and g[1].isdigit() else 6
    return (letter if letter >= 0 else 5, digit)


def _display_name(members: Sequence[_RecordInfo]) -> str:
    best = min(members, key=lambda m: (_grade_rank(m.reliability), m.id))
    v = best.values
    return " ".join(p for p in (v["family_name"], v["given_name"], v["patronymic"]) if p)[:300]


def _person_status(members: Sequence[_RecordInfo], disputed: bool) -> str:
    if disputed:
        return "disputed"
    with_status = [m for m in members if m.values["status"]]
    if not with_status:
        return "unknown"
    best = min(with_status, key=lambda m: (_grade_rank(m.reliability), -m.id))
    return best.values["status"][:16]


def _reason_text(v: Verification) -> str:
    lines = [v.summary()]
    lines.extend(("✓ " if r.agrees else "✗ ") + r.sentence() for r in v.reasons)
    return "\n".join(lines)


def _refresh_persons(
    tx: Session,
    members_of: dict[int, list[_RecordInfo]],
    result: Any,
    person_of: dict[int, int],
    doubles: list[ConflictFinding],
    *,
    run_id: int | None,
    progress: Progress,
) -> int:
    """Display name, status, verification and conflicts for every person touched."""
    findings: list[tuple[int | None, ConflictFinding]] = []
    claims_by_person: dict[int, list[Claim]] = {}
    total = len(members_of)
    now = utcnow()
    updates: list[dict[str, Any]] = []
    for n, (pid, members) in enumerate(sorted(members_of.items()), start=1):
        claims = [_claim(m) for m in members]
        claims_by_person[pid] = claims
        person_findings = detect_person_conflicts(claims)
        findings.extend((pid, f) for f in person_findings)
        verification = verify_identity(claims)
        disputed = any(f.kind is ConflictKind.STATUS for f in person_findings)
        updates.append({
            "id": pid, "display_name": _display_name(members),
            "status": _person_status(members, disputed), "verified": verification.verified,
            "verification_reason": _reason_text(verification), "updated_at": now,
        })
        if n % 5000 == 0 or n == total:
            progress("persons", n, total)
    for part in _chunks(updates, 2000):
        tx.execute(update(Person), list(part))

    findings.extend(_shared_number_findings(tx, claims_by_person))
    findings.extend(_clustering_findings(result, person_of))
    findings.extend((person_of.get(int(f.records[0])), f) for f in doubles)
    return _store_conflicts(tx, findings, set(members_of), run_id=run_id)


def _shared_number_findings(
    tx: Session, claims_by_person: dict[int, list[Claim]],
) -> list[tuple[int | None, ConflictFinding]]:
    """One service number on two persons: compare the touched persons' numbers with everyone."""
    numbers = sorted({c.service_number for cs in claims_by_person.values() for c in cs
                      if c.service_number})
    if not numbers:
        return []
    others: dict[int, list[Claim]] = defaultdict(list)
    for part in _chunks(numbers):
        ids = [int(i) for i in tx.scalars(
            select(SourceRecord.id).where(SourceRecord.service_number.in_(part),
                                          SourceRecord.person_id.is_not(None)))]
        for info in _record_infos(tx, ids).values():
            if info.person_id is not None and info.person_id not in claims_by_person:
                others[info.person_id].append(_claim(info))
    everyone = {**others, **claims_by_person}
    return [(pids[0], f) for pids, f in detect_shared_numbers(everyone)]


def _list_doubles(tx: Session, infos: dict[int, _RecordInfo], dup_free: frozenset[str]
                  ) -> list[ConflictFinding]:
    """Two entries of one duplicate-free list that the model thinks may be one person (any
    stored link, band included): the list may hold someone twice, which a person must check."""
    on_lists = sorted(i for i, info in infos.items() if str(info.source_id) in dup_free)
    out: list[ConflictFinding] = []
    for part in _chunks(on_lists):
        for a, b, p in tx.execute(
            select(IdentityLink.left_record_id, IdentityLink.right_record_id,
                   IdentityLink.match_probability).where(IdentityLink.left_record_id.in_(part))
        ):
            left, right = infos.get(int(a)), infos.get(int(b))
            if left is None or right is None or left.source_id != right.source_id:
                continue
            out.append(ConflictFinding(
                ConflictKind.LIST_DUPLICATE,
                f"records {a} and {b} of one duplicate-free list (source id {left.source_id}) "
                f"look like the same person (match probability {p:.2f}): the list may hold "
                "this person twice",
                (str(a), str(b)), (str(left.source_id),)))
    return out


def _clustering_findings(result: Any, person_of: dict[int, int]
                         ) -> list[tuple[int | None, ConflictFinding]]:
    out: list[tuple[int | None, ConflictFinding]] = []
    for a, b, source in [*result.refused_by_list, *result.forced_list_duplicates]:
        out.append((person_of.get(int(a)), ConflictFinding(
            ConflictKind.LIST_DUPLICATE,
            f"records {a} and {b} of one duplicate-free list (source id {source}) look like "
            "the same person: the list may hold this person twice",
            (a, b), (source,))))
    for a, b in result.contradictory_positives:
        out.append((person_of.get(int(a)), ConflictFinding(
            ConflictKind.JUDGEMENTS,
            f"a reviewer judged records {a} and {b} the same person, but other judgements keep "
            "them apart; the 'no match' holds until the judgements are reconciled",
            (a, b))))
    return out


def _store_conflicts(
    tx: Session,
    findings: list[tuple[int | None, ConflictFinding]],
    touched: set[int],
    *,
    run_id: int | None,
) -> int:
    """Raise new conflicts; lapse open ones about touched persons that no longer hold."""
    fingerprints = {f.fingerprint for _, f in findings}
    known: dict[str, IdentityConflict] = {}
    fps = sorted(fingerprints)
    for part in _chunks(fps):
        for c in tx.scalars(select(IdentityConflict).where(
                IdentityConflict.fingerprint.in_(part))):
            known[c.fingerprint] = c
    raised = 0
    for pid, f in findings:
        existing = known.get(f.fingerprint)
        if existing is not None:
            if existing.person_id != pid:
                existing.person_id = pid
            continue
        row = IdentityConflict(
            fingerprint=f.fingerprint, kind=f.kind.value, person_id=pid,
            description=f.description, record_ids=[int(r) for r in f.records],
            values=list(f.values), state="open", raised_by_run=run_id,
        )
        tx.add(row)
        known[f.fingerprint] = row
        raised += 1
    # Contradictions that vanished (a split, a retraction) lapse rather than linger as noise;
    # resolved ones keep their resolution.
    for part in _chunks(sorted(touched)):
        for c in tx.scalars(select(IdentityConflict).where(
                IdentityConflict.person_id.in_(part), IdentityConflict.state == "open")):
            if c.fingerprint not in fingerprints:
                c.state = "lapsed"
                c.resolved_at = utcnow()
                c.resolution = "no longer present after re-clustering"
    tx.flush()
    return raised


def strong_sources(claims: Sequence[Claim]) -> list[Claim]:
    """Claims from sources graded A–B / 1–2 (used by pages to mark strong evidence)."""
    return [c for c in claims if is_strong_grade(c.reliability)]


def count_by_kind(tx: Session) -> dict[str, int]:
    """Open conflicts by kind, for summaries."""
    rows = tx.execute(select(IdentityConflict.kind, func.count()).where(
        IdentityConflict.state == "open").group_by(IdentityConflict.kind))
    return dict(Counter({str(k): int(n) for k, n in rows}))
