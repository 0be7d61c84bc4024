"""Linking inquiries to resolved persons with the identity engine, and telling the handler.

Open inquiries are scored by the same Splink model that resolves the registry, together with a
context of resolved records they could match (same surname key, same number) and an even sample
for the model to train on; only inquiry–record pairs are kept. Per inquiry, a person is a
candidate with the best probability among its records: one confident match (≥ 0.95, no other
person ≥ 0.5) links; anything else in [0.5, 0.95) waits for a reviewer with its probability and
each field's Bayes factor. A link is not evidence: the inquiry never joins the person's records.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from parley.clock import utcnow
from parley.domain.actors import Action, Actor
from parley.domain.families import REVIEW_FROM, Candidate, can_move, decide_link
from parley.domain.identity import REVIEW_FLOOR
from parley.domain.records import ADDRESS_FIELD, CANONICAL_FIELDS
from parley.errors import N_, InvalidInput, LinkageFailed, NotFound, ParleyError
from parley.services.journal import record_event
from parley.services.ports import Tx, repositories_of
from parley.services.ports.inquiries import InquiryRow, MatchableRecord
from parley.services.workspace import Workspace

CONTEXT_SAMPLE = 20_000
_PERSON_FIELDS = [f for f in CANONICAL_FIELDS if f not in ("record_id", "source")]


@dataclass
class MatchReport:
    linked: int = 0
    review: int = 0
    unmatched: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"linked": self.linked, "review": self.review, "unmatched": self.unmatched}


def _inquiry_frame(rows: Sequence[InquiryRow]) -> pd.DataFrame:
    data = []
    for r in rows:
        item: dict[str, str] = {f: str(getattr(r, f, "") or "") for f in _PERSON_FIELDS}
        item["status"] = ""
        item["record_id"], item["source"] = f"i{r.id}", "inquiry"
        item[ADDRESS_FIELD] = str((r.extras or {}).get(ADDRESS_FIELD, ""))
        data.append(item)
    return pd.DataFrame(data, columns=[*CANONICAL_FIELDS, ADDRESS_FIELD])


def _record_frame(rows: Sequence[tuple[MatchableRecord, str]]) -> pd.DataFrame:
    data = []
    for rec, source in rows:
        item = {f: str(getattr(rec, f) or "") for f in _PERSON_FIELDS}
        item["record_id"], item["source"] = f"r{rec.id}", str(source)
        item[ADDRESS_FIELD] = str((rec.extras or {}).get(ADDRESS_FIELD, ""))
        data.append(item)
    return pd.DataFrame(data, columns=[*CANONICAL_FIELDS, ADDRESS_FIELD])


def _weights(row: dict[Any, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in row.items():
        if isinstance(key, str) and key.startswith("bf_") and value is not None:
            number = float(value)
            if math.isfinite(number):
                out[key[3:]] = round(number, 3)
    return out


def score_inquiries(inquiries: pd.DataFrame, records: pd.DataFrame, *,
                    engine: str = "duckdb") -> pd.DataFrame:
    """Inquiry–record pairs at or above the review floor: ``inquiry_id, record_id,
    match_probability`` and the ``bf_*`` columns. Both frames use prefixed ids (``i…``, ``r…``)."""
    from parley.adapters.linkage import dedupe

    if inquiries.empty or records.empty:
        return pd.DataFrame(columns=["inquiry_id", "record_id", "match_probability"])
    both = pd.concat([records, inquiries], ignore_index=True)
    try:
        result = dedupe(both, threshold=REVIEW_FLOOR, engine=engine)
    except ParleyError:
        raise
    except Exception as err:  # a foreign library's failure, translated at the boundary
        line = (str(err).strip().splitlines() or [""])[0][:300]
        raise LinkageFailed(
            N_("the linkage engine could not score %(inquiries)s inquiries against %(records)s "
               "records (%(name)s: %(line)s)"),
            inquiries=len(inquiries), records=len(records), name=type(err).__name__, line=line,
        ) from err
    pairs = result.pairs
    if pairs.empty:
        return pd.DataFrame(columns=["inquiry_id", "record_id", "match_probability"])
    left = [str(v) for v in pairs["left_id"]]
    right = [str(v) for v in pairs["right_id"]]
    cross = [a.startswith("i") != b.startswith("i") for a, b in zip(left, right, strict=True)]
    pairs = pairs[cross].copy()
    kept = [(a, b) for a, b, c in zip(left, right, cross, strict=True) if c]
    pairs["inquiry_id"] = [int((a if a.startswith("i") else b)[1:]) for a, b in kept]
    pairs["record_id"] = [int((b if a.startswith("i") else a)[1:]) for a, b in kept]
    return pairs.reset_index(drop=True)


def _candidates(pairs: pd.DataFrame, person_of: dict[int, int]
                ) -> dict[int, tuple[list[Candidate], dict[int, dict[str, float]]]]:
    """Per inquiry: one candidate per person (its best record), and that pair's explanation."""
    best: dict[int, dict[int, tuple[float, list[int], dict[str, float]]]] = {}
    for rec in pairs.to_dict("records"):
        inquiry, record = int(rec["inquiry_id"]), int(rec["record_id"])
        person = person_of.get(record)
        if person is None:
            continue
        prob = float(rec["match_probability"])
        slot = best.setdefault(inquiry, {})
        old = slot.get(person)
        if old is None:
            slot[person] = (prob, [record], _weights(rec))
        else:
            records = sorted({*old[1], record})
            slot[person] = (prob, records, _weights(rec)) if prob > old[0] else (
                old[0], records, old[2])
    out: dict[int, tuple[list[Candidate], dict[int, dict[str, float]]]] = {}
    for inquiry, persons in best.items():
        cands = [Candidate(p, v[0], tuple(v[1])) for p, v in persons.items()]
        out[inquiry] = (cands, {p: v[2] for p, v in persons.items()})
    return out


def _link(tx: Tx, row: InquiryRow, *, person_id: int, record_ids: list[int],
          probability: float | None, by: str) -> None:
    row.state, row.person_id = "linked", person_id
    row.record_ids, row.probability = sorted(record_ids), probability
    row.linked_by, row.linked_at = by, utcnow()
    repositories_of(tx).inquiries.notify(tx, inquiry=row, kind="linked",
                message=f"inquiry {row.inquiry_key or row.id} is linked to person {person_id}",
                record_ids=record_ids)


def match_inquiries(ws: Workspace, *, actor: Actor, engine: str = "duckdb") -> MatchReport:
    """Link open inquiries to persons (confident), or queue candidates for review; audited."""
    actor.require(Action.MANAGE_INQUIRIES)
    report = MatchReport()
    with ws.store.reading() as rd:
        repo = ws.repos.inquiries
        open_rows = repo.all(rd, state="open")
        if not open_rows:
            return report
        step = max(1, -(-repo.resolved_count(rd) // CONTEXT_SAMPLE))
        records = repo.resolved_records(
            rd, family_keys={r.family_key for r in open_rows},
            numbers={n for r in open_rows for n in (r.service_number, r.document_number)},
            sample_every=step)
        person_of = {int(rec.id): int(rec.person_id or 0) for rec, _ in records}
        pairs = score_inquiries(_inquiry_frame(open_rows), _record_frame(records),
                                engine=engine)
    found = _candidates(pairs, person_of)
    with ws.store.transaction() as tx:
        repo = ws.repos.inquiries
        for row in repo.all(tx, state="open"):
            cands, explain = found.get(row.id, ([], {}))
            outcome, best = decide_link(cands)
            if outcome == "linked" and best is not None:
                _link(tx, row, person_id=best.person_id, record_ids=list(best.record_ids),
                      probability=best.probability, by="model")
                report.linked += 1
            elif outcome == "review":
                new = False
                for cand in cands:
                    if cand.probability >= REVIEW_FROM:
                        new |= repo.put_candidate(
                            tx, inquiry_id=row.id, person_id=cand.person_id,
                            probability=round(cand.probability, 6),
                            record_ids=list(cand.record_ids),
                            explanation=explain.get(cand.person_id, {}))
                if new:
                    repo.notify(tx, inquiry=row, kind="review",
                                message=f"inquiry {row.inquiry_key or row.id} may be about a "
                                        "known person: a reviewer must decide")
                report.review += 1
            else:
                report.unmatched += 1
        record_event(tx, actor=actor, action="inquiries.match", target="inquiries",
                     payload={**report.as_dict(), "engine": engine})
    return report


def decide_candidate(ws: Workspace, *, actor: Actor, inquiry_id: int, person_id: int,
                     decision: str, note: str = "") -> str:
    """A reviewer's decision on an inquiry's candidate person: ``link`` or ``reject``."""
    actor.require(Action.MANAGE_INQUIRIES)
    if decision not in ("link", "reject"):
        raise InvalidInput(
            N_("decision: '%(decision)s' is not one of link, reject"),
            decision=decision,
        )
    with ws.store.transaction() as tx:
        repo = ws.repos.inquiries
        row = repo.get(tx, inquiry_id)
        if row is None:
            raise NotFound(N_("no inquiry %(inquiry_id)s"), inquiry_id=inquiry_id)
        cand = repo.candidate(tx, inquiry_id, person_id)
        if decision == "link" and not can_move(row.state, "linked"):
            raise InvalidInput(
                N_("inquiry %(inquiry_id)s is %(state)s: it cannot be linked"),
                inquiry_id=inquiry_id, state=row.state,
            )
        if cand is not None:
            cand.state = "accepted" if decision == "link" else "rejected"
            cand.decided_by, cand.decided_at = actor.username, utcnow()
        if decision == "link":
            if not repo.person_exists(tx, person_id):
                raise NotFound(N_("no person %(person_id)s"), person_id=person_id)
            _link(tx, row, person_id=person_id,
                  record_ids=[int(r) for r in (cand.record_ids if cand else [])],
                  probability=cand.probability if cand else None, by=actor.username)
        record_event(tx, actor=actor, action="inquiries.decide", target=f"inquiry:{row.id}",
                     payload={"person_id": person_id, "decision": decision, "note": note})
        return row.state


def notify_new_records(ws: Workspace, *, actor: Actor, batch_id: int) -> int:
    """After an import: tell the handler of each open inquiry whose sought person's name keys
    (and birth year, where both have one) a new record shares; returns notifications made."""
    made = 0
    with ws.store.transaction() as tx:
        repo = ws.repos.inquiries
        open_rows = [r for r in repo.all(tx, state="open") if r.family_key]
        if not open_rows:
            return 0
        by_key: dict[str, list[InquiryRow]] = {}
        for r in open_rows:
            by_key.setdefault(r.family_key, []).append(r)
        for rec in repo.records_of_batch(tx, batch_id, by_key):
            for inq in by_key.get(rec.family_key, []):
                if inq.given_key and rec.given_key and inq.given_key != rec.given_key:
                    continue
                if inq.birth_date and rec.birth_date and inq.birth_date[:4] != rec.birth_date[:4]:
                    continue
                repo.notify(tx, inquiry=inq, kind="new_record",
                            message=f"a new record ({rec.id}) may be the person inquiry "
                                    f"{inq.inquiry_key or inq.id} asks about",
                            record_ids=[rec.id])
                made += 1
        if made:
            record_event(tx, actor=actor, action="inquiries.notified", target=f"batch:{batch_id}",
                         payload={"notifications": made})
    return made


def list_notifications(ws: Workspace, *, actor: Actor, mine_only: bool = True,
                       limit: int = 200) -> list[dict[str, Any]]:
    actor.require(Action.READ_INQUIRIES)
    with ws.store.reading() as tx:
        rows = ws.repos.inquiries.notifications(
            tx, handler=actor.username if mine_only else None, limit=limit)
        return [{"id": n.id, "inquiry_id": n.inquiry_id, "kind": n.kind, "message": n.message,
                 "record_ids": [int(r) for r in n.record_ids],
                 "created_at": n.created_at.isoformat()} for n in rows]
