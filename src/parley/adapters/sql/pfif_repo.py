"""Storage of PFIF records: the PFIF service's one way in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parley.adapters.sql.family_tables import Inquiry
from parley.adapters.sql.pfif_tables import PfifNote, PfifPerson


class PfifRepository:
    def __init__(self, session: Session) -> None:
        self.tx = session

    def has_person(self, record_id: str) -> bool:
        return self.tx.scalar(select(PfifPerson.id).where(
            PfifPerson.person_record_id == record_id)) is not None

    def has_note(self, record_id: str) -> bool:
        return self.tx.scalar(select(PfifNote.id).where(
            PfifNote.note_record_id == record_id)) is not None

    def add_person(self, *, source: str, fields: dict[str, Any]) -> None:
        self.tx.add(PfifPerson(person_record_id=fields["person_record_id"], source=source,
                               full_name=str(fields.get("full_name", ""))[:500], fields=fields))
        self.tx.flush()

    def add_note(self, *, source: str, fields: dict[str, Any]) -> None:
        self.tx.add(PfifNote(note_record_id=fields["note_record_id"],
                             person_record_id=fields["person_record_id"], source=source,
                             fields=fields))
        self.tx.flush()

    def persons(self) -> list[dict[str, Any]]:
        return [p.fields for p in self.tx.scalars(select(PfifPerson)
                                                  .order_by(PfifPerson.person_record_id))]

    def notes(self) -> list[dict[str, Any]]:
        return [n.fields for n in self.tx.scalars(select(PfifNote)
                                                  .order_by(PfifNote.note_record_id))]

    def shared_inquiries(self) -> list[Inquiry]:
        """Inquiries whose families agreed to share with the ICRC's tracing service."""
        return list(self.tx.scalars(select(Inquiry).where(Inquiry.consent_icrc.is_(True))
                                    .order_by(Inquiry.id)))
