"""``generate(people, seed, out)``: the agency files, ``truth.csv`` and ``manifest.json``.

Deterministic for a seed: the same call writes byte-identical files (the XLSX's timestamps are
pinned). ``difficulty="full"`` adds a few deliberately malformed rows that ingest must
quarantine; they are listed in the manifest (``expected_quarantine``) and absent from the truth.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

import openpyxl

from parley.synth.people import Person, population
from parley.synth.sources import Plan, Row, plans

DIFFICULTIES = ("full", "clean")
_PINNED = datetime(2026, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_PINNED_MODIFIED = rb"\g<1>2026-01-01T00:00:00Z\g<2>"


@dataclass(frozen=True)
class ManifestFile:
    file: str
    source: str
    agency: str
    reliability: str
    classification: str
    format: str
    encoding: str
    delimiter: str
    rows: int
    description: str


@dataclass
class Manifest:
    """What ``generate`` wrote; ``manifest.json`` holds the same."""

    out: Path
    people: int
    seed: int
    difficulty: str
    files: list[ManifestFile] = field(default_factory=list)
    expected_quarantine: list[dict[str, object]] = field(default_factory=list)
    truth_file: str = "truth.csv"
    persons_file: str = "persons.csv"

    def as_dict(self) -> dict[str, object]:
        return {
            "people": self.people, "seed": self.seed, "difficulty": self.difficulty,
            "truth": self.truth_file, "persons": self.persons_file,
            "files": [asdict(f) for f in self.files],
            "expected_quarantine": self.expected_quarantine,
        }


@dataclass
class _Built:
    rows: list[Row]
    person_ids: list[str]  # "" for a deliberately bad row
    bad: dict[int, str]  # row index → the field it breaks


def _build(plan: Plan, people: list[Person], seed: int, difficulty: str) -> _Built:
    rng = random.Random(f"{seed}:{plan.spec.file}")
    chosen = [p for p in people if plan.include(p, rng)]
    entries = list(chosen)
    entries += [p for p in chosen if rng.random() < plan.duplicate_share]
    rng.shuffle(entries)
    rows: list[Row] = []
    ids: list[str] = []
    for person in entries:
        rows.append(plan.make(person, rng, plan.id_format.format(len(rows) + 1)))
        ids.append(person.person_id)
    bad: dict[int, str] = {}
    if difficulty == "full" and chosen:
        for overrides, field_name in plan.bad_rows:
            position = rng.randrange(len(rows) + 1)
            row = plan.make(rng.choice(chosen), rng, "")
            row.update(overrides)
            rows.insert(position, row)
            ids.insert(position, "")
            bad = {(i + 1 if i >= position else i): f for i, f in bad.items()}
            bad[position] = field_name
        for serial, row in enumerate(rows, 1):  # number the ids in file order again
            key = next(iter(row))
            row[key] = plan.id_format.format(serial)
    return _Built(rows, ids, bad)


def _write_csv(path: Path, rows: list[Row], encoding: str, delimiter: str) -> None:
    headers = list(rows[0]) if rows else []
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(h, "") for h in headers])


def _cell(value: str) -> object:
    try:
        return date.fromisoformat(value) if len(value) == 10 and value[4] == "-" else value
    except ValueError:
        return value


def _write_xlsx(path: Path, rows: list[Row]) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    workbook.properties.created = _PINNED
    workbook.properties.modified = _PINNED
    sheet = workbook.create_sheet("Реєстр")
    headers = list(rows[0]) if rows else []
    sheet.append(headers)
    for row in rows:
        sheet.append([_cell(row.get(h, "")) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    # Pin the ZIP entries' times too, and the "modified" stamp that openpyxl sets to the time of
    # saving whatever the properties say, so the same seed gives the same bytes.
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = _MODIFIED.sub(_PINNED_MODIFIED, data)
            target.writestr(info, data)


def _write_jsonl(path: Path, rows: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps({k: v for k, v in row.items() if v != ""},
                                    ensure_ascii=False) + "\n")


def _first_line(fmt: str) -> int:
    return 1 if fmt == "jsonl" else 2  # a header line comes first in CSV and XLSX


def generate(
    people: int,
    seed: int,
    out: Path,
    difficulty: str = "full",
    progress: Callable[[str], None] | None = None,
) -> Manifest:
    """Write the agency files for ``people`` synthetic persons into ``out``; see the module doc."""
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty must be one of {', '.join(DIFFICULTIES)}")
    if people < 1:
        raise ValueError("people must be at least 1")
    out.mkdir(parents=True, exist_ok=True)
    persons = population(people, random.Random(seed))
    manifest = Manifest(out=out, people=people, seed=seed, difficulty=difficulty)
    truth: list[tuple[str, str, str]] = []
    for plan in plans():
        spec = plan.spec
        if progress is not None:
            progress(spec.file)
        built = _build(plan, persons, seed, difficulty)
        path = out / spec.file
        if spec.format == "xlsx":
            _write_xlsx(path, built.rows)
        elif spec.format == "jsonl":
            _write_jsonl(path, built.rows)
        else:
            _write_csv(path, built.rows, spec.encoding, spec.delimiter)
        first = _first_line(spec.format)
        for i, (row, person_id) in enumerate(zip(built.rows, built.person_ids, strict=True)):
            record_id = next(iter(row.values()))
            if person_id:
                truth.append((spec.source, record_id, person_id))
            else:
                manifest.expected_quarantine.append(
                    {"file": spec.file, "line": first + i, "field": built.bad[i]}
                )
        manifest.files.append(ManifestFile(
            file=spec.file, source=spec.source, agency=spec.agency,
            reliability=spec.reliability, classification=spec.classification,
            format=spec.format, encoding=spec.encoding, delimiter=spec.delimiter,
            rows=len(built.rows), description=spec.description,
        ))
    with (out / manifest.truth_file).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["source", "record_id", "person_id"])
        writer.writerows(truth)
    _write_persons(out / manifest.persons_file, persons)
    (out / "manifest.json").write_text(
        json.dumps(manifest.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return manifest


def _write_persons(path: Path, persons: list[Person]) -> None:
    """The persons themselves (Ukrainian form), with their look-alike links."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["person_id", "family_name", "given_name", "patronymic", "sex",
                         "birth_date", "military", "status", "lookalike_of", "lookalike_kind"])
        for p in persons:
            family, given, patronymic = p.names("ua")
            writer.writerow([p.person_id, family, given, patronymic, p.sex, p.birth.isoformat(),
                             "yes" if p.military else "no", p.status, p.lookalike_of,
                             p.lookalike_kind])
