"""Deriving persons from stored links and judgements, and everything that hangs on a person:
evidence statements, display name and status, conflicts and verification.

``recluster`` works on the records around some seeds (a run's new links, a reviewer's pair) and
runs inside the caller's transaction; ``resolve_identities`` and the review service call it. The
rules themselves are pure and live in ``parley.domain.identity``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session

from parley.adapters.sql.base import utcnow
from parley.adapters.sql.identity_tables import (
    IdentityConflict,
    IdentityJudgement,
    IdentityLink,
    PersonRedirect,
    SourceListPolicy,
)
from parley.adapters.sql.tables import Evidence, Person, Source, SourceRecord
from parley.domain.actors import Actor
from parley.domain.agencies import INTELLIGENCE_AGENCIES
from parley.domain.identity import (
    AUTO_ACCEPT,
    Claim,
    ClusterResult,
    ConflictFinding,
    ConflictKind,
    Decision,
    Judgement,
    Link,
    assign_person_ids,
    cluster_records,
    detect_person_conflicts,
    detect_shared_numbers,
)
from parley.domain.policy import level
from parley.domain.records import CANONICAL_FIELDS
from parley.domain.verification import Verification, verify_identity
from parley.progress import no_progress
from parley.services.interrupts import StopSignal

__all__ = [
    "EVIDENCE_FIELDS",
    "Progress",
    "chunks",
    "duplicate_free_sources",
    "load_judgements",
    "recluster",
]

EVIDENCE_FIELDS: tuple[str, ...] = tuple(
    f for f in CANONICAL_FIELDS if f not in ("record_id", "source", "notes")
)
_CHUNK = 500

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)`` with a known total: every ``parley.progress.Progress`` is one
(and so are callers' older three-int callbacks)."""


def chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def duplicate_free_sources(tx: Session) -> frozenset[str]:
    return frozenset(
        str(sid) for sid in tx.scalars(
            select(SourceListPolicy.source_id).where(SourceListPolicy.duplicate_free.is_(True))
        )
    )


def load_judgements(tx: Session, record_ids: Iterable[int] | None = None) -> list[Judgement]:
    stmt = select(IdentityJudgement)
    rows: list[IdentityJudgement] = []
    if record_ids is None:
        rows = list(tx.scalars(stmt))
    else:
        ids = sorted(set(record_ids))
        seen: set[int] = set()
        for part in chunks(ids):
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
        for part in chunks(ids):
            pids = {p for p in tx.scalars(
                select(SourceRecord.person_id).where(SourceRecord.id.in_(part),
                                                     SourceRecord.person_id.is_not(None)))}
            for pchunk in chunks(sorted(pids)):
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
    for part in chunks(list(ids)):
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
    for part in chunks(list(ids)):
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
    stop: StopSignal | None = None,
) -> dict[str, int]:
    """Re-derive persons for the records around ``seeds`` (all records if ``None``) from stored
    links and judgements, then refresh evidence, conflicts and verification for every person
    touched. Runs in the caller's transaction; the caller records the audit event. A requested
    ``stop`` raises ``Interrupted`` between chunks, and the caller's transaction rolls back."""
    report = progress or no_progress
    halt = stop or StopSignal()
    ids = _scope(tx, seeds)
    halt.check("clustering")
    report("clustering", 0, len(ids))
    infos = _record_infos(tx, ids)
    links = _links_within(tx, ids, full=seeds is None)
    judgements = load_judgements(tx, None if seeds is None else ids)
    inside = {str(i) for i in ids}
    judgements = [j for j in judgements if j.left in inside and j.right in inside]
    dup_free = duplicate_free_sources(tx)
    result = cluster_records(
        (str(i) for i in ids), links, judgements,
        source_of={str(i): str(info.source_id) for i, info in infos.items()},
        duplicate_free=dup_free,
    )
    assigned, redirects = assign_person_ids(
        result.clusters, {str(i): info.person_id for i, info in infos.items()})
    report("clustering", len(ids), len(ids))
    halt.check("clustering")

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
        # The absorbed person's conflicts follow it (and lapse below if they no longer hold).
        tx.execute(update(IdentityConflict).where(IdentityConflict.person_id == old)
                   .values(person_id=new))
    # A person that comes back to life after a split is no longer redirected.
    living = [pid for pid in assigned.values() if pid is not None]
    for part in chunks(living):
        tx.execute(delete(PersonRedirect).where(PersonRedirect.old_person_id.in_(part)))

    person_of: dict[int, int] = {}
    for key, members in result.clusters.items():
        owner = assigned[key]
        assert owner is not None
        for m in members:
            person_of[int(m)] = owner
    moved = [{"id": rid, "person_id": pid} for rid, pid in person_of.items()
             if infos[rid].person_id != pid]
    for part in chunks(moved, 2000):
        halt.check("assigning persons")
        tx.execute(update(SourceRecord), list(part))
    # Evidence follows its record; only records resolved before can have evidence already.
    regrouped: dict[int, list[int]] = defaultdict(list)
    for row in moved:
        if infos[row["id"]].person_id is not None:
            regrouped[row["person_id"]].append(row["id"])
    for pid, rids in regrouped.items():
        for part in chunks(rids):
            tx.execute(update(Evidence).where(Evidence.source_record_id.in_(part))
                       .values(person_id=pid))
    tx.flush()
    _write_evidence(tx, infos, person_of, progress=report, stop=halt)

    members_of: dict[int, list[_RecordInfo]] = defaultdict(list)
    for rid, pid in person_of.items():
        members_of[pid].append(infos[rid])
    doubles = _list_doubles(tx, infos, dup_free)
    raised = _refresh_persons(tx, members_of, result, person_of, doubles, run_id=run_id,
                              progress=report, stop=halt)
    tx.flush()
    return {"persons_touched": len(members_of), "conflicts_raised": raised,
            "records_moved": len(moved), "redirects": len(redirects)}


def _evidence_hash(record_id: int, prop: str, value: str) -> str:
    return hashlib.sha256(f"{record_id}\x1f{prop}\x1f{value}".encode()).hexdigest()


def _write_evidence(tx: Session, infos: dict[int, _RecordInfo], person_of: dict[int, int],
                    *, progress: Progress, stop: StopSignal) -> None:
    """One immutable statement per non-empty field of each record that has none yet."""
    ids = sorted(infos)
    have: set[int] = set()
    for part in chunks(ids):
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
    for i, part in enumerate(chunks(rows, 5000)):
        stop.check("writing evidence")
        tx.execute(insert(Evidence), list(part))
        progress("writing evidence", min((i + 1) * 5000, len(rows)), len(rows))


def _grade_rank(grade: str) -> tuple[int, int]:
    g = (grade or "F6").upper()
    letter = "ABCDEF".find(g[0]) if g else 5
    digit = int(g[1]) if len(g) > 1 and g[1].isdigit() else 6
    return (letter if letter >= 0 else 5, digit)


def _display_name(members: Sequence[_RecordInfo]) -> str:
    """From the best-graded record, preferring non-intelligence sources and lower
    classifications, so the name most readers may see is the one that labels the person."""
    best = min(members, key=lambda m: (m.agency in INTELLIGENCE_AGENCIES,
                                       level(m.classification), _grade_rank(m.reliability), m.id))
    v = best.values
    return " ".join(p for p in (v["family_name"], v["given_name"], v["patronymic"]) if p)[:300]


def _person_status(members: Sequence[_RecordInfo], disputed: bool) -> str:
    if disputed:
        return "disputed"
    with_status = [m for m in members if m.values["status"]]
    if not with_status:
        return "unknown"
    best = min(with_status, key=lambda m: (m.agency in INTELLIGENCE_AGENCIES,
                                           level(m.classification), _grade_rank(m.reliability),
                                           -m.id))
    return best.values["status"][:16]


def _reason_text(v: Verification) -> str:
    lines = [v.summary()]
    lines.extend(("✓ " if r.agrees else "✗ ") + r.sentence() for r in v.reasons)
    return "\n".join(lines)


def _refresh_persons(
    tx: Session,
    members_of: dict[int, list[_RecordInfo]],
    result: ClusterResult,
    person_of: dict[int, int],
    doubles: list[ConflictFinding],
    *,
    run_id: int | None,
    progress: Progress,
    stop: StopSignal,
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
            stop.check("verifying persons")
            progress("persons", n, total)
    for part in chunks(updates, 2000):
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
    for part in chunks(numbers):
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
    for part in chunks(on_lists):
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


def _clustering_findings(result: ClusterResult, person_of: dict[int, int]
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
    for part in chunks(fps):
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
    for part in chunks(sorted(touched)):
        for c in tx.scalars(select(IdentityConflict).where(
                IdentityConflict.person_id.in_(part), IdentityConflict.state == "open")):
            if c.fingerprint not in fingerprints:
                c.state = "lapsed"
                c.resolved_at = utcnow()
                c.resolution = "no longer present after re-clustering"
    tx.flush()
    return raised
