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

import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from parley.adapters.sql.base import utcnow
from parley.adapters.sql.identity_tables import (
    IdentityConflict,
    IdentityJudgement,
    IdentityLink,
    ResolutionRun,
    SourceListPolicy,
)
from parley.adapters.sql.tables import Person, Source, SourceRecord
from parley.domain.actors import Action, Actor
from parley.domain.identity import AUTO_ACCEPT, REVIEW_FLOOR, Decision, effective_judgements
from parley.domain.records import ADDRESS_FIELD, CANONICAL_FIELDS
from parley.errors import InvalidInput, LinkageFailed, NotFound, ParleyError
from parley.progress import no_progress
from parley.services.clustering import (
    EVIDENCE_FIELDS,
    Progress,
    chunks,
    load_judgements,
    recluster,
)
from parley.services.interrupts import StopSignal, run_stoppable
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
# Resolved records sampled into an incremental run's context, so the model has enough to train on.
CONTEXT_SAMPLE = 20_000
# Records read per query: a chunk is also how long a Ctrl-C may wait while records load.
_READ_CHUNK = 50_000


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


# --- loading ---------------------------------------------------------------------------------

_FRAME_COLUMNS = [getattr(SourceRecord, f) for f in CANONICAL_FIELDS
                  if f not in ("record_id", "source")]
_FRAME_SELECT = (SourceRecord.id, Source.name, *_FRAME_COLUMNS, SourceRecord.extras)


def _as_frame(rows: Sequence[Any]) -> pd.DataFrame:
    """Rows of ``_FRAME_SELECT`` in the canonical schema (record_id = the row id as text), plus
    the address a source may carry among its extras, which the model reads when present."""
    columns = ["record_id", "source", *[c.key for c in _FRAME_COLUMNS], "extras"]
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    frame["record_id"] = frame["record_id"].astype(str)
    frame[ADDRESS_FIELD] = [(e or {}).get(ADDRESS_FIELD, "") for e in frame["extras"]]
    return frame[[*CANONICAL_FIELDS, ADDRESS_FIELD]]


def _frame(tx: Session, *, above: int, upto: int, stop: StopSignal,
           progress: Progress) -> pd.DataFrame:
    """Records with ids in (``above``, ``upto``] for the linkage model, read in chunks so a
    Ctrl-C is honoured and the bar moves while a large registry loads."""
    total = int(tx.scalar(select(func.count()).select_from(SourceRecord).where(
        SourceRecord.id > above, SourceRecord.id <= upto)) or 0)
    parts: list[pd.DataFrame] = []
    done, low = 0, above
    while True:
        stop.check("reading records")
        rows = tx.execute(
            select(*_FRAME_SELECT)
            .join(Source, Source.id == SourceRecord.source_id)
            .where(SourceRecord.id > low, SourceRecord.id <= upto)
            .order_by(SourceRecord.id)
            .limit(_READ_CHUNK)
        ).all()
        if not rows:
            break
        parts.append(_as_frame(rows))
        low = int(rows[-1][0])
        done += len(rows)
        progress("reading records", done, total)
    if not parts:
        return _as_frame([])
    return pd.concat(parts, ignore_index=True)


def _frame_of(tx: Session, ids: Sequence[int]) -> pd.DataFrame:
    rows: list[Any] = []
    for part in chunks(sorted(ids), 5000):
        stmt = (
            select(*_FRAME_SELECT)
            .join(Source, Source.id == SourceRecord.source_id)
            .where(SourceRecord.id.in_(part))
        )
        rows.extend(tx.execute(stmt).all())
    return _as_frame(rows)


def _judged_records(tx: Session) -> set[int]:
    """Records in reviewers' match / no-match decisions, once there are enough to learn from:
    they join every run's context so the decisions re-estimate the model each time."""
    decided = [j for j in effective_judgements(load_judgements(tx)).values()
               if j.decision is not Decision.UNSURE]
    if len(decided) < MIN_LABELS or len({j.decision for j in decided}) < 2:
        return set()
    return {int(r) for j in decided for r in j.key}


def _context(tx: Session, new: pd.DataFrame, *, upto: int,
             extra: set[int] | None = None) -> pd.DataFrame:
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
    for part in chunks(ids):
        family_keys.update(k for k in tx.scalars(
            select(SourceRecord.family_key).where(SourceRecord.id.in_(part))) if k)
    found: set[int] = set()
    columns = {"family_name": SourceRecord.family_name,
               "service_number": SourceRecord.service_number,
               "document_number": SourceRecord.document_number,
               "family_key": SourceRecord.family_key}
    for col, values in (*keys.items(), ("family_key", family_keys)):
        for part in chunks(sorted(values)):
            found.update(int(i) for i in tx.scalars(
                select(SourceRecord.id).where(columns[col].in_(part), SourceRecord.id <= upto)))
    total = int(tx.scalar(select(func.count()).where(SourceRecord.id <= upto)) or 0)
    step = max(1, -(-total // CONTEXT_SAMPLE))
    found.update(int(i) for i in tx.scalars(
        select(SourceRecord.id).where(SourceRecord.id <= upto, SourceRecord.id % step == 0)))
    found.update(i for i in (extra or set()) if i <= upto)
    return pd.concat([_frame_of(tx, sorted(found)), new], ignore_index=True)


def _labels(tx: Session, *, known: set[str]) -> pd.DataFrame | None:
    # Only pairs inside this run's frame can teach the model anything in this run.
    decided = [j for j in effective_judgements(load_judgements(tx)).values()
               if j.decision is not Decision.UNSURE and j.left in known and j.right in known]
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
    progress: Progress, stop: StopSignal,
) -> tuple[list[pd.DataFrame], int]:
    """Score the new records within their context; returns (pair frames, pairs compared).

    The model is trained on each run's data, and a batch of a few new rows cannot train it, so
    the new records are deduplicated together with a *context* of resolved records (see
    ``_context``); only pairs that touch a new record are kept, since the others were scored by
    earlier runs.
    """
    from parley.adapters.linkage import dedupe

    def linking(stage: str, fraction: float) -> None:
        stop.check(f"linking ({stage})")  # stops the worker too, at the next stage
        progress(f"linking: {stage}", int(fraction * 100), 100)

    if not new_ids or len(context) < 2:
        return [], 0
    try:
        # In a worker thread: one Splink stage can run for minutes inside DuckDB, where Python
        # cannot act on Ctrl-C; the waiting main thread can, and gives up on the worker.
        result = run_stoppable(
            lambda: dedupe(context, threshold=REVIEW_FLOOR, engine=engine, labels=labels,
                           progress=linking),
            stop, during="linking")
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


# --- the run ---------------------------------------------------------------------------------


def resolve_identities(
    ws: Workspace,
    *,
    actor: Actor,
    engine: str = "duckdb",
    full: bool = False,
    progress: Progress | None = None,
    stop: StopSignal | None = None,
) -> ResolveReport:
    """Link new source records into persons (all records with ``full=True``) and report.

    ``stop`` (set by Ctrl-C, see ``parley.services.interrupts``) ends the run with
    ``Interrupted`` within about a second; the store is then exactly as before the run."""
    actor.require(Action.RESOLVE)
    if engine not in ENGINES:
        raise InvalidInput(f"engine: '{engine}' is not one of {', '.join(ENGINES)}")
    report = progress or no_progress
    halt = stop or StopSignal()
    started = time.monotonic()

    with ws.store.reading() as rd:
        last = rd.scalar(select(func.max(ResolutionRun.max_record_id))) or 0
        top = rd.scalar(select(func.max(SourceRecord.id))) or 0
        above = 0 if full else int(last)
        new = _frame(rd, above=above, upto=top, stop=halt, progress=report)
        judged = _judged_records(rd)
        context = _context(rd, new, upto=above, extra=judged)
        labels = _labels(rd, known=set(context["record_id"]))

    halt.check("reading records")
    frames, compared = _score(context, set(new["record_id"]), engine=engine, labels=labels,
                              progress=report, stop=halt)
    halt.check("linking")

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
        for i, part in enumerate(chunks(rows, 2000)):
            halt.check("storing links")
            tx.execute(insert(IdentityLink), list(part))
            report("storing links", min((i + 1) * 2000, len(rows)), len(rows))

        if full:
            seeds = None
        else:
            seeds = {int(r) for r in new["record_id"]}
            for row in rows:
                seeds.add(row["left_record_id"])
                seeds.add(row["right_record_id"])
        outcome = recluster(tx, actor=actor, seeds=seeds, run_id=run.id, progress=report,
                            stop=halt)
        halt.check("summing up")  # the last moment a Ctrl-C can still undo the whole run

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
    for part in chunks(lefts):
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
