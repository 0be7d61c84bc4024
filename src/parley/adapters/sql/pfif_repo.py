"""PFIF records in SQL (the ``PfifRecords`` port)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from parley.adapters.sql.family_tables import Inquiry
from parley.adapters.sql.pfif_tables import PfifNote, PfifPerson
from parley.adapters.sql.session import session_of
from parley.services.ports import Tx


class SqlPfifRecords:
    def has_person(self, tx: Tx, record_id: str) -> bool:
        return session_of(tx).scalar(select(PfifPerson.id).where(
            PfifPerson.person_record_id == record_id)) is not None

    def has_note(self, tx: Tx, record_id: str) -> bool:
        return session_of(tx).scalar(select(PfifNote.id).where(
            PfifNote.note_record_id == record_id)) is not None

    def add_person(self, tx: Tx, *, source: str, fields: dict[str, Any]) -> None:
        session = session_of(tx)
        session.add(PfifPerson(person_record_id=fields["person_record_id"], source=source,
                               full_name=str(fields.get("full_name", ""))[:500], fields=fields))
        session.flush()

    def add_note(self, tx: Tx, *, source: str, fields: dict[str, Any]) -> None:
        session = session_of(tx)
        session.add(PfifNote(note_record_id=fields["note_record_id"],
                             person_record_id=fields["person_record_id"], source=source,
                             fields=fields))
        session.flush()

    def persons(self, tx: Tx) -> list[dict[str, Any]]:
        return [p.fields for p in session_of(tx).scalars(
            select(PfifPerson).order_by(PfifPerson.person_record_id))]

    def notes(self, tx: Tx) -> list[dict[str, Any]]:
        return [n.fields for n in session_of(tx).scalars(
            select(PfifNote).order_by(PfifNote.note_record_id))]

    def shared_inquiries(self, tx: Tx) -> list[Inquiry]:
        return list(session_of(tx).scalars(select(Inquiry).where(Inquiry.consent_icrc.is_(True))
                                           .order_by(Inquiry.id)))
