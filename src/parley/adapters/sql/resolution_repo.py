"""Storage for identity resolution (``parley.services.ports.resolution``): the SQL that used to
live in ``services/resolution.py`` and ``services/clustering.py``.

Every query over a list of ids runs in chunks (``_CHUNK``), so a statement never carries more
parameters than SQLite or PostgreSQL accept, however large the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
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
from parley.domain.identity import AUTO_ACCEPT, ConflictFinding, Decision, Judgement, Link
from parley.domain.records import ADDRESS_FIELD, CANONICAL_FIELDS
from parley.services.ports import Tx
from parley.services.ports.resolution import RecordFacts, RecordPlace

_CHUNK = 500
_FRAME_COLUMNS = [getattr(SourceRecord, f) for f in CANONICAL_FIELDS
                  if f not in ("record_id", "source")]
_FRAME_SELECT = (SourceRecord.id, Source.name, *_FRAME_COLUMNS, SourceRecord.extras)
_FACT_FIELDS: tuple[str, ...] = tuple(
    f for f in CANONICAL_FIELDS if f not in ("record_id", "source", "notes"))
_BY_FIELD = {"family_key": SourceRecord.family_key,
             **{f: getattr(SourceRecord, f) for f in CANONICAL_FIELDS
                if f not in ("record_id", "source")}}


def _s(tx: Tx) -> Session:
    assert isinstance(tx, Session), "the SQL repositories work in a SQLAlchemy session"
    return tx


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _as_frame(rows: Sequence[Any]) -> pd.DataFrame:
    """Rows of ``_FRAME_SELECT`` in the canonical schema, plus the address a source may carry
    among its extras, which the model reads when present."""
    columns = ["record_id", "source", *[c.key for c in _FRAME_COLUMNS], "extras"]
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    frame["record_id"] = frame["record_id"].astype(str)
    frame[ADDRESS_FIELD] = [(e or {}).get(ADDRESS_FIELD, "") for e in frame["extras"]]
    return frame[[*CANONICAL_FIELDS, ADDRESS_FIELD]]


class SqlResolutionRepository:
    """Satisfies ``parley.services.ports.resolution.ResolutionRepository``."""

    # --- records for the linkage model ---------------------------------------------------
    def resolved_up_to(self, tx: Tx) -> int:
        return int(_s(tx).scalar(select(func.max(ResolutionRun.max_record_id))) or 0)

    def newest_record_id(self, tx: Tx) -> int:
        return int(_s(tx).scalar(select(func.max(SourceRecord.id))) or 0)

    def count_records(self, tx: Tx, *, above: int, upto: int) -> int:
        return int(_s(tx).scalar(select(func.count()).select_from(SourceRecord).where(
            SourceRecord.id > above, SourceRecord.id <= upto)) or 0)

    def record_frame(self, tx: Tx, *, above: int, upto: int, limit: int) -> pd.DataFrame:
        return _as_frame(_s(tx).execute(
            select(*_FRAME_SELECT)
            .join(Source, Source.id == SourceRecord.source_id)
            .where(SourceRecord.id > above, SourceRecord.id <= upto)
            .order_by(SourceRecord.id)
            .limit(limit)
        ).all())

    def record_frame_of(self, tx: Tx, ids: Sequence[int]) -> pd.DataFrame:
        rows: list[Any] = []
        for part in _chunks(sorted(ids), 5000):
            rows.extend(_s(tx).execute(
                select(*_FRAME_SELECT)
                .join(Source, Source.id == SourceRecord.source_id)
                .where(SourceRecord.id.in_(part))
            ).all())
        return _as_frame(rows)

    def family_keys(self, tx: Tx, ids: Sequence[int]) -> set[str]:
        keys: set[str] = set()
        for part in _chunks(list(ids)):
            keys.update(k for k in _s(tx).scalars(
                select(SourceRecord.family_key).where(SourceRecord.id.in_(part))) if k)
        return keys

    def ids_with_values(self, tx: Tx, field: str, values: Iterable[str], *, upto: int
                        ) -> set[int]:
        column = _BY_FIELD[field]
        found: set[int] = set()
        for part in _chunks(sorted(values)):
            found.update(int(i) for i in _s(tx).scalars(
                select(SourceRecord.id).where(column.in_(part), SourceRecord.id <= upto)))
        return found

    def every_nth_id(self, tx: Tx, *, upto: int, step: int) -> set[int]:
        return {int(i) for i in _s(tx).scalars(
            select(SourceRecord.id).where(SourceRecord.id <= upto, SourceRecord.id % step == 0))}

    def judgements(self, tx: Tx, record_ids: Iterable[int] | None = None) -> list[Judgement]:
        stmt = select(IdentityJudgement)
        rows: list[IdentityJudgement] = []
        if record_ids is None:
            rows = list(_s(tx).scalars(stmt))
        else:
            seen: set[int] = set()
            for part in _chunks(sorted(set(record_ids))):
                for j in _s(tx).scalars(stmt.where(or_(
                        IdentityJudgement.left_record_id.in_(part),
                        IdentityJudgement.right_record_id.in_(part)))):
                    if j.id not in seen:
                        seen.add(j.id)
                        rows.append(j)
        return [Judgement(str(j.left_record_id), str(j.right_record_id), Decision(j.decision),
                          j.actor, j.decided_at, j.note, j.id, j.retracted_at) for j in rows]

    # --- runs and links --------------------------------------------------------------------
    def set_duplicate_free(self, tx: Tx, *, source: str, duplicate_free: bool,
                           set_by: str) -> int | None:
        session = _s(tx)
        src = session.scalar(select(Source).where(Source.name == source))
        if src is None:
            return None
        policy = session.get(SourceListPolicy, src.id)
        if policy is None:
            session.add(SourceListPolicy(source_id=src.id, duplicate_free=duplicate_free,
                                         set_by=set_by))
        else:
            policy.duplicate_free = duplicate_free
            policy.set_by = set_by
            policy.set_at = utcnow()
        session.flush()
        return int(src.id)

    def duplicate_free_sources(self, tx: Tx) -> frozenset[str]:
        return frozenset(str(sid) for sid in _s(tx).scalars(
            select(SourceListPolicy.source_id).where(SourceListPolicy.duplicate_free.is_(True))))

    def start_run(self, tx: Tx, *, actor: str, engine: str, full: bool,
                  max_record_id: int) -> int:
        run = ResolutionRun(actor=actor, engine=engine, full=full, max_record_id=max_record_id)
        _s(tx).add(run)
        _s(tx).flush()
        return int(run.id)

    def finish_run(self, tx: Tx, run_id: int, summary: dict[str, Any]) -> None:
        run = _s(tx).get(ResolutionRun, run_id)
        assert run is not None
        run.finished_at = utcnow()
        run.summary = summary

    def forget_links(self, tx: Tx) -> None:
        _s(tx).execute(delete(IdentityLink))

    def stored_pairs(self, tx: Tx, lefts: Sequence[int]) -> set[tuple[int, int]]:
        known: set[tuple[int, int]] = set()
        for part in _chunks(sorted(lefts)):
            known.update((int(a), int(b)) for a, b in _s(tx).execute(
                select(IdentityLink.left_record_id, IdentityLink.right_record_id)
                .where(IdentityLink.left_record_id.in_(part))))
        return known

    def add_links(self, tx: Tx, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            _s(tx).execute(insert(IdentityLink), list(rows))

    def summary(self, tx: Tx) -> dict[str, int]:
        session = _s(tx)

        def count(stmt: Any) -> int:
            return int(session.scalar(stmt) or 0)

        band = count(select(func.count()).select_from(IdentityLink)
                     .where(IdentityLink.match_probability < AUTO_ACCEPT))
        # Band pairs a reviewer has already decided leave the queue.
        decided = count(
            select(func.count(func.distinct(IdentityLink.id)))
            .select_from(IdentityLink)
            .join(IdentityJudgement,
                  (IdentityJudgement.left_record_id == IdentityLink.left_record_id)
                  & (IdentityJudgement.right_record_id == IdentityLink.right_record_id))
            .where(IdentityLink.match_probability < AUTO_ACCEPT,
                   IdentityJudgement.retracted_at.is_(None)))
        return {
            "records": count(select(func.count()).select_from(SourceRecord)),
            "persons": count(select(func.count(func.distinct(SourceRecord.person_id)))
                             .where(SourceRecord.person_id.is_not(None))),
            "links": count(select(func.count()).select_from(IdentityLink)),
            "in_review_band": band - decided,
            "conflicts_open": count(select(func.count()).select_from(IdentityConflict)
                                    .where(IdentityConflict.state == "open")),
            "verified": count(select(func.count()).select_from(Person).where(
                Person.verified.is_(True),
                Person.id.in_(select(SourceRecord.person_id).where(
                    SourceRecord.person_id.is_not(None))))),
        }

    # --- reclustering ----------------------------------------------------------------------
    def all_record_ids(self, tx: Tx) -> list[int]:
        return [int(i) for i in _s(tx).scalars(select(SourceRecord.id).order_by(SourceRecord.id))]

    def neighbours(self, tx: Tx, ids: Sequence[int]) -> set[int]:
        session = _s(tx)
        grown: set[int] = set()
        for part in _chunks(sorted(ids)):
            pids = set(session.scalars(select(SourceRecord.person_id).where(
                SourceRecord.id.in_(part), SourceRecord.person_id.is_not(None))))
            for pchunk in _chunks(sorted(pids)):
                grown.update(session.scalars(select(SourceRecord.id)
                                             .where(SourceRecord.person_id.in_(pchunk))))
            for a, b in session.execute(
                select(IdentityLink.left_record_id, IdentityLink.right_record_id).where(
                    IdentityLink.match_probability >= AUTO_ACCEPT,
                    or_(IdentityLink.left_record_id.in_(part),
                        IdentityLink.right_record_id.in_(part)))
            ):
                grown.update((int(a), int(b)))
            for a, b in session.execute(
                select(IdentityJudgement.left_record_id, IdentityJudgement.right_record_id).where(
                    IdentityJudgement.decision == Decision.MATCH.value,
                    IdentityJudgement.retracted_at.is_(None),
                    or_(IdentityJudgement.left_record_id.in_(part),
                        IdentityJudgement.right_record_id.in_(part)))
            ):
                grown.update((int(a), int(b)))
        return grown

    def strong_links(self, tx: Tx, ids: Sequence[int] | None) -> list[Link]:
        stmt = select(IdentityLink.left_record_id, IdentityLink.right_record_id,
                      IdentityLink.match_probability).where(
            IdentityLink.match_probability >= AUTO_ACCEPT)
        if ids is None:
            return [Link(str(a), str(b), float(p)) for a, b, p in _s(tx).execute(stmt)]
        inside = set(ids)
        out: list[Link] = []
        for part in _chunks(list(ids)):
            for a, b, p in _s(tx).execute(stmt.where(IdentityLink.left_record_id.in_(part))):
                if int(b) in inside:
                    out.append(Link(str(a), str(b), float(p)))
        return out

    def places(self, tx: Tx, ids: Sequence[int]) -> dict[int, RecordPlace]:
        out: dict[int, RecordPlace] = {}
        for part in _chunks(list(ids), 5000):
            for rid, pid, sid in _s(tx).execute(
                    select(SourceRecord.id, SourceRecord.person_id, SourceRecord.source_id)
                    .where(SourceRecord.id.in_(part))):
                out[int(rid)] = RecordPlace(int(rid), pid, int(sid))
        return out

    def facts(self, tx: Tx, ids: Sequence[int]) -> dict[int, RecordFacts]:
        cols = [getattr(SourceRecord, f) for f in _FACT_FIELDS]
        out: dict[int, RecordFacts] = {}
        for part in _chunks(list(ids)):
            stmt = (
                select(SourceRecord.id, SourceRecord.person_id, SourceRecord.source_id,
                       Source.name, SourceRecord.agency_code, SourceRecord.reliability,
                       SourceRecord.classification, SourceRecord.imported_at,
                       SourceRecord.family_key, SourceRecord.given_key, *cols)
                .join(Source, Source.id == SourceRecord.source_id)
                .where(SourceRecord.id.in_(part))
            )
            for row in _s(tx).execute(stmt):
                (rid, pid, sid, sname, agency, rel, cls, imported, fkey, gkey, *vals) = tuple(row)
                values = {f: str(v or "") for f, v in zip(_FACT_FIELDS, vals, strict=True)}
                name_key = " ".join(k for k in (fkey, gkey) if k) or " ".join(
                    values[f].casefold() for f in ("family_name", "given_name") if values[f])
                out[int(rid)] = RecordFacts(int(rid), pid, int(sid), sname, agency, rel or "",
                                            cls, imported, values, name_key)
        return out

    def create_persons(self, tx: Tx, count: int) -> list[int]:
        if count <= 0:
            return []
        now = utcnow()
        created = _s(tx).execute(
            insert(Person).returning(Person.id, sort_by_parameter_order=True),
            [{"display_name": "", "created_at": now, "updated_at": now} for _ in range(count)],
        ).scalars().all()
        return [int(pid) for pid in created]

    def redirect_person(self, tx: Tx, old: int, new: int) -> None:
        session = _s(tx)
        existing = session.get(PersonRedirect, old)
        if existing is None:
            session.add(PersonRedirect(old_person_id=old, new_person_id=new))
        else:
            existing.new_person_id = new
            existing.redirected_at = utcnow()
        # Chains collapse, so an old id is always one hop from a living person.
        session.execute(update(PersonRedirect).where(PersonRedirect.new_person_id == old)
                        .values(new_person_id=new))
        # The absorbed person's conflicts follow it (and lapse if they no longer hold).
        session.execute(update(IdentityConflict).where(IdentityConflict.person_id == old)
                        .values(person_id=new))

    def drop_redirects(self, tx: Tx, person_ids: Sequence[int]) -> None:
        for part in _chunks(list(person_ids)):
            _s(tx).execute(delete(PersonRedirect).where(PersonRedirect.old_person_id.in_(part)))

    def move_records(self, tx: Tx, moves: Sequence[tuple[int, int]]) -> None:
        for part in _chunks(list(moves), 2000):
            _s(tx).execute(update(SourceRecord),
                           [{"id": rid, "person_id": pid} for rid, pid in part])

    def move_evidence(self, tx: Tx, moves: Sequence[tuple[int, int]]) -> None:
        by_person: dict[int, list[int]] = {}
        for rid, pid in moves:
            by_person.setdefault(pid, []).append(rid)
        for pid, rids in by_person.items():
            for part in _chunks(rids):
                _s(tx).execute(update(Evidence).where(Evidence.source_record_id.in_(part))
                               .values(person_id=pid))

    def records_with_evidence(self, tx: Tx, ids: Sequence[int]) -> set[int]:
        have: set[int] = set()
        for part in _chunks(sorted(ids)):
            have.update(int(i) for i in _s(tx).scalars(
                select(Evidence.source_record_id).where(Evidence.source_record_id.in_(part))
                .distinct()))
        return have

    def add_evidence(self, tx: Tx, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            _s(tx).execute(insert(Evidence), list(rows))

    def update_persons(self, tx: Tx, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            _s(tx).execute(update(Person), list(rows))

    def resolved_ids_with_service_numbers(self, tx: Tx, numbers: Sequence[str]) -> list[int]:
        out: list[int] = []
        for part in _chunks(sorted(numbers)):
            out.extend(int(i) for i in _s(tx).scalars(select(SourceRecord.id).where(
                SourceRecord.service_number.in_(part), SourceRecord.person_id.is_not(None))))
        return out

    def links_from(self, tx: Tx, lefts: Sequence[int]) -> list[tuple[int, int, float]]:
        out: list[tuple[int, int, float]] = []
        for part in _chunks(sorted(lefts)):
            out.extend((int(a), int(b), float(p)) for a, b, p in _s(tx).execute(
                select(IdentityLink.left_record_id, IdentityLink.right_record_id,
                       IdentityLink.match_probability)
                .where(IdentityLink.left_record_id.in_(part))))
        return out

    # --- conflicts -------------------------------------------------------------------------
    def conflict_owners(self, tx: Tx, fingerprints: Sequence[str]) -> dict[str, int | None]:
        out: dict[str, int | None] = {}
        for part in _chunks(sorted(fingerprints)):
            for fp, pid in _s(tx).execute(
                    select(IdentityConflict.fingerprint, IdentityConflict.person_id)
                    .where(IdentityConflict.fingerprint.in_(part))):
                out[fp] = pid
        return out

    def reassign_conflict(self, tx: Tx, fingerprint: str, person_id: int | None) -> None:
        _s(tx).execute(update(IdentityConflict).where(IdentityConflict.fingerprint == fingerprint)
                       .values(person_id=person_id))

    def raise_conflict(self, tx: Tx, finding: ConflictFinding, *, person_id: int | None,
                       run_id: int | None) -> None:
        _s(tx).add(IdentityConflict(
            fingerprint=finding.fingerprint, kind=finding.kind.value, person_id=person_id,
            description=finding.description, record_ids=[int(r) for r in finding.records],
            values=list(finding.values), state="open", raised_by_run=run_id,
        ))

    def lapse_conflicts(self, tx: Tx, person_ids: Sequence[int], *, keep: set[str]) -> None:
        session = _s(tx)
        session.flush()
        for part in _chunks(sorted(person_ids)):
            for c in session.scalars(select(IdentityConflict).where(
                    IdentityConflict.person_id.in_(part), IdentityConflict.state == "open")):
                if c.fingerprint not in keep:
                    c.state = "lapsed"
                    c.resolved_at = utcnow()
                    c.resolution = "no longer present after re-clustering"

    def flush(self, tx: Tx) -> None:
        _s(tx).flush()
