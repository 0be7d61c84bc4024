"""Ingest's pure part: a raw row becomes the tuple of its ``source_records`` values, or the
reason it is quarantined (names split and keyed through ``parley.names`` when it is there)."""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from parley.adapters.files import ColumnMap, RawRow
from parley.adapters.sql.ingest_writer import RECORDS as _RECORDS
from parley.domain.records import (
    CANONICAL_FIELDS,
    CODED_FIELDS,
    DATE_FIELDS,
    FULL_NAME_FIELD,
    build_record,
)
from parley.errors import InvalidRecord


@dataclass(frozen=True, slots=True)
class QuarantineNote:
    line_no: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line_no}: {self.field}: {self.reason}"




# --- names: parley.names when it is there, a plain fallback until then -----------------------


def _names_api() -> tuple[Callable[[str], Any] | None, Callable[[str, str, str], Any] | None]:
    """``parse_name`` and ``normalize_name`` from ``parley.names``, or ``None`` while that
    package does not offer them yet (ingest must work either way)."""
    try:
        module = importlib.import_module("parley.names")
    except ImportError:
        return None, None
    return getattr(module, "parse_name", None), getattr(module, "normalize_name", None)


_PATRONYMIC_END = re.compile(
    r"(ович|евич|євич|івна|ївна|овна|евна|ична|ич|ovych|ovich|evich|ivna|ovna|evna|ich)$",
    re.IGNORECASE,
)


def split_full_name(text: str) -> tuple[str, str, str]:
    """(family, given, patronymic) of a whole name in one column.

    Official Ukrainian and Russian order is ``Family Given Patronymic``; ``Given Patronymic
    Family`` is recognised by its patronymic in the middle, and ``Given FAMILY`` by the capitals.
    """
    parts = text.replace(",", " ").split()
    if not parts:
        return "", "", ""
    if len(parts) == 1:
        return parts[0], "", ""
    if len(parts) == 2:
        first, second = parts
        if second.isupper() and not first.isupper():
            return second, first, ""
        return first, second, ""
    if _PATRONYMIC_END.search(parts[1]) and not _PATRONYMIC_END.search(parts[-1]):
        return " ".join(parts[2:]), parts[0], parts[1]
    return parts[0], parts[1], " ".join(parts[2:])


class Names:
    def __init__(self) -> None:
        self.parse, self.normalize = _names_api()

    def split(self, text: str) -> tuple[str, str, str]:
        if self.parse is not None:
            try:
                parts = self.parse(text)
                return (str(parts.family or ""), str(parts.given or ""),
                        str(parts.patronymic or ""))
            except (ValueError, TypeError, AttributeError):
                pass
        return split_full_name(text)

    def keys(self, family: str, given: str, patronymic: str) -> tuple[str, str, str]:
        if self.normalize is None:
            return "", "", ""
        try:
            norm = self.normalize(family, given, patronymic)
            return (str(norm.family_key or ""), str(norm.given_key or ""),
                    str(norm.patronymic_key or ""))
        except (ValueError, TypeError, AttributeError):
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


def _limit(name: str) -> int:
    column = _RECORDS.c["record_key" if name == "record_id" else name]
    return int(getattr(column.type, "length", 0) or 0)


# Free-text fields and their column widths (coded fields and dates are canonical, short, by
# now); a row whose longest value fits the narrowest of them needs no field-by-field check.
_LIMITED: tuple[tuple[int, str, int], ...] = tuple(
    (i, name, _limit(name)) for i, name in enumerate(("record_id", *_CANON_COLUMNS))
    if _limit(name) and name not in (*DATE_FIELDS, *CODED_FIELDS)
)
_NARROWEST = min(limit for _, _, limit in _LIMITED)
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

    def __init__(self, columns: ColumnMap, source: str, names: Names) -> None:
        self.columns = columns
        self.source = source
        self.names = names
        self.warnings = 0  # coded words kept as ``unknown`` (their rows are imported)

    def __call__(self, row: RawRow, digest: str) -> tuple[Any, ...] | Bad:
        if row.problem:
            return Bad(row, digest, "row", row.problem)
        if "\x00" in row.raw_text:
            return Bad(row, digest, "row", "the row contains a NUL character")
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
                reason = f"{reason} (value '{err.value}')"
            return Bad(row, digest, err.field, reason)
        values: tuple[str, ...] = _canon_values(record)
        if max(map(len, values)) > _NARROWEST:
            for index, name, limit in _LIMITED:
                if len(values[index]) > limit:
                    return Bad(row, digest, name, f"longer than {limit} characters")
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

