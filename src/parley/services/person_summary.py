"""Everything that hangs on a person once clustering has said which records it holds: evidence
statements, display name and status, verification, and conflicts.

Persons are refreshed in chunks of records (``_RECORDS``): each chunk's facts are read, turned
into evidence and person rows, written and dropped, so a run over a million records never holds
a million records' values at once, and a Ctrl-C is honoured between chunks. Only claims that
carry a service number outlive their chunk, for the shared-number check across persons.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from parley.domain.agencies import INTELLIGENCE_AGENCIES
from parley.domain.identity import (
    Claim,
    ClusterResult,
    ConflictFinding,
    ConflictKind,
    detect_person_conflicts,
    detect_shared_numbers,
)
from parley.domain.policy import level
from parley.domain.records import CANONICAL_FIELDS
from parley.domain.verification import Verification, verify_identity
from parley.services.interrupts import StopSignal
from parley.services.ports import Tx
from parley.services.ports.resolution import RecordFacts, RecordPlace, ResolutionRepository

__all__ = ["EVIDENCE_FIELDS", "refresh_persons"]

EVIDENCE_FIELDS: tuple[str, ...] = tuple(
    f for f in CANONICAL_FIELDS if f not in ("record_id", "source", "notes")
)
# Records whose facts are held at once while persons are refreshed.
_RECORDS = 5000
_CHUNK = 500

Progress = Callable[[str, int, int], None]
Found = tuple[int | None, ConflictFinding]


def _now() -> datetime:
    return datetime.now(UTC)


def _claim(info: RecordFacts) -> Claim:
    v = info.values
    return Claim(
        record=str(info.id), source=info.source, agency=info.agency,
        reliability=info.reliability, family_name=v["family_name"],
        given_name=v["given_name"], patronymic=v["patronymic"], name_key=info.name_key,
        birth_date=v["birth_date"], status=v["status"], service_number=v["service_number"],
        document_number=v["document_number"],
    )


def _evidence_hash(record_id: int, prop: str, value: str) -> str:
    return hashlib.sha256(f"{record_id}\x1f{prop}\x1f{value}".encode()).hexdigest()


def _evidence_rows(facts: Mapping[int, RecordFacts], person_of: Mapping[int, int],
                   have: set[int], now: datetime) -> list[dict[str, Any]]:
    """One immutable statement per non-empty field of each record that has none yet."""
    rows: list[dict[str, Any]] = []
    for rid in sorted(facts):
        if rid in have:
            continue
        info = facts[rid]
        for prop in EVIDENCE_FIELDS:
            value = info.values[prop]
            if value:
                rows.append({
                    "person_id": person_of.get(rid), "source_record_id": rid, "property": prop,
                    "value": value, "agency_code": info.agency,
                    "classification": info.classification,
                    "reliability": info.reliability or "F6",
                    "observed_at": info.imported_at or now,
                    "content_hash": _evidence_hash(rid, prop, value),
                })
    return rows


def _grade_rank(grade: str) -> tuple[int, int]:
    g = (grade or "F6").upper()
    letter = "ABCDEF".find(g[0]) if g else 5
    digit = int(g[1]) if len(g) > 1 and g[1].isdigit() else 6
    return (letter if letter >= 0 else 5, digit)


def _display_name(members: Sequence[RecordFacts]) -> str:
    """From the best-graded record, preferring non-intelligence sources and lower
    classifications, so the name most readers may see is the one that labels the person."""
    best = min(members, key=lambda m: (m.agency in INTELLIGENCE_AGENCIES,
                                       level(m.classification), _grade_rank(m.reliability), m.id))
    v = best.values
    return " ".join(p for p in (v["family_name"], v["given_name"], v["patronymic"]) if p)[:300]


def _person_status(members: Sequence[RecordFacts], disputed: bool) -> str:
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


def refresh_persons(
    tx: Tx,
    repo: ResolutionRepository,
    *,
    person_of: Mapping[int, int],
    result: ClusterResult,
    places: Mapping[int, RecordPlace],
    duplicate_free: frozenset[str],
    run_id: int | None,
    progress: Progress,
    stop: StopSignal,
) -> tuple[int, int]:
    """Evidence, display name, status, verification and conflicts for every person touched;
    returns (persons touched, conflicts raised)."""
    members_of: dict[int, list[int]] = defaultdict(list)
    for rid, pid in person_of.items():
        members_of[pid].append(rid)
    persons = sorted(members_of)
    findings: list[Found] = []
    numbered: dict[int, list[Claim]] = defaultdict(list)
    now = _now()
    batch: list[int] = []
    done = 0
    for n, pid in enumerate(persons, start=1):
        batch.append(pid)
        done += len(members_of[pid])
        if done < _RECORDS and n < len(persons):
            continue
        stop.check("refreshing persons")
        rids = [r for p in batch for r in members_of[p]]
        facts = repo.facts(tx, rids)
        have = repo.records_with_evidence(tx, rids)
        repo.add_evidence(tx, _evidence_rows(facts, person_of, have, now))
        updates: list[dict[str, Any]] = []
        for p in batch:
            members = [facts[r] for r in members_of[p]]
            claims = [_claim(m) for m in members]
            numbered[p].extend(c for c in claims if c.service_number)
            person_findings = detect_person_conflicts(claims)
            findings.extend((p, f) for f in person_findings)
            verification = verify_identity(claims)
            disputed = any(f.kind is ConflictKind.STATUS for f in person_findings)
            updates.append({
                "id": p, "display_name": _display_name(members),
                "status": _person_status(members, disputed), "verified": verification.verified,
                "verification_reason": _reason_text(verification), "updated_at": now,
            })
        repo.update_persons(tx, updates)
        progress("persons", n, len(persons))
        batch, done = [], 0

    stop.check("checking conflicts")
    findings.extend(_shared_number_findings(tx, repo, numbered))
    findings.extend(_clustering_findings(result, person_of))
    findings.extend((person_of.get(int(f.records[0])), f)
                    for f in _list_doubles(tx, repo, places, duplicate_free))
    return len(persons), _store_conflicts(tx, repo, findings, persons, run_id=run_id)


def _shared_number_findings(
    tx: Tx, repo: ResolutionRepository, claims_by_person: Mapping[int, list[Claim]],
) -> list[Found]:
    """One service number on two persons: compare the touched persons' numbers with everyone."""
    numbers = sorted({c.service_number for cs in claims_by_person.values() for c in cs})
    if not numbers:
        return []
    others: dict[int, list[Claim]] = defaultdict(list)
    ids = repo.resolved_ids_with_service_numbers(tx, numbers)
    for start in range(0, len(ids), _RECORDS):
        for info in repo.facts(tx, ids[start : start + _RECORDS]).values():
            if info.person_id is not None and info.person_id not in claims_by_person:
                others[info.person_id].append(_claim(info))
    everyone = {**others, **claims_by_person}
    return [(pids[0], f) for pids, f in detect_shared_numbers(everyone)]


def _list_doubles(tx: Tx, repo: ResolutionRepository, places: Mapping[int, RecordPlace],
                  duplicate_free: frozenset[str]) -> list[ConflictFinding]:
    """Two entries of one duplicate-free list that the model thinks may be one person (any
    stored link, band included): the list may hold someone twice, which a person must check."""
    on_lists = sorted(i for i, p in places.items() if str(p.source_id) in duplicate_free)
    out: list[ConflictFinding] = []
    for a, b, p in repo.links_from(tx, on_lists):
        left, right = places.get(a), places.get(b)
        if left is None or right is None or left.source_id != right.source_id:
            continue
        out.append(ConflictFinding(
            ConflictKind.LIST_DUPLICATE,
            f"records {a} and {b} of one duplicate-free list (source id {left.source_id}) "
            f"look like the same person (match probability {p:.2f}): the list may hold "
            "this person twice",
            (str(a), str(b)), (str(left.source_id),)))
    return out


def _clustering_findings(result: ClusterResult, person_of: Mapping[int, int]) -> list[Found]:
    out: list[Found] = []
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


def _store_conflicts(tx: Tx, repo: ResolutionRepository, findings: list[Found],
                     touched: Sequence[int], *, run_id: int | None) -> int:
    """Raise new conflicts; lapse open ones about touched persons that no longer hold."""
    fingerprints = {f.fingerprint for _, f in findings}
    owners = repo.conflict_owners(tx, sorted(fingerprints))
    raised = 0
    for pid, f in findings:
        if f.fingerprint in owners:
            if owners[f.fingerprint] != pid:
                repo.reassign_conflict(tx, f.fingerprint, pid)
                owners[f.fingerprint] = pid
            continue
        repo.raise_conflict(tx, f, person_id=pid, run_id=run_id)
        owners[f.fingerprint] = pid
        raised += 1
    # Contradictions that vanished (a split, a retraction) lapse rather than linger as noise;
    # resolved ones keep their resolution.
    repo.lapse_conflicts(tx, touched, keep=fingerprints)
    repo.flush(tx)
    return raised
