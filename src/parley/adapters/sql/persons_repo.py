"""Persons, their records and evidence in SQL (the ``Persons`` port)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from parley.adapters.sql.identity_tables import PersonRedirect
from parley.adapters.sql.session import session_of
from parley.adapters.sql.tables import Evidence, Person, Source, SourceRecord
from parley.services.ports import Tx


class SqlPersons:
    def redirected_to(self, tx: Tx, person_id: int) -> int | None:
        hop = session_of(tx).get(PersonRedirect, person_id)
        return int(hop.new_person_id) if hop is not None else None

    def get(self, tx: Tx, person_id: int) -> Person | None:
        return session_of(tx).get(Person, person_id)

    def records(self, tx: Tx, person_id: int) -> list[tuple[SourceRecord, str]]:
        return [(r, str(name)) for r, name in session_of(tx).execute(
            select(SourceRecord, Source.name).join(Source, Source.id == SourceRecord.source_id)
            .where(SourceRecord.person_id == person_id).order_by(SourceRecord.id))]

    def evidence(self, tx: Tx, person_id: int) -> list[Evidence]:
        return list(session_of(tx).scalars(select(Evidence).where(Evidence.person_id == person_id)
                                           .order_by(Evidence.property, Evidence.id)))

    def first_names(self, tx: Tx, statuses: Sequence[str]
                    ) -> list[tuple[int, str, str, str, str]]:
        return [(int(pid), fam, giv, pat, born) for pid, fam, giv, pat, born in session_of(tx)
                .execute(select(Person.id, SourceRecord.family_name, SourceRecord.given_name,
                                SourceRecord.patronymic, SourceRecord.birth_date)
                         .join(SourceRecord, SourceRecord.person_id == Person.id)
                         .where(Person.status.in_(list(statuses)),
                                SourceRecord.birth_date.like("____-__-__"))
                         .order_by(Person.id, SourceRecord.id))]
