"""Ingest stores the same rows, byte for byte, whatever its fast path does.

``data/ingest_digest.csv`` is a fixed synthetic file (project generator, seed 15, kept as a
file so a change to the generator cannot move the goalposts): Ukrainian, Russian and Latin
names, partial dates, an address and an extra column with stray spaces, duplicates within a
chunk and across chunks, unknown status and rank words (warnings), and rows quarantined for a
date, a sex, no name, an over-long column, the field and row limits, a wrong field count
and an unclosed quote. The digests below were taken from the code before the ingest speed work
(issue #15); every stored value (raw JSON text, canonical fields, keys, quarantine reasons and
raw text, batch counts) goes into them, in id order, so any change to what is stored, or to the
order it is stored in, fails here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from parley.domain.actors import Actor
from parley.domain.digest import canonical_json
from parley.services import ingest as ingest_module
from parley.services.ingest import ingest_file
from parley.services.workspace import Workspace

DATA = Path(__file__).parent / "data" / "ingest_digest.csv"
FILE_SHA256 = "3eac63b2b4910236106cc0c99cc8dded978c7343887b5bb05d54bac6b85451fa"
# Columns whose values are the moment of the import, not its content.
MOMENTS = {"imported_at", "quarantined_at", "started_at", "finished_at"}
TABLES = {
    "source_records": "SELECT * FROM source_records ORDER BY id",
    "quarantined_rows": "SELECT * FROM quarantined_rows ORDER BY id",
    "import_batches": ("SELECT id, source_id, rows_read, rows_imported, rows_duplicate, "
                       "rows_quarantined, encoding, delimiter FROM import_batches ORDER BY id"),
}


def _stored_digest(ws: Workspace) -> dict[str, str]:
    """SHA-256 of each table's rows as the driver returns them (SQLite: the stored text
    itself, JSON included; PostgreSQL: the values)."""
    out: dict[str, str] = {}
    with ws.store.reading() as session:
        connection = session.connection()
        for table, query in TABLES.items():
            result = connection.exec_driver_sql(query)
            names = list(result.keys())
            rows = [[value for name, value in zip(names, row, strict=True)
                     if name not in MOMENTS] for row in result]
            assert rows or table == "quarantined_rows"
            kept = [n for n in names if n not in MOMENTS]
            out[table] = hashlib.sha256(canonical_json([kept, rows])).hexdigest()
    return out


EXPECTED: dict[str, dict[str, str]] = {
    "sqlite": {
        "report": "9e5f503a0b11537ca5948c43abdbe24f170b60b5fef6ec1d35f298c97acc7d9a",
        "source_records": "f81fc076b38b1f64896790588a8dd62afd4c0900df15015ee43732a9b54d06a2",
        "quarantined_rows": "bc4c19b2817ad2d8e7833f548a12d80c7670e03d20e4c1ab19ef312fa30c8473",
        "import_batches": "79dd13f5ffbf532d67a8e7c9e43eef14fb3c8dbc8899508fa9b8c733f3d42b61",
    },
    "postgresql": {
        "report": "9e5f503a0b11537ca5948c43abdbe24f170b60b5fef6ec1d35f298c97acc7d9a",
        "source_records": "a6e526b119b01e16296a390fec80d586b2d1dd88303f1ffe79dfed1f9ddb1c76",
        "quarantined_rows": "60de769cb0579c0e6687921a574492535fe5d50721331f430abcf7686811ebca",
        "import_batches": "79dd13f5ffbf532d67a8e7c9e43eef14fb3c8dbc8899508fa9b8c733f3d42b61",
    },
}


def test_fixture_file_is_unchanged() -> None:
    assert hashlib.sha256(DATA.read_bytes()).hexdigest() == FILE_SHA256


def test_stored_rows_are_unchanged(ws: Workspace, operator: Actor,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Small chunks, so duplicates fall within a chunk and across chunks; small limits, so the
    # field and row limits quarantine rows of a small file.
    monkeypatch.setattr(ingest_module, "CHUNK_ROWS", 97)
    monkeypatch.setattr(ws.settings, "ingest_max_field_chars", 2_000)
    monkeypatch.setattr(ws.settings, "ingest_max_row_bytes", 5_000)
    first = ingest_file(ws, actor=operator, path=DATA, source="digest", agency="MOD",
                        reliability="B2")
    again = ingest_file(ws, actor=operator, path=DATA, source="digest", agency="MOD",
                        reliability="B2")
    report = {k: v for k, v in first.as_dict().items() if k != "batch_id"}
    assert (again.imported, again.quarantined, again.duplicates) == (0, 0, again.read)
    digests = {"report": hashlib.sha256(canonical_json(report)).hexdigest(),
               **_stored_digest(ws)}
    dialect = ws.store.engine.dialect.name
    assert (first.read, first.imported, first.duplicates, first.quarantined,
            first.warnings) == (801, 681, 39, 81, 36)
    assert digests == EXPECTED[dialect]
