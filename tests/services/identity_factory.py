"""A tiny factory for identity tests: put synthetic source records straight into the store, as
ingest would have left them (one source, one batch, one row per record)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from parley.adapters.sql.tables import ImportBatch, Source, SourceRecord
from parley.domain.records import CANONICAL_FIELDS, IDENTITY_EXTRA_FIELDS, content_hash
from parley.services.workspace import Workspace

FIELDS = [f for f in CANONICAL_FIELDS if f not in ("record_id", "source")]


def add_records(
    ws: Workspace,
    *,
    source: str,
    agency: str,
    rows: Sequence[dict[str, str]],
    reliability: str = "B2",
    classification: str = "restricted",
) -> list[int]:
    """Store ``rows`` (canonical field names) as records of ``source``; returns their ids."""
    with ws.store.transaction() as tx:
        src = tx.scalar(select(Source).where(Source.name == source))
        if src is None:
            src = Source(name=source, agency_code=agency, reliability=reliability,
                         classification=classification)
            tx.add(src)
            tx.flush()
        batch = ImportBatch(source_id=src.id, agency_code=agency, file_name=f"{source}.csv",
                            file_sha256="0" * 64, file_format="csv", actor="test",
                            reliability=reliability, classification=classification)
        tx.add(batch)
        tx.flush()
        ids: list[int] = []
        for line, row in enumerate(rows, start=2):
            values = {f: row.get(f, "") for f in FIELDS}
            rec = SourceRecord(
                source_id=src.id, batch_id=batch.id, agency_code=agency,
                file_name=f"{source}.csv", line_no=line, raw=dict(row),
                content_hash=content_hash({**row, "_line": line}), reliability=reliability,
                classification=classification, **values,
                extras={k: row[k] for k in IDENTITY_EXTRA_FIELDS if row.get(k)},
            )
            tx.add(rec)
            tx.flush()
            ids.append(rec.id)
        return ids


def person(family: str, given: str, patronymic: str, birth: str, sn: str = "", **extra: str
           ) -> dict[str, str]:
    return {"family_name": family, "given_name": given, "patronymic": patronymic,
            "birth_date": birth, "sex": extra.pop("sex", "M"), "service_number": sn, **extra}


# Ten clearly different synthetic men; the same people appear in several sources below.
PEOPLE = [
    person("Kovalenko", "Ivan", "Petrovych", "1990-05-04", "AB123456", military_unit="A1234"),
    person("Shevchenko", "Petro", "Ivanovych", "1985-01-12", "AB223344", military_unit="A2345"),
    person("Melnyk", "Oleh", "Mykolaiovych", "1978-11-30", "AC998877", military_unit="A3456"),
    person("Bondarenko", "Andrii", "Serhiiovych", "1995-07-21", "AD445566", military_unit="A4567"),
    person("Tkachenko", "Serhii", "Olehovych", "1988-03-03", "AE112233", military_unit="A5678"),
    person("Kravchenko", "Dmytro", "Vasylovych", "1992-09-15", "AF667788", military_unit="A6789"),
    person("Boiko", "Mykola", "Andriiovych", "1981-12-01", "AG334455", military_unit="A7890"),
    person("Lysenko", "Vasyl", "Dmytrovych", "1999-02-28", "AH556677", military_unit="A8901"),
    person("Rudenko", "Yurii", "Petrovych", "1975-06-06", "AI778899", military_unit="A9012"),
    person("Savchenko", "Taras", "Yuriiovych", "1993-10-10", "AJ990011", military_unit="A0123"),
]


def add_link(ws: Workspace, left: int, right: int, probability: float,
             weights: dict[str, float] | None = None) -> None:
    """Store a scored pair as a resolution run would (for a deterministic review band)."""
    from parley.adapters.sql.identity_tables import IdentityLink, ResolutionRun

    a, b = sorted((left, right))
    with ws.store.transaction() as tx:
        run = ResolutionRun(actor="test", engine="duckdb", max_record_id=0)
        tx.add(run)
        tx.flush()
        w = weights or {"family_name": 3.0, "birth_date": -2.0, "service_number": 0.0}
        tx.add(IdentityLink(left_record_id=a, right_record_id=b, match_probability=probability,
                            match_weight=sum(w.values()) - 1.5, field_weights=w, run_id=run.id))
