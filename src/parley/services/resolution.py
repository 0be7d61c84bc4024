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

import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from parley.domain.actors import Action, Actor
from parley.domain.identity import REVIEW_FLOOR, Decision, effective_judgements
from parley.errors import N_, InvalidInput, LinkageFailed, NotFound, ParleyError
from parley.progress import no_progress
from parley.services.clustering import EVIDENCE_FIELDS, Progress, recluster
from parley.services.interrupts import StopSignal, run_stoppable
from parley.services.journal import record_event
from parley.services.ports import Tx
from parley.services.ports.resolution import ResolutionRepository
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
# Links written per statement batch.
_LINK_CHUNK = 2000


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
        source_id = ws.repos.resolution.set_duplicate_free(
            tx, source=source, duplicate_free=duplicate_free, set_by=actor.username)
        if source_id is None:
            raise NotFound(N_("no source named '%(source)s'"), source=source)
        record_event(tx, actor=actor, action="identity.list_policy", target=f"source:{source_id}",
                     payload={"source": source, "duplicate_free": duplicate_free})


# --- loading ---------------------------------------------------------------------------------


def _frame(tx: Tx, repo: ResolutionRepository, *, above: int, upto: int, stop: StopSignal,
           progress: Progress) -> pd.DataFrame:
    """Records with ids in (``above``, ``upto``] for the linkage model, read in chunks so a
    Ctrl-C is honoured and the bar moves while a large registry loads."""
    total = repo.count_records(tx, above=above, upto=upto)
    parts: list[pd.DataFrame] = []
    done, low = 0, above
    while True:
        stop.check("reading records")
        part = repo.record_frame(tx, above=low, upto=upto, limit=_READ_CHUNK)
        if part.empty:
            break
        parts.append(part)
        low = int(part["record_id"].iloc[-1])
        done += len(part)
        progress("reading records", done, total)
    if not parts:
        return repo.record_frame(tx, above=upto, upto=upto, limit=1)
    return pd.concat(parts, ignore_index=True)


def _judged_records(tx: Tx, repo: ResolutionRepository) -> set[int]:
    """Records in reviewers' match / no-match decisions, once there are enough to learn from:
    they join every run's context so the decisions re-estimate the model each time."""
    decided = [j for j in effective_judgements(repo.judgements(tx)).values()
               if j.decision is not Decision.UNSURE]
    if len(decided) < MIN_LABELS or len({j.decision for j in decided}) < 2:
        return set()
    return {int(r) for j in decided for r in j.key}


def _context(tx: Tx, repo: ResolutionRepository, new: pd.DataFrame, *, upto: int,
             extra: set[int] | None = None) -> pd.DataFrame:
    """New records plus the resolved records they could match (same surname key or spelling,
    same service or document number) plus an even sample of the registry to train on, so an
    incremental run costs about the size of the new batch, not of the registry."""
    if upto <= 0 or new.empty:
        return new
    found: set[int] = set()
    for col in ("family_name", "service_number", "document_number"):
        values = {v for v in new[col].astype(str) if v}
        found |= repo.ids_with_values(tx, col, values, upto=upto)
    family_keys = repo.family_keys(tx, [int(i) for i in new["record_id"]])
    found |= repo.ids_with_values(tx, "family_key", family_keys, upto=upto)
    total = repo.count_records(tx, above=0, upto=upto)
    found |= repo.every_nth_id(tx, upto=upto, step=max(1, -(-total // CONTEXT_SAMPLE)))
    found.update(i for i in (extra or set()) if i <= upto)
    return pd.concat([repo.record_frame_of(tx, sorted(found)), new], ignore_index=True)


def _labels(tx: Tx, repo: ResolutionRepository, *, known: set[str]) -> pd.DataFrame | None:
    # Only pairs inside this run's frame can teach the model anything in this run.
    decided = [j for j in effective_judgements(repo.judgements(tx)).values()
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


def _best_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    """Scored pairs at or above the review floor, ids as ints with left < right, one row per
    pair (a pair seen twice, by link and by dedupe, keeps its higher score). Columnar: a large
    run has millions of pairs, too many to hold as one dict each."""
    if pairs is None or pairs.empty:
        return pd.DataFrame(columns=["left_record_id", "right_record_id", "match_probability",
                                     "match_weight"])
    kept = pairs[pairs["match_probability"] >= REVIEW_FLOOR]
    a = kept["left_id"].astype(np.int64).to_numpy()
    b = kept["right_id"].astype(np.int64).to_numpy()
    weights = [c for c in kept.columns if isinstance(c, str) and c.startswith("bf_")]
    weight = (kept["match_weight"].astype(float) if "match_weight" in kept.columns
              else pd.Series(0.0, index=kept.index))
    out = pd.DataFrame({
        "left_record_id": np.minimum(a, b), "right_record_id": np.maximum(a, b),
        "match_probability": kept["match_probability"].astype(float).to_numpy(),
        "match_weight": weight.where(np.isfinite(weight), 0.0).to_numpy(),
        **{c: kept[c].astype(float).to_numpy() for c in weights},
    })
    out = out[out["left_record_id"] != out["right_record_id"]]
    out = out.sort_values("match_probability", ascending=False, kind="stable")
    return out.drop_duplicates(["left_record_id", "right_record_id"]).reset_index(drop=True)


def _link_rows(part: pd.DataFrame, run_id: int) -> list[dict[str, Any]]:
    """Rows for the link table, built a chunk at a time; per-field log2 Bayes factors kept where
    finite (a waterfall's bars)."""
    weights = [c for c in part.columns if c.startswith("bf_")]
    rows: list[dict[str, Any]] = []
    for rec in part.to_dict("records"):
        rows.append({
            "left_record_id": int(rec["left_record_id"]),
            "right_record_id": int(rec["right_record_id"]),
            "match_probability": float(rec["match_probability"]),
            "match_weight": float(rec["match_weight"]),
            "field_weights": {c[3:]: round(float(rec[c]), 4) for c in weights
                              if np.isfinite(rec[c])},
            "run_id": run_id,
        })
    return rows


def _score(
    context: pd.DataFrame, new_ids: set[str], *, engine: str, labels: pd.DataFrame | None,
    progress: Progress, stop: StopSignal,
) -> tuple[pd.DataFrame, int]:
    """Score the new records within their context; returns (best pairs, pairs compared).

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
        return _best_pairs(pd.DataFrame()), 0
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
            N_("the %(engine)s linkage engine could not score %(new)s new records in a "
               "context of %(context)s (%(name)s: %(first_line)s)"),
            engine=engine, new=len(new_ids), context=len(context), name=type(err).__name__,
            first_line=first_line,
        ) from err
    pairs = result.pairs
    if len(new_ids) < len(context) and not pairs.empty:
        touches = pairs["left_id"].astype(str).isin(new_ids) | \
            pairs["right_id"].astype(str).isin(new_ids)
        pairs = pairs[touches]
    return _best_pairs(pairs), int(result.stats.get("pairs_compared", 0) or 0)


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
        raise InvalidInput(
            N_("engine: '%(engine)s' is not one of %(ENGINES)s"),
            engine=engine, ENGINES=', '.join(ENGINES),
        )
    report = progress or no_progress
    halt = stop or StopSignal()
    repo = ws.repos.resolution
    started = time.monotonic()

    with ws.store.reading() as rd:
        last = repo.resolved_up_to(rd)
        top = repo.newest_record_id(rd)
        above = 0 if full else last
        new = _frame(rd, repo, above=above, upto=top, stop=halt, progress=report)
        judged = _judged_records(rd, repo)
        context = _context(rd, repo, new, upto=above, extra=judged)
        labels = _labels(rd, repo, known=set(context["record_id"]))

    halt.check("reading records")
    new_ids = set(new["record_id"])
    del new
    pairs, compared = _score(context, new_ids, engine=engine, labels=labels,
                             progress=report, stop=halt)
    del context
    halt.check("linking")

    with ws.store.transaction() as tx:
        run_id = repo.start_run(tx, actor=actor.username, engine=engine, full=full,
                                max_record_id=max(top, last))
        if full:
            repo.forget_links(tx)
        elif not pairs.empty:
            # Incremental runs never rescore a stored pair (it keeps its first score).
            known = repo.stored_pairs(tx, sorted(set(pairs["left_record_id"].tolist())))
            keys = zip(pairs["left_record_id"].tolist(), pairs["right_record_id"].tolist(),
                       strict=True)
            pairs = pairs[[k not in known for k in keys]].reset_index(drop=True)
        for start in range(0, len(pairs), _LINK_CHUNK):
            halt.check("storing links")
            repo.add_links(tx, _link_rows(pairs.iloc[start : start + _LINK_CHUNK], run_id))
            report("storing links", min(start + _LINK_CHUNK, len(pairs)), len(pairs))

        if full:
            seeds = None
        else:
            seeds = {int(r) for r in new_ids}
            seeds.update(int(i) for i in pairs["left_record_id"].tolist())
            seeds.update(int(i) for i in pairs["right_record_id"].tolist())
        outcome = recluster(tx, repo=repo, actor=actor, seeds=seeds, run_id=run_id,
                            progress=report, stop=halt)
        halt.check("summing up")  # the last moment a Ctrl-C can still undo the whole run

        summary = repo.summary(tx)
        result = ResolveReport(
            run_id=run_id, engine=engine, full=full, records=summary["records"],
            new_records=len(new_ids), persons=summary["persons"],
            persons_touched=outcome["persons_touched"], links=summary["links"],
            new_links=len(pairs), pairs_compared=compared,
            in_review_band=summary["in_review_band"], conflicts_open=summary["conflicts_open"],
            conflicts_raised=outcome["conflicts_raised"], verified=summary["verified"],
            labels_used=0 if labels is None else len(labels),
            seconds=round(time.monotonic() - started, 2),
        )
        repo.finish_run(tx, run_id, result.as_dict())
        record_event(tx, actor=actor, action="identity.resolve", target=f"resolution_run:{run_id}",
                     payload=result.as_dict())
    return result
