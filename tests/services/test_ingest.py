"""Ingest on SQLite and PostgreSQL: good rows imported with provenance, bad rows quarantined with
line and reason, re-import adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from parley.adapters.sql import ingest_repo
from parley.adapters.sql.tables import AuditEventRow, ImportBatch, QuarantinedRow, SourceRecord
from parley.domain.actors import Actor, Role
from parley.errors import AccessDenied, Conflict, InvalidInput, NotFound, UnreadableFile
from parley.services import ingest as ingest_module
from parley.services.ingest import ingest_file
from parley.services.workspace import Workspace

HEADER = ["Record ID", "Surname", "Name", "Patronymic", "Date of birth", "Sex", "Status",
          "Eye colour"]


def _good(i: int) -> list[str]:
    return [f"R{i}", f"Koval{i}", "Ivan", "Petrovych", "1990-05-01", "M", "POW", "brown"]


# Each bad row breaks one thing: (row, field the quarantine must name).
BAD_ROWS: list[tuple[list[str], str]] = [
    (["B1", "Koval", "Ivan", "", "31.02.1990", "M", "POW", ""], "birth_date"),
    (["B2", "Koval", "Ivan", "", "someday", "M", "POW", ""], "birth_date"),
    (["B3", "Koval", "Ivan", "", "1990", "X", "POW", ""], "sex"),
    (["B4", "Koval", "Ivan", "", "30.02.1991", "M", "POW", ""], "birth_date"),
    (["B5", "", "", "", "1990", "M", "POW", ""], "family_name"),
    (["B6", "Koval", "Ivan"], "row"),
    (["B7", "Koval", "Ivan", "", "1990-13", "M", "POW", ""], "birth_date"),
    (["B8", "Koval", "Ivan", "", "1990", "M", "POW", "", "spill"], "row"),
    (["B9", "Koval", "Ivan", "", "1899", "M", "POW", ""], "birth_date"),
    (["B10", "Koval", "Ivan", "", "1990", "чоловік і жінка", "POW", ""], "sex"),
]


def _csv(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(delimiter.join(r) for r in rows) + "\n", encoding=encoding)
    return path


def _mixed_file(tmp_path: Path) -> tuple[Path, dict[int, str]]:
    """100 rows, 10 % malformed; returns the file and line → field of the bad rows."""
    rows: list[list[str]] = [HEADER]
    bad: dict[int, str] = {}
    bad_iter = iter(BAD_ROWS)
    for i in range(100):
        if i % 10 == 7:
            row, field_name = next(bad_iter)
            rows.append(row)
            bad[len(rows)] = field_name  # line number = position in file (header is line 1)
        else:
            rows.append(_good(i))
    return _csv(tmp_path / "mixed.csv", rows), bad


def _count(ws: Workspace, model: type[SourceRecord] | type[QuarantinedRow]) -> int:
    with ws.store.reading() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_malformed_rows_are_quarantined_and_good_rows_imported(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    path, bad = _mixed_file(tmp_path)
    report = ingest_file(ws, actor=operator, path=path, source="mod", agency="MOD",
                         reliability="b2", classification="confidential")
    assert (report.read, report.imported, report.duplicates, report.quarantined) == (100, 90, 0, 10)
    with ws.store.reading() as s:
        quarantined = s.scalars(select(QuarantinedRow).order_by(QuarantinedRow.line_no)).all()
        records = s.scalars(select(SourceRecord)).all()
    assert {q.line_no: q.field for q in quarantined} == bad
    assert all(q.reason and q.file_name == "mixed.csv" and q.raw_text for q in quarantined)
    assert quarantined[0].raw_text == "B1,Koval,Ivan,,31.02.1990,M,POW,"
    assert quarantined[0].raw["Date of birth"] == "31.02.1990"
    assert {r.record_key for r in records} == {f"R{i}" for i in range(100) if i % 10 != 7}
    assert str(report.reasons[0]).startswith("line 9: birth_date:")


def test_provenance_and_canonical_fields(ws: Workspace, operator: Actor, tmp_path: Path) -> None:
    path, _ = _mixed_file(tmp_path)
    report = ingest_file(ws, actor=operator, path=path, source="mod", agency="MOD",
                         reliability="B2", classification="confidential")
    with ws.store.reading() as s:
        record = s.scalars(select(SourceRecord).where(SourceRecord.record_key == "R0")).one()
        batch = s.get_one(ImportBatch, report.batch_id)
    assert (record.family_name, record.given_name, record.patronymic) == (
        "Koval0", "Ivan", "Petrovych")
    assert (record.birth_date, record.sex, record.status) == ("1990-05-01", "M", "captured")
    assert record.originals == {"status": "POW"}
    assert record.extras == {"Eye colour": "brown"}
    assert record.raw == dict(zip(HEADER, _good(0), strict=True))
    assert record.raw_text == ",".join(_good(0))
    assert (record.line_no, record.file_name, record.agency_code) == (2, "mixed.csv", "MOD")
    assert (record.classification, record.reliability) == ("confidential", "B2")
    assert len(record.content_hash) == 64 and record.imported_at is not None
    assert batch.finished_at is not None and batch.file_sha256 == report.file_sha256
    assert (batch.rows_read, batch.rows_imported, batch.rows_quarantined) == (100, 90, 10)
    assert batch.column_map["Eye colour"] is None and batch.column_map["Surname"] == "family_name"


def test_reimport_adds_nothing(ws: Workspace, operator: Actor, tmp_path: Path) -> None:
    path, _ = _mixed_file(tmp_path)
    ingest_file(ws, actor=operator, path=path, source="mod", agency="MOD")
    before = (_count(ws, SourceRecord), _count(ws, QuarantinedRow))
    again = ingest_file(ws, actor=operator, path=path, source="mod", agency="MOD")
    assert (again.read, again.imported, again.duplicates, again.quarantined) == (100, 0, 100, 0)
    assert (_count(ws, SourceRecord), _count(ws, QuarantinedRow)) == before == (90, 10)


def test_same_file_into_another_source_is_new(ws: Workspace, operator: Actor,
                                              tmp_path: Path) -> None:
    path, _ = _mixed_file(tmp_path)
    ingest_file(ws, actor=operator, path=path, source="mod", agency="MOD")
    other = ingest_file(ws, actor=operator, path=path, source="mod-copy", agency="MOD")
    assert other.imported == 90


def test_duplicates_across_chunks_and_within_a_file(
    ws: Workspace, operator: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "CHUNK_ROWS", 3)
    rows = [HEADER] + [_good(i) for i in range(5)] + [_good(1), _good(4)] + [_good(1)]
    path = _csv(tmp_path / "dups.csv", rows)
    report = ingest_file(ws, actor=operator, path=path, source="mod", agency="MOD")
    assert (report.read, report.imported, report.duplicates) == (8, 5, 3)


def test_one_audit_event_per_batch(ws: Workspace, operator: Actor, tmp_path: Path) -> None:
    path, _ = _mixed_file(tmp_path)
    report = ingest_file(ws, actor=operator, path=path, source="mod", agency="MOD")
    with ws.store.reading() as s:
        events = s.scalars(select(AuditEventRow).where(AuditEventRow.action == "ingest.file")).all()
    assert len(events) == 1
    payload = events[0].payload
    assert events[0].target == f"import_batch:{report.batch_id}"
    assert (payload["read"], payload["imported"], payload["quarantined"]) == (100, 90, 10)
    assert payload["file_sha256"] == report.file_sha256
    with ws.store.reading() as s:
        created = s.scalars(select(AuditEventRow).where(AuditEventRow.action == "source.create"))
        assert [e.payload["name"] for e in created] == ["mod"]


def test_cp1251_csv_with_ukrainian_headers(ws: Workspace, operator: Actor,
                                           tmp_path: Path) -> None:
    rows = [["Прізвище", "Ім'я", "По батькові", "Дата народження", "Стать", "Статус",
             "Особистий номер", "Військова частина", "Звання", "Громадянство"],
            ["Ковальчук", "Олексій", "Іванович", "02.03.1991", "ч", "у полоні", "A1234567",
             "в/ч А0001", "старший лейтенант", "Україна"],
            ["Ґудзь", "Їжак", "Євгенович", "1980", "Ч", "зниклий безвісти", "", "", "", ""]]
    path = _csv(tmp_path / "mod.csv", rows, delimiter=";", encoding="cp1251")
    report = ingest_file(ws, actor=operator, path=path, source="mod", agency="MOD")
    assert (report.encoding, report.delimiter, report.imported, report.quarantined) == (
        "cp1251", ";", 2, 0)
    with ws.store.reading() as s:
        first, second = s.scalars(select(SourceRecord).order_by(SourceRecord.line_no)).all()
    assert (first.family_name, first.given_name, first.patronymic) == (
        "Ковальчук", "Олексій", "Іванович")
    assert (first.birth_date, first.sex, first.status, first.rank, first.citizenship) == (
        "1991-03-02", "M", "captured", "senior_lieutenant", "UKR")
    assert (first.service_number, first.military_unit) == ("A1234567", "в/ч А0001")
    assert (second.family_name, second.given_name, second.status) == ("Ґудзь", "Їжак", "missing")
    assert second.raw["Прізвище"] == "Ґудзь"
    # Cross-script keys come from parley.names, so any spelling finds the record.
    assert first.family_key and first.given_key and first.patronymic_key


def test_russian_headers_and_full_name_column(ws: Workspace, operator: Actor,
                                              tmp_path: Path) -> None:
    rows = [["ФИО", "Дата рождения", "Пол", "Статус", "Гражданство", "Место пленения"],
            ["Ковалёв Александр Николаевич", "1990-05", "муж", "в плену", "Украина", "Мариуполь"],
            ["Ольга Петровна ИВАНОВА", "", "жен", "задержана", "UKR", ""]]
    path = _csv(tmp_path / "ru.csv", rows, delimiter="|")
    report = ingest_file(ws, actor=operator, path=path, source="ssu", agency="SSU")
    assert (report.imported, report.quarantined) == (2, 0)
    with ws.store.reading() as s:
        first, second = s.scalars(select(SourceRecord).order_by(SourceRecord.line_no)).all()
    assert (first.family_name, first.given_name, first.patronymic) == (
        "Ковалёв", "Александр", "Николаевич")
    assert first.originals["full_name"] == "Ковалёв Александр Николаевич"
    assert (first.birth_date, first.status, first.capture_place) == (
        "1990-05", "captured", "Мариуполь")
    assert (second.family_name, second.given_name, second.patronymic) == (
        "ИВАНОВА", "Ольга", "Петровна")
    assert (second.sex, second.status) == ("F", "held")


def test_xlsx_import(ws: Workspace, operator: Actor, tmp_path: Path) -> None:
    from datetime import date

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Прізвище", "Ім'я", "Дата народження", "Номер документа"])
    sheet.append(["Шевченко", "Марія", date(1975, 6, 30), "АВ123456"])
    sheet.append(["Бондар", "Олег", "30.02.1975", ""])
    workbook.save(tmp_path / "moi.xlsx")
    report = ingest_file(ws, actor=operator, path=tmp_path / "moi.xlsx", source="moi",
                         agency="MOI")
    assert (report.format, report.imported, report.quarantined) == ("xlsx", 1, 1)
    assert report.reasons[0].line_no == 3 and report.reasons[0].field == "birth_date"
    with ws.store.reading() as s:
        record = s.scalars(select(SourceRecord)).one()
    assert (record.family_name, record.birth_date, record.document_number) == (
        "Шевченко", "1975-06-30", "АВ123456")


def test_jsonl_import(ws: Workspace, operator: Actor, tmp_path: Path) -> None:
    path = tmp_path / "diu.jsonl"
    lines = [{"surname": "Kovalov", "name": "Oleksandr", "date_of_birth": "1990",
              "status": "MIA", "source_channel": "radio"},
             {"surname": "Petrenko", "status": "captured", "capture_date": "2023-02-30"}]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n", encoding="utf-8")
    report = ingest_file(ws, actor=operator, path=path, source="diu", agency="DIU")
    assert (report.read, report.imported, report.quarantined) == (3, 1, 2)
    assert [(n.line_no, n.field) for n in report.reasons] == [(2, "capture_date"), (3, "row")]
    with ws.store.reading() as s:
        record = s.scalars(select(SourceRecord)).one()
    assert (record.family_name, record.status, record.extras) == (
        "Kovalov", "missing", {"source_channel": "radio"})


def test_mapping_file(ws: Workspace, operator: Actor, tmp_path: Path) -> None:
    mapping = tmp_path / "map.csv"
    mapping.write_text("header,canonical_field\nNom,family_name\nPrénom,given_name\n"
                       "Né le,birth_date\n", encoding="utf-8")
    path = _csv(tmp_path / "fr.csv", [["Nom", "Prénom", "Né le", "Yeux"],
                                      ["Koval", "Ivan", "01.01.1990", "bleu"]])
    report = ingest_file(ws, actor=operator, path=path, source="fr", agency="HQ",
                         mapping=mapping)
    assert report.imported == 1
    with ws.store.reading() as s:
        record = s.scalars(select(SourceRecord)).one()
    assert (record.family_name, record.given_name, record.birth_date) == (
        "Koval", "Ivan", "1990-01-01")
    assert record.extras == {"Yeux": "bleu"}


def test_overlong_value_is_quarantined_not_a_crash(ws: Workspace, operator: Actor,
                                                   tmp_path: Path) -> None:
    path = _csv(tmp_path / "long.csv", [["Surname", "Service number"],
                                        ["Koval", "9" * 65], ["Shevchuk", "123"]])
    report = ingest_file(ws, actor=operator, path=path, source="x", agency="MOD")
    assert (report.imported, report.quarantined) == (1, 1)
    assert report.reasons[0].field == "service_number"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [({"reliability": "G1"}, InvalidInput, "Admiralty"),
     ({"reliability": "B7"}, InvalidInput, "Admiralty"),
     ({"classification": "cosmic"}, InvalidInput, "classification"),
     ({"agency": "NOPE"}, NotFound, "agency 'NOPE'")],
)
def test_refused_arguments(ws: Workspace, operator: Actor, tmp_path: Path,
                           kwargs: dict[str, str], error: type[Exception], message: str) -> None:
    path, _ = _mixed_file(tmp_path)
    args: dict[str, str] = {"agency": "MOD", **kwargs}
    with pytest.raises(error, match=message):
        ingest_file(ws, actor=operator, path=path, source="mod", **args)  # type: ignore[arg-type]
    assert _count(ws, SourceRecord) == 0


def test_source_belongs_to_one_agency(ws: Workspace, operator: Actor, tmp_path: Path) -> None:
    path, _ = _mixed_file(tmp_path)
    ingest_file(ws, actor=operator, path=path, source="mod", agency="MOD")
    with pytest.raises(Conflict, match="belongs to agency MOD"):
        ingest_file(ws, actor=operator, path=path, source="mod", agency="SSU")


def test_actor_without_ingest_right(ws: Workspace, tmp_path: Path) -> None:
    path, _ = _mixed_file(tmp_path)
    auditor = Actor(username="aud", role=Role.AUDITOR, agency="HQ")
    with pytest.raises(AccessDenied):
        ingest_file(ws, actor=auditor, path=path, source="mod", agency="MOD")


def test_unreadable_file_writes_nothing(ws: Workspace, operator: Actor, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(UnreadableFile, match=r"empty\.csv"):
        ingest_file(ws, actor=operator, path=path, source="mod", agency="MOD")
    with ws.store.reading() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_progress_is_reported(ws: Workspace, operator: Actor, tmp_path: Path) -> None:
    path, _ = _mixed_file(tmp_path)
    calls: list[tuple[int, int | None]] = []
    ingest_file(ws, actor=operator, path=path, source="mod", agency="MOD",
                progress=lambda _stage, done, total: calls.append((done, total)))
    assert calls[0] == (100, 100) and calls[-1] == (100, 100)


@pytest.mark.parametrize(
    ("text", "parts"),
    [("Коваленко Іван Петрович", ("Коваленко", "Іван", "Петрович")),
     ("Іван Петрович Коваленко", ("Коваленко", "Іван", "Петрович")),
     ("Ivan KOVALENKO", ("KOVALENKO", "Ivan", "")),
     ("Коваленко Іван", ("Коваленко", "Іван", "")),
     ("Коваленко", ("Коваленко", "", ""))],
)
def test_a_whole_name_is_split_in_any_order(ws: Workspace, operator: Actor, tmp_path: Path,
                                            text: str, parts: tuple[str, str, str]) -> None:
    path = _csv(tmp_path / "whole.csv", [["ПІБ", "Статус"], [text, "POW"]])
    ingest_file(ws, actor=operator, path=path, source="mod", agency="MOD")
    with ws.store.reading() as s:
        record = s.scalars(select(SourceRecord)).one()
    assert (record.family_name, record.given_name, record.patronymic) == parts


def test_interrupted_import_keeps_its_counts_and_a_rerun_completes_it(
    ws: Workspace, operator: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "CHUNK_ROWS", 30)
    path, _ = _mixed_file(tmp_path)

    def stop(_stage: str, done: int, total: int | None) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest_file(ws, actor=operator, path=path, source="mod", agency="MOD", progress=stop)
    with ws.store.reading() as s:
        batch = s.scalars(select(ImportBatch)).one()
        event = s.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "ingest.interrupted")
        ).one()
    # The first chunk (30 rows: 27 good, 3 bad) was committed before the interruption.
    assert batch.finished_at is None
    assert (batch.rows_read, batch.rows_imported, batch.rows_quarantined) == (30, 27, 3)
    assert event.target == f"import_batch:{batch.id}"
    assert (event.payload["read"], event.payload["reason"]) == (30, "KeyboardInterrupt")
    assert (_count(ws, SourceRecord), _count(ws, QuarantinedRow)) == (27, 3)

    again = ingest_file(ws, actor=operator, path=path, source="mod", agency="MOD")
    assert (again.read, again.imported, again.duplicates, again.quarantined) == (100, 63, 30, 7)
    assert (_count(ws, SourceRecord), _count(ws, QuarantinedRow)) == (90, 10)


def test_title_lines_and_a_mapping_file(ws: Workspace, operator: Actor, tmp_path: Path) -> None:
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"Nom": "family_name", "Prénom": "given_name"}),
                       encoding="utf-8")
    path = _csv(tmp_path / "fr.csv", [["Liste des personnes détenues"], ["Nom", "Prénom", "Né"],
                                      ["Koval", "Ivan", "1990"]])
    report = ingest_file(ws, actor=operator, path=path, source="fr", agency="HQ",
                         mapping=mapping)
    assert (report.read, report.imported, report.quarantined) == (1, 1, 0)
    with ws.store.reading() as s:
        record = s.scalars(select(SourceRecord)).one()
    assert (record.family_name, record.given_name, record.line_no) == ("Koval", "Ivan", 3)
    assert record.extras == {"Né": "1990"}


def test_xlsx_progress_knows_the_total(ws: Workspace, operator: Actor, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Прізвище", "Ім'я"])
    for i in range(25):
        sheet.append([f"Коваль{i}", "Іван"])
    workbook.save(tmp_path / "moi.xlsx")
    calls: list[tuple[int, int | None]] = []
    ingest_file(ws, actor=operator, path=tmp_path / "moi.xlsx", source="moi", agency="MOI",
                progress=lambda _stage, done, total: calls.append((done, total)))
    assert calls[0] == (25, 25)


def test_collector_thresholds_are_restored(ws: Workspace, operator: Actor,
                                           tmp_path: Path) -> None:
    import gc

    before = gc.get_threshold()
    during: list[tuple[int, int, int]] = []
    path, _ = _mixed_file(tmp_path)
    ingest_file(ws, actor=operator, path=path, source="mod", agency="MOD",
                progress=lambda _stage, done, total: during.append(gc.get_threshold()))
    assert during[0][0] >= ingest_repo.BULK_GC_THRESHOLD
    assert gc.get_threshold() == before


def test_unfamiliar_status_and_rank_words_keep_the_row(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    """Issue 11, class 6: a word the vocabulary does not know is kept with the code
    ``unknown`` and counted as a warning; the registry loses no one over it."""
    rows = [["Record ID", "Surname", "Name", "Status", "Rank"],
            ["V1", "Koval", "Ivan", "на канікулах", "gunner"],
            ["V2", "Moroz", "Petro", "підтверджено полон", "starshyi soldat"],
            ["V3", "Savchuk", "Oleh", "в плену (подтверждено)", "ст. лейтенант"]]
    report = ingest_file(ws, actor=operator, path=_csv(tmp_path / "vocab.csv", rows),
                         source="mod", agency="MOD", reliability="B2",
                         classification="confidential")
    assert (report.imported, report.quarantined, report.warnings) == (3, 0, 2)
    assert report.as_dict()["warnings"] == 2
    with ws.store.reading() as s:
        got = {r.record_key: r for r in s.scalars(select(SourceRecord)).all()}
    assert (got["V1"].status, got["V1"].rank) == ("unknown", "unknown")
    assert got["V1"].originals == {"status": "на канікулах", "rank": "gunner"}
    assert (got["V2"].status, got["V2"].rank) == ("captured", "senior_soldier")
    assert (got["V3"].status, got["V3"].rank) == ("captured", "senior_lieutenant")
