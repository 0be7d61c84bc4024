"""The review queue and reviewers' decisions.

Pairs the model scored in the uncertain band (``REVIEW_FLOOR`` ≤ p < ``AUTO_ACCEPT``) and that no
judgement in force covers wait here, most consequential first (``review_priority``: uncertainty ×
records the decision would merge or split). A decision is an attributed judgement that overrides
the model at once: the persons around the pair are re-clustered in the same transaction, and the
act is audited. A judgement is never edited; it is superseded by a later one or retracted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parley.clock import utcnow
from parley.domain.actors import Action, Actor
from parley.domain.identity import (
    AUTO_ACCEPT,
    REVIEW_FLOOR,
    Decision,
    judgement_hash,
    pair_key,
    review_priority,
)
from parley.domain.policy import Kind
from parley.domain.records import ADDRESS_FIELD
from parley.errors import N_, InvalidInput, NotFound
from parley.services.access import redact_many
from parley.services.clustering import recluster
from parley.services.journal import record_event
from parley.services.ports.records import SourceRecordRow
from parley.services.ports.registry import RECORD_FIELDS
from parley.services.ports.review import JudgementView
from parley.services.workspace import Workspace

__all__ = [
    "JudgementView",
    "ReviewItem",
    "judgements_for",
    "record_review_decision",
    "record_view",
    "retract_judgement",
    "review_queue",
]

NAME_PARTS = ("family_name", "given_name", "patronymic")
# How many band pairs are scored for priority before the top ``limit`` are shown.
_CANDIDATES = 2000


def romanise(text: str) -> str:
    """Latin form of a name for reviewers who read one script better (``parley.names``)."""
    if not text:
        return ""
    from parley.names import romanize

    return str(romanize(text))


@dataclass(frozen=True)
class ReviewItem:
    """One pair for a reviewer: both records (redacted), each field's weight, and the stakes."""

    left: dict[str, Any]
    right: dict[str, Any]
    match_probability: float
    match_weight: float
    weights: dict[str, float]
    priority: float
    records_affected: int
    left_person_id: int | None
    right_person_id: int | None
    judgements: list[JudgementView] = field(default_factory=list)

    @property
    def left_record_id(self) -> int:
        return int(self.left["id"])

    @property
    def right_record_id(self) -> int:
        return int(self.right["id"])

    def as_dict(self) -> dict[str, Any]:
        return {
            "left": self.left, "right": self.right,
            "match_probability": self.match_probability, "match_weight": self.match_weight,
            "weights": self.weights, "priority": self.priority,
            "records_affected": self.records_affected,
            "left_person_id": self.left_person_id, "right_person_id": self.right_person_id,
            "judgements": [j.as_dict() for j in self.judgements],
        }


def _raw_record(row: SourceRecordRow, source: str) -> dict[str, Any]:
    item: dict[str, Any] = {f: getattr(row, f) for f in RECORD_FIELDS}
    item[ADDRESS_FIELD] = (row.extras or {}).get(ADDRESS_FIELD, "")
    item.update(
        id=row.id, person_id=row.person_id, source=source, agency_code=row.agency_code,
        classification=row.classification, reliability=row.reliability,
        file_name=row.file_name, line_no=row.line_no, originals=dict(row.originals or {}),
    )
    return item


def record_view(actor: Actor, row: SourceRecordRow, source: str) -> dict[str, Any] | None:
    """A record as the actor may see it, with romanised name parts; None if not theirs."""
    shown = redact_many(actor, Kind.SOURCE_RECORD, [_raw_record(row, source)])
    if not shown:
        return None
    item = shown[0]
    item["romanised"] = {p: romanise(str(item.get(p, ""))) for p in NAME_PARTS if p in item}
    item["id"] = row.id
    return item


def review_queue(ws: Workspace, *, actor: Actor, limit: int = 20) -> list[ReviewItem]:
    """The uncertain pairs no judgement covers, most consequential first."""
    actor.require(Action.REVIEW_MATCH)
    if limit < 1:
        raise InvalidInput(N_("limit: must be at least 1, not %(limit)s"), limit=limit)
    repo = ws.repos.review
    with ws.store.reading() as tx:
        decided = repo.decided_pairs(tx)
        # The most uncertain pairs first (closest to 0.5 in log-odds terms: |weight| smallest).
        links = [
            lk for lk in repo.band(tx, floor=REVIEW_FLOOR, ceiling=AUTO_ACCEPT,
                                   limit=_CANDIDATES + len(decided))
            if (lk.left_record_id, lk.right_record_id) not in decided
        ][:_CANDIDATES]
        ids = {lk.left_record_id for lk in links} | {lk.right_record_id for lk in links}
        records = repo.records(tx, ids)
        pids = {r.person_id for r, _ in records.values() if r.person_id is not None}
        sizes = repo.person_sizes(tx, pids)
        scored: list[ReviewItem] = []
        for lk in links:
            left_row, left_src = records[lk.left_record_id]
            right_row, right_src = records[lk.right_record_id]
            lp, rp = left_row.person_id, right_row.person_id
            if lp is not None and lp == rp:
                affected = sizes.get(lp, 2)  # a "no match" would split this person
            else:
                affected = (sizes.get(lp, 1) if lp else 1) + (sizes.get(rp, 1) if rp else 1)
            left = record_view(actor, left_row, left_src)
            right = record_view(actor, right_row, right_src)
            if left is None or right is None:
                continue  # a pair half of which the actor may not see is not theirs to judge
            scored.append(ReviewItem(
                left=left, right=right, match_probability=lk.match_probability,
                match_weight=lk.match_weight,
                weights=dict(lk.field_weights),
                priority=round(review_priority(lk.match_probability, affected), 6),
                records_affected=affected, left_person_id=lp, right_person_id=rp,
            ))
    scored.sort(key=lambda it: (-it.priority, it.left_record_id, it.right_record_id))
    return scored[:limit]


def review_pair(ws: Workspace, *, actor: Actor, left_record_id: int,
                right_record_id: int) -> ReviewItem:
    """One pair in review form (the queue's item, or any two records a reviewer names)."""
    actor.require(Action.REVIEW_MATCH)
    if left_record_id == right_record_id:
        raise InvalidInput(N_("a record cannot be reviewed against itself: name two records"))
    a, b = (int(x) for x in pair_key(str(left_record_id), str(right_record_id)))
    repo = ws.repos.review
    with ws.store.reading() as tx:
        records = repo.records(tx, {a, b})
        if a not in records or b not in records:
            missing = a if a not in records else b
            raise NotFound(N_("no source record %(record_id)s"), record_id=missing)
        lk = repo.scored(tx, a, b)
        left = record_view(actor, *records[a])
        right = record_view(actor, *records[b])
        if left is None or right is None:
            raise NotFound(N_("no source record %(record_id)s"),
                           record_id=a if left is None else b)
        lp, rp = records[a][0].person_id, records[b][0].person_id
        sizes = repo.person_sizes(tx, {p for p in (lp, rp) if p is not None})
        affected = sizes.get(lp, 1) if lp and lp == rp else \
            (sizes.get(lp, 1) if lp else 1) + (sizes.get(rp, 1) if rp else 1)
        probability = lk.match_probability if lk else 0.0
        history = repo.judgements_of_pair(tx, a, b)
        return ReviewItem(
            left=left, right=right, match_probability=probability,
            match_weight=lk.match_weight if lk else 0.0,
            weights=dict(lk.field_weights) if lk else {},
            priority=round(review_priority(probability, affected), 6) if lk else 0.0,
            records_affected=affected, left_person_id=lp, right_person_id=rp,
            judgements=history,
        )


def record_review_decision(
    ws: Workspace,
    *,
    actor: Actor,
    left_record_id: int,
    right_record_id: int,
    decision: str | Decision,
    note: str = "",
) -> JudgementView:
    """Store a reviewer's decision, supersede the one before it, and re-cluster at once."""
    actor.require(Action.REVIEW_MATCH)
    try:
        chosen = decision if isinstance(decision, Decision) else Decision.parse(decision)
    except ValueError:
        raise InvalidInput(N_("decision: '%(text)s' is not a decision (expected match, no-match "
                              "or unsure)"), text=decision) from None
    try:
        a, b = (int(x) for x in pair_key(str(left_record_id), str(right_record_id)))
    except ValueError:
        raise InvalidInput(N_("decision: a record cannot be judged against itself")) from None
    repo = ws.repos.review
    with ws.store.transaction() as tx:
        records = repo.records(tx, {a, b})
        for rid in (a, b):
            if rid not in records or record_view(actor, *records[rid]) is None:
                raise NotFound(N_("no source record %(record_id)s"), record_id=rid)
        now = utcnow()
        superseded = repo.withdraw_pair(tx, a, b, at=now, by=actor.username,
                                        reason="superseded by a later decision")
        scored = repo.scored(tx, a, b)
        probability = scored.match_probability if scored is not None else None
        content_hash = judgement_hash(str(a), str(b), chosen, actor.username, now, note.strip())
        row = repo.add_judgement(
            tx, left_record_id=a, right_record_id=b, decision=chosen.value, note=note.strip(),
            actor=actor.username, actor_agency=actor.agency, match_probability=probability,
            decided_at=now, content_hash=content_hash)
        outcome = recluster(tx, repo=ws.repos.resolution, actor=actor, seeds={a, b})
        record_event(tx, actor=actor, action="identity.judgement", target=f"judgement:{row.id}",
                     payload={"left_record_id": a, "right_record_id": b,
                              "decision": chosen.value, "note": row.note,
                              "match_probability": probability, "supersedes": superseded,
                              "content_hash": content_hash, **outcome})
        return row


def retract_judgement(ws: Workspace, *, actor: Actor, judgement_id: int,
                      reason: str) -> JudgementView:
    """Withdraw a judgement (the model decides the pair again), audited, with a reason."""
    actor.require(Action.REVIEW_MATCH)
    if not reason.strip():
        raise InvalidInput(N_("reason: a retraction needs a reason"))
    with ws.store.transaction() as tx:
        row = ws.repos.review.judgement(tx, judgement_id)
        if row is None:
            raise NotFound(N_("no judgement %(judgement_id)s"), judgement_id=judgement_id)
        if row.retracted_at is not None:
            raise InvalidInput(N_("judgement %(judgement_id)s is already withdrawn"),
                               judgement_id=judgement_id)
        row = ws.repos.review.withdraw(tx, judgement_id, at=utcnow(), by=actor.username,
                                       reason=reason.strip())
        outcome = recluster(tx, repo=ws.repos.resolution, actor=actor,
                            seeds={row.left_record_id, row.right_record_id})
        record_event(tx, actor=actor, action="identity.judgement_retracted",
                     target=f"judgement:{row.id}",
                     payload={"reason": row.retraction_reason, "decision": row.decision,
                              "left_record_id": row.left_record_id,
                              "right_record_id": row.right_record_id, **outcome})
        return row


def judgements_for(ws: Workspace, *, actor: Actor, record_ids: list[int]) -> list[JudgementView]:
    """Every judgement (in force or not) touching these records, oldest first."""
    actor.require(Action.READ_RECORD)
    if not record_ids:
        return []
    with ws.store.reading() as tx:
        return ws.repos.review.judgements_touching(tx, record_ids)
