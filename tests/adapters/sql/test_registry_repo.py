"""The SQL registry repository: a search filter narrows by the policy's gates and by any
spelling or key of a family name, in the store's order; origins are read for any number of
records. On SQLite and PostgreSQL."""

from __future__ import annotations

from parley.adapters.sql.origins import CHUNK
from parley.adapters.sql.tables import ImportBatch, Source, SourceRecord
from parley.services.ports.registry import HEAVY_FIELDS, RecordFilter
from parley.services.workspace import Workspace

ROWS = [  # family, given, birth date, agency, classification, family key
    ("Петренко", "Іван", "1990-05-12", "MOD", "restricted", "petrenko"),
    ("Petrenko", "Andrii", "1990-05", "MOD", "restricted", "petrenko"),
    ("Петренко", "Олег", "1975-01-01", "MOD", "restricted", "petrenko"),
    ("Петренко", "Борис", "1990-05-12", "MOD", "secret", "petrenko"),
    ("Петренко", "Віктор", "1990-05-12", "SSU", "restricted", "petrenko"),
    ("Коваленко", "Іван", "1990-05-12", "MOD", "restricted", "kovalenko"),
]


def _load(ws: Workspace) -> list[int]:
    with ws.store.transaction() as tx:
        source = Source(name="repo test", agency_code="MOD")
        tx.add(source)
        tx.flush()
        batch = ImportBatch(source_id=source.id, agency_code="MOD", file_name="t.csv",
                            file_sha256="0" * 64, file_format="csv", actor="test")
        tx.add(batch)
        tx.flush()
        records = [SourceRecord(
            source_id=source.id, batch_id=batch.id, agency_code=agency, file_name="t.csv",
            line_no=n + 2, raw={"n": n}, content_hash=f"{n:064d}", family_name=family,
            given_name=given, birth_date=born, classification=classification,
            family_key=key, service_number=f"SN{n:04d}")
            for n, (family, given, born, agency, classification, key) in enumerate(ROWS)]
        tx.add_all(records)
        tx.flush()
        return [r.id for r in records]


def test_search_merges_spellings_and_keys_in_store_order(ws: Workspace) -> None:
    ids = _load(ws)
    gates = RecordFilter(classifications=("restricted",), blocked_agencies=("SSU",))
    with ws.store.reading() as tx:
        by_key = ws.repos.registry.search(
            tx, RecordFilter(classifications=gates.classifications,
                             blocked_agencies=gates.blocked_agencies,
                             family_names=("Petrenko",), family_keys=("petrenko",)), limit=10)
        dated = ws.repos.registry.search(
            tx, RecordFilter(classifications=gates.classifications,
                             blocked_agencies=gates.blocked_agencies, birth_date="1990-05-12",
                             birth_prefixes=("1990", "1990-05")), limit=10)
        numbered = ws.repos.registry.search(
            tx, RecordFilter(classifications=("restricted", "secret"), numbers=("SN0003",)),
            limit=10)
        first = ws.repos.registry.search(tx, RecordFilter(classifications=("restricted",),
                                                          family_keys=("petrenko",)), limit=1)
    # By family name, then given name; the secret and the SSU record stay out.
    assert [r["id"] for r in by_key] == [ids[1], ids[0], ids[2]]
    assert [r["id"] for r in dated] == [ids[1], ids[5], ids[0]]
    assert [r["id"] for r in numbered] == [ids[3]]
    assert [r["id"] for r in first] == [ids[1]]
    assert not set(HEAVY_FIELDS) & set(by_key[0])
    assert by_key[0]["source_name"] == "repo test" and by_key[0]["family_key"] == "petrenko"


def test_a_record_carries_its_heavy_fields(ws: Workspace) -> None:
    ids = _load(ws)
    with ws.store.reading() as tx:
        item = ws.repos.registry.record(tx, ids[0])
        assert ws.repos.registry.record(tx, max(ids) + 1) is None
    assert item is not None and item["raw"] == {"n": 0} and set(HEAVY_FIELDS) <= set(item)


def test_origins_of_more_records_than_one_statement_takes(ws: Workspace) -> None:
    ids = _load(ws)
    asked = [*ids, *range(max(ids) + 1, max(ids) + CHUNK + 10)]
    with ws.store.reading() as tx:
        origins = ws.repos.registry.origins(tx, asked)
    assert sorted(origins) == sorted(ids)
    assert origins[ids[4]].agency_code == "SSU"
    assert origins[ids[3]].classification == "secret"
