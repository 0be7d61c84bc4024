"""Relatives' inquiries: import (UA/RU/EN headers, CSV and XLSX), quarantine, re-import,
export, grouping, linking to persons with the identity engine, and the handler's notifications."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from parley.adapters.sql.family_tables import Inquiry, InquiryNotification, InquiryQuarantine
from parley.adapters.sql.tables import AuditEventRow, Source, SourceRecord
from parley.domain.actors import Actor
from parley.errors import InvalidInput
from parley.services.ingest import ingest_file
from parley.services.inquiries import export_inquiries, get_inquiry, import_inquiries
from parley.services.inquiry_links import decide_candidate, match_inquiries
from parley.services.resolution import resolve_identities
from parley.services.workspace import Workspace
from parley.synth import linkage_pair
from tests.services.identity_factory import add_records

UA_HEADER = ["Номер звернення", "Заявник", "Ким доводиться", "Телефон", "Електронна пошта",
             "Згода", "Прізвище", "Ім'я", "По батькові", "Дата народження",
             "Останнє відоме місце"]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)
    return path


def test_import_maps_ukrainian_headers_quarantines_bad_rows_and_reimport_adds_nothing(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    path = _write_csv(tmp_path / "hotline.csv", UA_HEADER, [
        ["H-1", "Коваленко Марія", "мати", "+380 50 123 4567", "maria@example.org", "так",
         "Коваленко", "Іван", "Петрович", "04.05.1990", "Бахмут"],
        ["H-2", "", "батько", "", "", "ні", "Шевченко", "Петро", "", "", ""],
        ["H-3", "Мельник Ольга", "дружина", "not a phone", "", "так", "Мельник", "Олег", "",
         "", ""],
        ["H-4", "Коваленко Петро", "батько", "", "", "contact+icrc", "Kovalenko", "Ivan",
         "Petrovych", "1990-05-04", ""],
    ])
    first = import_inquiries(ws, actor=operator, path=path, channel="hotline")
    assert first.as_dict() == {"read": 4, "imported": 2, "duplicates": 0, "quarantined": 2}
    assert {(r["line"], r["field"]) for r in first.reasons} == {(3, "inquirer_name"),
                                                                (4, "inquirer_phone")}
    again = import_inquiries(ws, actor=operator, path=path, channel="hotline")
    assert again.as_dict() == {"read": 4, "imported": 0, "duplicates": 4, "quarantined": 0}
    with ws.store.reading() as tx:
        rows = tx.scalars(select(Inquiry).order_by(Inquiry.id)).all()
        assert [r.inquiry_key for r in rows] == ["H-1", "H-4"]
        first_row, second_row = rows
        assert first_row.birth_date == "1990-05-04" and first_row.capture_place == "Бахмут"
        assert first_row.consent_contact and not first_row.consent_icrc
        assert second_row.consent_icrc
        # two relatives, two scripts, one sought person: one group
        assert first_row.group_key and first_row.group_key == second_row.group_key
        assert len(tx.scalars(select(InquiryQuarantine)).all()) == 2
        assert "inquiries.import" in tx.scalars(select(AuditEventRow.action)).all()
    shown = get_inquiry(ws, actor=operator, inquiry_id=first_row.id)
    assert shown["group"] == [second_row.id]


def test_import_reads_xlsx_with_russian_headers_and_refuses_unknown_channel(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Номер обращения", "Заявитель", "Степень родства", "Телефон", "Согласие",
                  "Фамилия", "Имя", "Отчество", "Дата рождения"])
    sheet.append(["R-1", "Бондаренко Нина", "мать", "0501112233", "да", "Бондаренко", "Андрей",
                  "Сергеевич", "21.07.1995"])
    path = tmp_path / "ombudsman.xlsx"
    book.save(path)
    with pytest.raises(InvalidInput, match="channel"):
        import_inquiries(ws, actor=operator, path=path, channel="pigeon")
    report = import_inquiries(ws, actor=operator, path=path, channel="ombudsman")
    assert report.imported == 1
    with ws.store.reading() as tx:
        row = tx.scalars(select(Inquiry)).one()
        assert (row.family_name, row.given_name, row.channel) == ("Бондаренко", "Андрей",
                                                                   "ombudsman")
        assert row.inquirer_relation == "мать" and row.consent_contact


_LATIN = dict(zip("абвгґдеєжзиіїйклмнопрстуфхцчшщьюяэыёъ",
                  ["a", "b", "v", "h", "g", "d", "e", "ie", "zh", "z", "y", "i", "i", "i", "k",
                   "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh",
                   "shch", "", "iu", "ia", "e", "y", "e", ""], strict=True))


def _latin(text: str) -> str:
    """A relative's own romanisation (written here, independent of parley.names)."""
    out = "".join(_LATIN.get(c.lower(), c) for c in text)
    return out[:1].upper() + out[1:]


def _registry(ws: Workspace, operator: Actor, *, keep_out: int = 0
              ) -> tuple[list[dict[str, str]], dict[str, str], list[dict[str, str]]]:
    """Two synthetic registers of the same people (other spellings, scripts), resolved;
    ``keep_out`` rows of the second about people the first does not hold are held back.
    Returns (left rows, truth, held back)."""
    pair = linkage_pair(240, 120, overlap=0.4, seed=5)
    in_left = {pair.truth[r["record_id"]] for r in pair.left}
    held = [r for r in pair.right if pair.truth[r["record_id"]] not in in_left][:keep_out]
    right = [r for r in pair.right if r not in held]
    left_ids = add_records(ws, source="MOD register", agency="MOD", rows=pair.left,
                           reliability="A2")
    add_records(ws, source="MOI register", agency="MOI", rows=right, reliability="B2")
    resolve_identities(ws, actor=operator)
    rows = [{**r, "_id": str(i)} for r, i in zip(pair.left, left_ids, strict=True)]
    return rows, dict(pair.truth.items()), held


def test_inquiry_in_other_script_links_and_stranger_is_linked_when_record_arrives(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    left, truth, held = _registry(ws, operator, keep_out=1)
    sought = next(r for r in left if r["family_name"][:1].isalpha()
                  and not r["family_name"].isascii() and r["birth_date"].count("-") == 2)
    stranger = held[0]
    assert truth[stranger["record_id"]] not in {truth[r["record_id"]] for r in left}
    y, m, d = sought["birth_date"].split("-")
    path = _write_csv(tmp_path / "letters.csv", UA_HEADER, [
        # the sought person as the family writes him: Latin, their own romanisation, d.m.y
        ["L-1", "Relative One", "мати", "", "", "так", _latin(sought["family_name"]).upper(),
         _latin(sought["given_name"]), _latin(sought["patronymic"]), f"{d}.{m}.{y}", ""],
        # someone the registry does not hold yet
        ["L-2", "Relative Two", "дружина", "", "", "так", stranger["family_name"],
         stranger["given_name"], stranger["patronymic"], stranger["birth_date"], ""],
    ])
    import_inquiries(ws, actor=operator, path=path, channel="letter")
    report = match_inquiries(ws, actor=operator)
    assert report.as_dict() == {"linked": 1, "review": 0, "unmatched": 1}
    with ws.store.reading() as tx:
        person = tx.get_one(SourceRecord, int(sought["_id"])).person_id
        l1, l2 = tx.scalars(select(Inquiry).order_by(Inquiry.id)).all()
        assert l1.state == "linked" and l1.person_id == person
        assert int(sought["_id"]) in l1.record_ids and (l1.probability or 0) >= 0.95
        assert l2.state == "open" and l2.person_id is None

    # A new register arrives with the stranger; the handler is told at once.
    later = _write_csv(tmp_path / "late.csv", list(stranger), [list(stranger.values())])
    ingest_file(ws, actor=operator, path=later, source="late list", agency="MOI")
    with ws.store.reading() as tx:
        told = tx.scalars(select(InquiryNotification)
                          .where(InquiryNotification.inquiry_id == l2.id)).all()
        assert [n.kind for n in told] == ["new_record"] and told[0].handler == operator.username
    resolve_identities(ws, actor=operator)
    second = match_inquiries(ws, actor=operator)
    assert second.as_dict() == {"linked": 1, "review": 0, "unmatched": 0}
    with ws.store.reading() as tx:
        l2 = tx.get_one(Inquiry, l2.id)
        record = tx.scalars(select(SourceRecord).join(Source).where(Source.name == "late list")
                            ).one()
        assert l2.state == "linked" and l2.person_id == record.person_id
        kinds = tx.scalars(select(InquiryNotification.kind)
                           .where(InquiryNotification.inquiry_id == l2.id)).all()
        assert sorted(kinds) == ["linked", "new_record"]
        # the inquiry is not evidence: no source record was made from it
        assert tx.scalar(select(func.count()).select_from(SourceRecord)) == 240 + 120
    out = tmp_path / "inquiries.csv"
    assert export_inquiries(ws, actor=operator, path=out) == 2
    lines = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(lines[0]) == ["inquiry_id", "state", "person_id", "record_ids", "probability"]
    assert lines[0]["inquiry_id"] == "L-1" and sought["_id"] in lines[0]["record_ids"].split(";")
    assert str(record.id) in lines[1]["record_ids"].split(";")


def test_reviewer_links_an_uncertain_candidate(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    left, _truth, _held = _registry(ws, operator)
    sought = left[7]
    # Only the surname and the birth year: not enough to link by itself.
    path = _write_csv(tmp_path / "weak.csv", ["inquiry_id", "inquirer_name", "family_name",
                                              "birth_date"],
                      [["W-1", "Relative", sought["family_name"], sought["birth_date"][:4]]])
    import_inquiries(ws, actor=operator, path=path, channel="icrc")
    report = match_inquiries(ws, actor=operator)
    with ws.store.reading() as tx:
        row = tx.scalars(select(Inquiry)).one()
        person = tx.get_one(SourceRecord, int(sought["_id"])).person_id
    assert report.linked == 0 and row.state == "open"
    if report.review:
        shown = get_inquiry(ws, actor=operator, inquiry_id=row.id)
        assert shown["candidates"][0]["person_id"] == person
        assert shown["candidates"][0]["explanation"]
    assert person is not None
    assert decide_candidate(ws, actor=operator, inquiry_id=row.id, person_id=person,
                            decision="link", note="mother confirmed the unit") == "linked"
    with ws.store.reading() as tx:
        assert tx.get_one(Inquiry, row.id).person_id == person
        assert "inquiries.decide" in tx.scalars(select(AuditEventRow.action)).all()
