"""Entries from a staff file: the CSV a coordinator writes by hand or exports from elsewhere."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from parley.adapters.files.small_csv import small_csv
from parley.domain.dates import parse_partial_date
from parley.domain.lists import Entry, Status, age_group
from parley.errors import N_, InvalidInput, Text, in_file

ENTRY_COLUMNS = ("record_id", "family_name", "given_name", "patronymic", "birth_date",
                 "category", "seriously_wounded", "captivity_start")


def read_entries_csv(path: Path, *, today: date | None = None) -> list[Entry]:
    """Entries from CSV (``record_id, family_name, given_name, patronymic, birth_date, category,
    seriously_wounded, captivity_start`` and optionally ``staff_categories`` separated by ';',
    ``person_id``, ``status``); more columns become priority facts."""
    on = today or date.today()
    out: list[Entry] = []
    with small_csv(path, ENTRY_COLUMNS) as reader:
        for line, row in enumerate(reader, start=2):
            out.append(_entry_from_row(row, source=path.name, line=line, on=on))
    return out


def _entry_from_row(row: Mapping[str, str], *, source: str, line: int, on: date) -> Entry:
    def where(column: str) -> Text:
        return in_file(source, line, column)

    key = (row.get("record_id") or "").strip()
    if not key:
        raise InvalidInput(N_("%(where)s: empty"), where=where('record_id'))
    category = (row.get("category") or "").strip().lower()
    if category not in ("military", "civilian"):
        raise InvalidInput(
            N_("%(where)s: unknown category %(category)s (expected military or civilian)"),
            where=where('category'), category=repr(row.get('category')),
        )
    wounded = (row.get("seriously_wounded") or "").strip().lower()
    if wounded not in ("true", "false", ""):
        raise InvalidInput(
            N_("%(where)s: %(wounded)s is not true or false"),
            where=where('seriously_wounded'), wounded=repr(wounded),
        )
    dates: dict[str, date | None] = {}
    for column in ("birth_date", "captivity_start"):
        try:
            parsed = parse_partial_date(row.get(column) or "")
        except ValueError as err:
            raise InvalidInput(N_("%(where)s: %(err)s"), where=where(column), err=err) from None
        dates[column] = parsed.to_date() if parsed else None
    person_raw = (row.get("person_id") or "").strip()
    if person_raw and not person_raw.isdigit():
        raise InvalidInput(
            N_("%(where)s: %(person_raw)s is not a number"),
            where=where('person_id'), person_raw=repr(person_raw),
        )
    status = (row.get("status") or "proposed").strip() or "proposed"
    if status not in {s.value for s in Status}:
        raise InvalidInput(
            N_("%(where)s: unknown status %(status)s"),
            where=where('status'), status=repr(status),
        )
    names = [row.get(c, "").strip() for c in ("family_name", "given_name", "patronymic")]
    known = {*ENTRY_COLUMNS, "staff_categories", "person_id", "status"}
    facts = {k: (v or "").strip() for k, v in row.items() if k and k not in known and v}
    if dates["captivity_start"]:
        facts["captivity_start"] = dates["captivity_start"].isoformat()
        if dates["captivity_start"].year <= 2014:
            facts.setdefault("held_since_2014", "true")
    return Entry(
        key=key, display_name=" ".join(n for n in names if n), family_name=names[0],
        given_name=names[1], patronymic=names[2], birth_date=(row.get("birth_date") or "").strip(),
        person_id=int(person_raw) if person_raw else None, category=category,
        seriously_wounded=wounded == "true", age_group=age_group(dates["birth_date"], on),
        staff_categories=tuple(sorted({c.strip() for c in (row.get("staff_categories") or "")
                                       .split(";") if c.strip()})),
        facts=facts, status=Status(status),
    )
