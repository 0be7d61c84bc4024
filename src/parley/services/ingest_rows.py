"""Ingest's pure part: a raw row becomes the tuple of its ``source_records`` values, or the
reason it is quarantined (names split and keyed through ``parley.names``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from parley.adapters.files import ColumnMap, RawRow
from parley.domain import row_problems as rp
from parley.domain.records import (
    CANONICAL_FIELDS,
    CODED_FIELDS,
    DATE_FIELDS,
    FULL_NAME_FIELD,
    build_record,
)
from parley.errors import InvalidRecord
from parley.names import name_keys, parse_name


@dataclass(frozen=True, slots=True)
class QuarantineNote:
    line_no: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line_no}: {self.field}: {self.reason}"


# --- names ----------------------------------------------------------------------------------


class Names:
    """A whole name split into its parts, and the parts' cross-script keys, by ``parley.names``
    (a name it cannot read is kept as written, without keys: never a reason to lose the row)."""

    def split(self, text: str) -> tuple[str, str, str]:
        try:
            parts = parse_name(text)
        except ValueError:
            return text.strip(), "", ""
        return parts.family, parts.given, parts.patronymic

    def keys(self, family: str, given: str, patronymic: str) -> tuple[str, str, str]:
        try:
            return name_keys(family, given, patronymic)
        except ValueError:
            return "", "", ""


# --- preparing rows (pure) ------------------------------------------------------------------

_CANON_COLUMNS: tuple[str, ...] = tuple(
    f for f in CANONICAL_FIELDS if f not in ("record_id", "source")
)
# The columns a row fills after the per-batch constants, in the order ``Preparer`` returns them.
ROW_COLUMNS: tuple[str, ...] = (
    "record_key", "line_no", "raw", "raw_text", "content_hash", *_CANON_COLUMNS, "originals",
    "extras", "family_key", "given_key", "patronymic_key",
)
_canon_values = attrgetter("record_id", *_CANON_COLUMNS)


def _limited(widths: Mapping[str, int]) -> tuple[tuple[int, str, int], ...]:
    """Free-text fields and their column widths, by their index in a record's values (coded
    fields and dates are canonical, short, by now)."""
    found = []
    for index, name in enumerate(("record_id", *_CANON_COLUMNS)):
        width = widths.get("record_key" if name == "record_id" else name, 0)
        if width and name not in (*DATE_FIELDS, *CODED_FIELDS):
            found.append((index, name, width))
    return tuple(found)


_JSON = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(slots=True)
class Bad:
    row: RawRow
    hash: str
    field: str
    reason: str


class Preparer:
    """A raw row → the tuple of its ``source_records`` values (see ``ROW_COLUMNS``), or the
    reason it is quarantined."""

    def __init__(self, columns: ColumnMap, source: str, names: Names,
                 widths: Mapping[str, int]) -> None:
        self.columns = columns
        self.source = source
        self.names = names
        self.warnings = 0  # coded words kept as ``unknown`` (their rows are imported)
        self.limited = _limited(widths)
        # A row whose longest value fits the narrowest column needs no field-by-field check.
        self.narrowest = min((width for _, _, width in self.limited), default=1 << 30)

    def __call__(self, row: RawRow, digest: str) -> tuple[Any, ...] | Bad:
        if row.problem:
            return Bad(row, digest, "row", row.problem)
        if "\x00" in row.raw_text:
            return Bad(row, digest, "row", rp.NUL)
        canonical, extras = self.columns.split(row.values)
        full = canonical.get(FULL_NAME_FIELD, "").strip()
        if full and not (canonical.get("family_name", "").strip()
                         or canonical.get("given_name", "").strip()
                         or canonical.get("patronymic", "").strip()):
            family, given, patronymic = self.names.split(full)
            canonical.update(family_name=family, given_name=given, patronymic=patronymic)
        try:
            record, warnings = build_record(canonical, extras=extras, keep_unknown=True)
            self.warnings += len(warnings)
        except InvalidRecord as err:
            reason = err.reason
            if err.value and err.value not in reason:
                reason = rp.sentence(rp.WITH_VALUE, reason=reason, value=err.value)
            return Bad(row, digest, err.field, reason)
        values: tuple[str, ...] = _canon_values(record)
        if max(map(len, values)) > self.narrowest:
            for index, name, limit in self.limited:
                if len(values[index]) > limit:
                    return Bad(row, digest, name, rp.sentence(rp.TOO_LONG, limit=limit))
        originals = record.originals
        if full:
            originals = {**originals, FULL_NAME_FIELD: record.full_name}
        family_key, given_key, patronymic_key = self.names.keys(
            record.family_name, record.given_name, record.patronymic
        )
        return (
            values[0], row.line_no, _JSON(row.values), row.raw_text, digest, *values[1:],
            _JSON(originals) if originals else "{}",
            _JSON(record.extras) if record.extras else "{}",
            family_key[:200], given_key[:200], patronymic_key[:200],
        )

