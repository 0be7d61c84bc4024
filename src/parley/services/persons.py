"""A person as a reader sees it: the records, the evidence per field, the conflicts, and why the
identity is (or is not) verified, source by source with each source's reliability grade.

Everything passes through ``parley.services.access`` so a page, the API and the CLI show the same
redacted view. A record withheld from the reader is reported exactly like a missing one: no
count, no trace. A person absorbed by a merge is found under its old id too (a redirect).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from parley.domain.actors import Action, Actor
from parley.domain.identity import Claim, is_strong_grade
from parley.domain.policy import Kind
from parley.domain.verification import Verification, verify_identity
from parley.errors import N_, NotFound
from parley.services.access import redact, redact_many
from parley.services.conflicts import ConflictView, list_conflicts
from parley.services.ports import Tx, repositories_of
from parley.services.review import JudgementView, judgements_for, record_view
from parley.services.workspace import Workspace

__all__ = ["PersonView", "person_view", "resolve_person_id"]


@dataclass(frozen=True)
class PersonView:
    id: int
    requested_id: int
    person: dict[str, Any]
    records: list[dict[str, Any]]
    evidence: dict[str, list[dict[str, Any]]]  # property -> statements (values per source)
    conflicts: list[ConflictView]
    verification: Verification
    judgements: list[JudgementView]

    def as_dict(self) -> dict[str, Any]:
        v = self.verification
        return {
            "id": self.id, "requested_id": self.requested_id, "person": self.person,
            "records": self.records, "evidence": self.evidence,
            "conflicts": [c.as_dict() for c in self.conflicts],
            "verification": {
                "verified": v.verified, "identifier": v.identifier, "value": v.value,
                "summary": v.summary(),
                "sources": [
                    {"source": r.source, "agency": r.agency, "reliability": r.reliability,
                     "strong_grade": is_strong_grade(r.reliability), "record_id": int(r.record),
                     "identifier": r.identifier, "value": r.value, "agrees": r.agrees,
                     "reason": r.sentence()}
                    for r in v.reasons
                ],
            },
            "judgements": [j.as_dict() for j in self.judgements],
        }


def resolve_person_id(tx: Tx, person_id: int) -> int:
    """Follow a merge redirect (chains are kept one hop long)."""
    target = repositories_of(tx).persons.redirected_to(tx, person_id)
    return target if target is not None else person_id


def person_view(ws: Workspace, *, actor: Actor, person_id: int) -> PersonView:
    """The person page's content, redacted for ``actor``; ``NotFound`` for an unknown id."""
    actor.require(Action.READ_RECORD)
    with ws.store.reading() as tx:
        pid = resolve_person_id(tx, person_id)
        person = ws.repos.persons.get(tx, pid)
        if person is None:
            raise NotFound(N_("no person %(person_id)s"), person_id=person_id)
        rows = ws.repos.persons.records(tx, pid)
        if not rows:
            raise NotFound(N_("no person %(person_id)s"), person_id=person_id)
        records = [v for v in (record_view(actor, r, name) for r, name in rows)
                   if v is not None]
        if not records:
            raise NotFound(N_("no person %(person_id)s"), person_id=person_id)
        visible = {int(r["id"]) for r in records}
        # Verification is recomputed from the visible records only, so a reader never sees a
        # reason that rests on a source withheld from them.
        claims = []
        for r, name in rows:
            if r.id not in visible:
                continue
            key = " ".join(k for k in (r.family_key, r.given_key) if k) or " ".join(
                x.casefold() for x in (r.family_name, r.given_name) if x)
            claims.append(Claim(str(r.id), name, r.agency_code, r.reliability or "",
                                r.family_name, r.given_name, r.patronymic, key, r.birth_date,
                                r.status, r.service_number, r.document_number))
        verification = verify_identity(claims)
        evidence_rows = [
            {"id": e.id, "person_id": e.person_id, "source_record_id": e.source_record_id,
             "property": e.property, "value": e.value, "agency_code": e.agency_code,
             "classification": e.classification, "reliability": e.reliability,
             "observed_at": e.observed_at.isoformat() if e.observed_at else None,
             "content_hash": e.content_hash}
            for e in ws.repos.persons.evidence(tx, pid)
        ]
        source_of = {r.id: name for r, name in rows}
        evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for item in redact_many(actor, Kind.EVIDENCE, evidence_rows):
            if "property" not in item or int(item["source_record_id"]) not in visible:
                continue
            item["source"] = source_of.get(int(item["source_record_id"]), "")
            evidence[str(item["property"])].append(item)
        shown_person = redact(actor, Kind.PERSON, {
            "id": person.id, "display_name": person.display_name, "verified": person.verified,
            "verification_reason": person.verification_reason, "status": person.status,
            "created_at": person.created_at.isoformat(),
            "updated_at": person.updated_at.isoformat(),
        })
    if len(records) < len(rows):
        # The stored name, status and verdict may come from (and name) sources withheld from
        # this reader: recompute them from what the reader may see.
        visible_rows = [r for r, _ in rows if r.id in visible]
        best = min(visible_rows, key=lambda r: (r.reliability or "F6", r.id))
        if "display_name" in shown_person:
            shown_person["display_name"] = " ".join(
                p for p in (best.family_name, best.given_name, best.patronymic) if p)
        if "status" in shown_person:
            statuses = {r.status for r in visible_rows if r.status}
            dead = "deceased" in statuses and len(statuses) > 1
            shown_person["status"] = "disputed" if dead else (
                next((r.status for r in sorted(visible_rows, key=lambda r: (
                    r.reliability or "F6", -r.id)) if r.status), "unknown"))
        if "verified" in shown_person:
            shown_person["verified"] = verification.verified
        if "verification_reason" in shown_person:
            shown_person["verification_reason"] = verification.summary()
    conflicts = list_conflicts(ws, actor=actor, state="all", person_id=pid)
    history = judgements_for(ws, actor=actor, record_ids=sorted(visible))
    return PersonView(
        id=pid, requested_id=person_id, person=shown_person, records=records,
        evidence=dict(evidence), conflicts=conflicts, verification=verification,
        judgements=history,
    )
