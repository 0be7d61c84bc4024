"""PFIF 1.4: a file written by hand from the specification (Cyrillic names and notes) imports
with every field kept; the export validates against the PFIF 1.4 schema (vendored in the tests);
export → import (into a fresh workspace) → export is byte-stable apart from ``entry_date``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from parley.adapters.files.pfif import NOTE_FIELDS, PERSON_FIELDS, read_pfif
from parley.adapters.sql.pfif_tables import PfifNote, PfifPerson
from parley.adapters.sql.store import Store
from parley.config import Settings
from parley.domain.actors import Actor, Role
from parley.errors import UnreadableFile
from parley.services.inquiries import take_inquiry
from parley.services.pfif import export_pfif, import_pfif
from parley.services.setup import init_workspace
from parley.services.workspace import Workspace

DATA = Path(__file__).parents[1] / "data" / "pfif"
SCHEMA = etree.XMLSchema(etree.parse(str(DATA / "pfif-1.4.xsd")))
HAND = DATA / "tracing_service.xml"


def _valid(path: Path) -> None:
    doc = etree.parse(str(path))
    assert SCHEMA.validate(doc), SCHEMA.error_log


def _without_entry_dates(data: bytes) -> bytes:
    return re.sub(rb"\s*<pfif:entry_date>[^<]*</pfif:entry_date>", b"", data)


def test_hand_written_file_is_valid_and_imports_every_field(
    ws: Workspace, operator: Actor
) -> None:
    _valid(HAND)  # the schema accepts what the specification describes
    report = import_pfif(ws, actor=operator, path=HAND, source="tracing service")
    assert report.as_dict()["persons"] == 2 and report.notes == 3 and report.refused == 0
    again = import_pfif(ws, actor=operator, path=HAND, source="tracing service")
    assert (again.persons, again.notes, again.duplicates) == (0, 0, 5)
    source = read_pfif(HAND)
    with ws.store.reading() as tx:
        stored = {p.person_record_id: p.fields for p in tx.scalars(select(PfifPerson))}
        notes = {n.note_record_id: n.fields for n in tx.scalars(select(PfifNote))}
    first = stored["tracing.example.org/person.1001"]
    assert first["full_name"] == "Приходько Тарас Миколайович"
    for name in PERSON_FIELDS:  # every field of the full record, as written (entry_date: ours)
        if name != "entry_date":
            assert first[name] == source.persons[0][name], name
    assert first["entry_date"] != "2026-03-01T08:00:00Z"
    note = notes["tracing.example.org/note.5003"]
    assert note["text"] == "Відомостей немає; «лапки» & спецсимволи <тест>."
    assert set(notes["tracing.example.org/note.5002"]) >= set(NOTE_FIELDS) - {
        "entry_date", "author_email", "author_phone", "last_known_location", "photo_url"}


def test_export_validates_and_round_trip_is_byte_stable_apart_from_entry_date(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    import_pfif(ws, actor=operator, path=HAND, source="tracing service")
    liaison = Actor(username="liaison", role=Role.FAMILY_LIAISON, agency="OMB")
    take_inquiry(ws, actor=liaison, values={
        "inquirer_name": "Гнатюк Олена", "consent": "contact+icrc", "family_name": "Гнатюк",
        "given_name": "Роман", "birth_date": "1987-03", "sex": "ч", "capture_place": "Маріуполь"})
    take_inquiry(ws, actor=liaison, values={  # no consent to share: stays out of PFIF
        "inquirer_name": "Не ділитися", "consent": "так", "family_name": "Остапчук"})
    first = tmp_path / "first.xml"
    assert export_pfif(ws, actor=operator, path=first) == {"persons": 3, "notes": 4}
    _valid(first)
    text = first.read_text(encoding="utf-8")
    assert "Гнатюк Роман" in text and "information_sought" in text and "Остапчук" not in text

    other_settings = Settings(database_url=f"sqlite:///{tmp_path / 'other.db'}",
                              data_dir=tmp_path / "other", secret_key="x")
    other = Workspace(store=Store.from_url(other_settings.effective_database_url),
                      settings=other_settings)
    init_workspace(other, actor=operator)
    imported = import_pfif(other, actor=operator, path=first, source="parley export")
    assert (imported.persons, imported.notes) == (3, 4)
    second = tmp_path / "second.xml"
    export_pfif(other, actor=operator, path=second)
    _valid(second)
    a, b = first.read_bytes(), second.read_bytes()
    # entry_date is the storing repository's own time (equal when both exports fall in one second)
    assert _without_entry_dates(a) == _without_entry_dates(b)
    other.store.engine.dispose()


def test_a_file_that_is_not_pfif_is_refused_in_one_line(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<root/>", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="not a PFIF document"):
        import_pfif(ws, actor=operator, path=bad, source="x")
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
                    encoding="utf-8")
    with pytest.raises(UnreadableFile, match="DOCTYPE"):
        import_pfif(ws, actor=operator, path=bomb, source="x")
