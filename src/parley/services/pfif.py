"""PFIF 1.4 exchange with other tracing systems.

Import keeps every PFIF field of every person and note as it came (``pfif_persons``,
``pfif_notes``), with ``entry_date`` set to the time Parley stored it, as PFIF asks of the
storing repository; a record id already held is a duplicate (nothing changes). Export writes
the stored records back, plus the inquiries whose families agreed to share with the ICRC
(``consent_icrc``) as persons with an ``information_sought`` note, in Parley's own record-id
domain. Contact details in an export pass the redaction point like every other export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from parley.adapters.files.pfif import read_pfif, write_pfif
from parley.domain.actors import Action, Actor
from parley.domain.policy import Kind, Op
from parley.errors import N_, InvalidInput
from parley.services.access import redact_many
from parley.services.inquiries import inquiry_item
from parley.services.journal import record_event
from parley.services.ports.inquiries import InquiryRow
from parley.services.workspace import Workspace

PARLEY_DOMAIN = "parley.ombudsman.local"
_SEX = {"M": "male", "F": "female"}


def pfif_time(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class PfifImportReport:
    persons: int = 0
    notes: int = 0
    duplicates: int = 0
    refused: int = 0
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"persons": self.persons, "notes": self.notes, "duplicates": self.duplicates,
                "refused": self.refused, "problems": self.problems[:20]}


def import_pfif(ws: Workspace, *, actor: Actor, path: Path, source: str) -> PfifImportReport:
    actor.require(Action.MANAGE_INQUIRIES)
    if not source.strip():
        raise InvalidInput(N_("--source: a source name is required"))
    doc = read_pfif(path)
    report = PfifImportReport(refused=len(doc.problems), problems=list(doc.problems))
    now = pfif_time(datetime.now(UTC))
    with ws.store.transaction() as tx:
        repo = ws.repos.pfif_records
        for person in doc.persons:
            if repo.has_person(tx, person["person_record_id"]):
                report.duplicates += 1
                continue
            repo.add_person(tx, source=source.strip(), fields={**person, "entry_date": now})
            report.persons += 1
        for note in doc.notes:
            if repo.has_note(tx, note["note_record_id"]):
                report.duplicates += 1
                continue
            repo.add_note(tx, source=source.strip(), fields={**note, "entry_date": now})
            report.notes += 1
        record_event(tx, actor=actor, action="pfif.import", target=f"file:{path.name}",
                     payload={"source": source.strip(), **report.as_dict()})
    return report


def _inquiry_records(item: dict[str, Any], row: InquiryRow) -> tuple[dict[str, str],
                                                                  dict[str, str]]:
    """A PFIF person and an ``information_sought`` note for one inquiry (fields the reader may
    not export are left out)."""
    pid = f"{PARLEY_DOMAIN}/inquiry.{row.id}"
    stamp = pfif_time(row.created_at)
    given = str(item.get("given_name") or "")
    family = str(item.get("family_name") or "")
    full = " ".join(p for p in (family, given, str(item.get("patronymic") or "")) if p)
    person: dict[str, str] = {
        "person_record_id": pid, "entry_date": stamp, "source_name": "Parley",
        "source_date": stamp, "full_name": full or str(row.id), "given_name": given,
        "family_name": family,
    }
    if item.get("sex") in _SEX:
        person["sex"] = _SEX[str(item["sex"])]
    if item.get("birth_date"):
        person["date_of_birth"] = str(item["birth_date"])
    if "inquirer_name" in item:
        person["author_name"] = str(item["inquirer_name"])
    note: dict[str, str] = {
        "note_record_id": f"{PARLEY_DOMAIN}/inquiry-note.{row.id}", "person_record_id": pid,
        "entry_date": stamp, "author_name": str(item.get("inquirer_name", "Parley")),
        "source_date": stamp, "status": "information_sought",
        "text": str(item.get("notes") or "") or "Information sought by the family.",
    }
    if item.get("capture_place"):
        note["last_known_location"] = str(item["capture_place"])
    return person, note


def export_pfif(ws: Workspace, *, actor: Actor, path: Path) -> dict[str, int]:
    actor.require(Action.READ_INQUIRIES)
    with ws.store.reading() as tx:
        repo = ws.repos.pfif_records
        persons = [dict(p) for p in repo.persons(tx)]
        notes = [dict(n) for n in repo.notes(tx)]
        held = {p["person_record_id"] for p in persons}
        shared = repo.shared_inquiries(tx)
        items = {int(i["id"]): i for i in redact_many(
            actor, Kind.INQUIRY, [inquiry_item(r) for r in shared], op=Op.EXPORT)}
        for row in shared:
            if row.id in items:
                person, note = _inquiry_records(items[row.id], row)
                if person["person_record_id"] not in held:
                    persons.append(person)
                    notes.append(note)
    path.write_bytes(write_pfif(persons, notes))
    counts = {"persons": len(persons), "notes": len(notes)}
    with ws.store.transaction() as tx:
        record_event(tx, actor=actor, action="pfif.export", target=f"file:{path.name}",
                     payload=counts)
    return counts
