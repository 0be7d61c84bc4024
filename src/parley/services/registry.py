"""Reading the registry: search by any name form, birth date or number; one source record with its
provenance; the import batches with their quarantined rows; CSV exports of the same.

Everything leaves through ``parley.services.access`` (``redact_many``/``redact``), so what a
page, the API and an export show is the same for one user. The store query is narrowed first by
the policy's own gates (``blocked_agencies``, ``readable_classifications``) so that a page of
results is not eaten up by rows the user may not see; the redaction then decides field by field.
A search criterion only matches through fields the user may read, so a search cannot confirm a
value the user would not be shown.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from parley.adapters.files.csv_export import export_writer
from parley.domain.actors import Action, Actor
from parley.domain.dates import parse_partial_date
from parley.domain.policy import (
    Kind,
    Op,
    blocked_agencies,
    fields_allowed,
    readable_classifications,
)
from parley.errors import N_, InvalidInput, NotFound
from parley.names import normalize_name
from parley.services.access import WITHHELD, deny, redact_many
from parley.services.journal import record_event
from parley.services.ports.registry import (
    KEY_FIELDS,
    RECORD_FIELDS,
    QuarantinedHead,
    RecordFilter,
)
from parley.services.workspace import Workspace

PROVENANCE_FIELDS: tuple[str, ...] = (
    "source_name", "agency_code", "file_name", "line_no", "imported_at", "content_hash",
    "classification", "reliability", "batch_id", "record_key",
)
MAX_LIMIT = 500


def _key(word: str, position: int) -> str:
    """The cross-script key of ``word`` read as family (0), given name (1) or patronymic (2)."""
    parts = ["", "", ""]
    parts[position] = word
    try:
        normal = normalize_name(*parts)
    except ValueError:  # a word the name module cannot read is simply not a key
        return ""
    value: str = getattr(normal, KEY_FIELDS[position])
    return value


@dataclass(frozen=True, slots=True)
class SearchResult:
    rows: list[dict[str, Any]]
    truncated: bool
    criteria: dict[str, str] = field(default_factory=dict)


def _words(text: str) -> list[str]:
    cleaned = "".join(ch if ch.isalpha() or ch in "'’-" else " " for ch in text)
    return [w for w in cleaned.split() if w]


def _normal_number(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


@dataclass(frozen=True, slots=True)
class _Criteria:
    words: list[str]
    keys: tuple[frozenset[str], frozenset[str], frozenset[str]]  # family, given, patronymic
    birth_date: str
    number: str
    number_forms: frozenset[str] = frozenset()


def _parse_criteria(name: str, birth_date: str, number: str) -> _Criteria:
    words = _words(name)[:6]
    if name.strip() and not words:
        raise InvalidInput(N_("name: type letters of a name (any script)"))
    fam, giv, pat = (frozenset(k for w in words if (k := _key(w, pos)))
                     for pos in range(3))
    date_text = ""
    if birth_date.strip():
        try:
            parsed = parse_partial_date(birth_date)
        except ValueError as err:
            raise InvalidInput(
                N_("birth date: use 1990-05-12, 1990-05, 1990 or 12.05.1990")) from err
        date_text = str(parsed) if parsed is not None else ""
    normal = _normal_number(number)
    if number.strip() and not normal:
        raise InvalidInput(N_("number: type letters or digits of a service or document number"))
    if not (words or date_text or normal):
        raise InvalidInput(N_("give a name, a birth date or a number to search for"))
    raw_number = number.strip()
    forms = frozenset(f for f in (raw_number, raw_number.upper(), normal,
                                  raw_number.replace(" ", ""), raw_number.upper().replace(" ", ""))
                      if f)
    return _Criteria(words=words, keys=(fam, giv, pat), birth_date=date_text, number=normal,
                     number_forms=forms)


_NAME_PARTS = ("family_name", "given_name", "patronymic")


def _name_hits(item: Mapping[str, Any], crit: _Criteria, readable: frozenset[str]) -> int:
    """How many of the record's readable name parts a query word matches (any spelling)."""
    lowered = {w.casefold() for w in crit.words}
    hits = 0
    for position, part in enumerate(_NAME_PARTS):
        if part not in readable:
            continue
        value = str(item.get(part) or "")
        key = str(item.get(KEY_FIELDS[position]) or "")
        if value and (value.casefold() in lowered or (key and key in crit.keys[position])):
            hits += 1
    return hits


def _matches(item: Mapping[str, Any], crit: _Criteria, readable: frozenset[str]) -> bool:
    """Re-check each criterion through readable fields only (see the module docstring)."""
    if crit.words:
        family = str(item.get("family_name") or "")
        family_hit = "family_name" in readable and (
            family.casefold() in {w.casefold() for w in crit.words}
            or str(item.get("family_key") or "") in crit.keys[0] - {""})
        if not family_hit:
            return False
    if crit.birth_date:
        value = str(item.get("birth_date") or "")
        if "birth_date" not in readable or not value:
            return False
        if not (value.startswith(crit.birth_date) or crit.birth_date.startswith(value)):
            return False
    if crit.number:
        ok = False
        for name in ("service_number", "document_number"):
            if name in readable and _normal_number(str(item.get(name) or "")) == crit.number:
                ok = True
        if not ok:
            return False
    return True


def _date_prefixes(date_text: str) -> list[str]:
    """Partial dates a record may hold that fit a query date: '1990', '1990-05' for 1990-05-12."""
    parts = date_text.split("-")
    return ["-".join(parts[:n]) for n in range(1, len(parts))]


def _record_filter(actor: Actor, crit: _Criteria) -> RecordFilter:
    """Narrow in the store with index-friendly conditions only (equality, IN, ranges); the exact
    rules (case-folding, number punctuation) are applied by ``_matches`` afterwards. The family
    name leads (indexed columns); given names and patronymics rank. The policy's own gates
    come first, so that a page of results is not eaten up by rows the user may not see."""
    return RecordFilter(
        classifications=tuple(readable_classifications(actor)),
        blocked_agencies=tuple(sorted(blocked_agencies(actor))),
        family_names=tuple(sorted({form for w in crit.words for form in (
            w, w.lower(), w.upper(), w.capitalize(), w.title())})),
        family_keys=tuple(sorted(crit.keys[0])),
        birth_date=crit.birth_date, birth_prefixes=tuple(_date_prefixes(crit.birth_date)),
        numbers=tuple(sorted(crit.number_forms)) if crit.number else ())


def search_registry(
    ws: Workspace,
    *,
    actor: Actor,
    name: str = "",
    birth_date: str = "",
    number: str = "",
    limit: int = 50,
    op: Op = Op.READ,
) -> SearchResult:
    """Source records matching every criterion given, redacted for ``actor``.

    ``name`` is any spelling of any name parts, in any order and script; ``birth_date`` may be
    partial; ``number`` is a service or document number.
    """
    actor.require(Action.SEARCH_REGISTRY)
    crit = _parse_criteria(name, birth_date, number)
    limit = max(1, min(limit, MAX_LIMIT))
    with ws.store.reading() as tx:
        # Fetch a margin beyond the limit: a few rows may fall to the field-level re-check.
        items = ws.repos.registry.search(tx, _record_filter(actor, crit), limit=limit * 2 + 10)
    scored: list[tuple[int, dict[str, Any]]] = []
    for item in items:
        readable = fields_allowed(actor, Kind.SOURCE_RECORD, Op.READ, item)
        if _matches(item, crit, readable):
            scored.append((-_name_hits(item, crit, readable), item))
    scored.sort(key=lambda pair: pair[0])  # stable: ties keep the store's alphabetical order
    items = [item for _, item in scored]
    for item in items:  # the keys served matching; they are not part of what is shown
        for key in KEY_FIELDS:
            item.pop(key, None)
    shown = redact_many(actor, Kind.SOURCE_RECORD, items, op=op)
    criteria = {k: v for k, v in (("name", name.strip()), ("birth date", crit.birth_date),
                                  ("number", crit.number)) if v}
    return SearchResult(rows=shown[:limit], truncated=len(shown) > limit, criteria=criteria)


def get_source_record(ws: Workspace, *, actor: Actor, record_id: int,
                      op: Op = Op.READ) -> dict[str, Any]:
    """One source record (raw row verbatim and provenance), redacted; a record the actor may not
    see is reported exactly like a missing one, and the refusal is logged."""
    actor.require(Action.READ_RECORD)
    what = f"source record {record_id}"
    with ws.store.reading() as tx:
        item = ws.repos.registry.record(tx, record_id)
        if item is None:
            raise _no_record(record_id)
    for key in KEY_FIELDS:
        item.pop(key, None)
    shown = redact_many(actor, Kind.SOURCE_RECORD, [item], op=op)
    if not shown:
        raise deny(ws, actor=actor, what=what, target=f"source_record:{record_id}",
                   missing=_no_record(record_id))
    return shown[0]


def _no_record(record_id: int) -> NotFound:
    return NotFound(N_("no source record %(record_id)s"), record_id=record_id)


QUARANTINE_PAGE = 50  # quarantined rows shown per batch and page
QUARANTINE_TEXT = 500  # characters of a quarantined row's text (and of each value) shown


@dataclass(frozen=True, slots=True)
class BatchView:
    batch: dict[str, Any]
    quarantined: list[dict[str, Any]]
    quarantined_total: int
    quarantined_offset: int = 0


def list_imports(ws: Workspace, *, actor: Actor, limit: int = 50,
                 rows_per_batch: int = QUARANTINE_PAGE, batch_id: int | None = None,
                 offset: int = 0) -> list[BatchView]:
    """Import batches, newest first (or the one ``batch_id``), each with one page of its
    quarantined rows (``offset``, ``rows_per_batch`` at most ``MAX_LIMIT``); a row's text and
    values are cut to ``QUARANTINE_TEXT`` characters, so a view stays small whatever came in."""
    actor.require(Action.READ_RECORD)
    page = max(1, min(rows_per_batch, MAX_LIMIT))
    with ws.store.reading() as tx:
        batches = ws.repos.registry.batches(tx, batch_id=batch_id,
                                            limit=max(1, min(limit, MAX_LIMIT)))
        views: list[BatchView] = []
        for item in batches:
            shown = redact_many(actor, Kind.IMPORT_BATCH, [item])
            if not shown:
                continue
            heads, total = ws.repos.registry.quarantined(
                tx, int(item["id"]), head=QUARANTINE_TEXT + 1, limit=page, offset=max(offset, 0))
            rows = _quarantined(actor, item, heads)
            views.append(BatchView(batch=shown[0], quarantined=rows, quarantined_total=total,
                                   quarantined_offset=max(offset, 0)))
    return views


def _cut(text: str) -> str:
    if len(text) <= QUARANTINE_TEXT:
        return text
    return f"{text[:QUARANTINE_TEXT]}… [{len(text):,} characters in all]"


def _cut_values(raw: Any) -> dict[str, str]:
    values = raw if isinstance(raw, dict) else {}
    out: dict[str, str] = {}
    for key, value in values.items():
        if len(out) >= 50:
            out["…"] = f"[{len(values):,} values in all]"
            break
        out[_cut(str(key))] = _cut(str(value))
    return out


def _quarantined(actor: Actor, batch: Mapping[str, Any],
                 heads: Sequence[QuarantinedHead]) -> list[dict[str, Any]]:
    items = [{
        "id": r.id, "batch_id": r.batch_id, "file_name": r.file_name, "line_no": r.line_no,
        "field": r.field, "reason": _cut(r.reason), "raw": _cut_values(r.raw),
        "raw_text": (r.head if r.size <= QUARANTINE_TEXT else
                     f"{r.head[:QUARANTINE_TEXT]}… [{r.size:,} characters in all]"),
        "quarantined_at": r.quarantined_at,
        # The row inherits its batch's origin and classification, which the policy gates on.
        "agency_code": batch["agency_code"], "classification": batch["classification"],
    } for r in heads]
    return redact_many(actor, Kind.QUARANTINED_ROW, items)


# --- exports ----------------------------------------------------------------------------------

EXPORT_COLUMNS: tuple[str, ...] = ("id", *RECORD_FIELDS, *PROVENANCE_FIELDS)


def records_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """CSV of redacted records: a withheld field is an empty cell (never the value)."""
    out = io.StringIO()
    writer = export_writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else str(row.get(c, "")) for c in EXPORT_COLUMNS])
    return out.getvalue()


def export_search(ws: Workspace, *, actor: Actor, name: str = "", birth_date: str = "",
                  number: str = "", limit: int = MAX_LIMIT) -> str:
    """The search results as CSV, redacted for export (which may withhold more than reading)."""
    result = search_registry(ws, actor=actor, name=name, birth_date=birth_date, number=number,
                             limit=limit, op=Op.EXPORT)
    _log_export(ws, actor, "search", [r["id"] for r in result.rows if "id" in r])
    return records_csv(result.rows)


def export_record(ws: Workspace, *, actor: Actor, record_id: int) -> str:
    row = get_source_record(ws, actor=actor, record_id=record_id, op=Op.EXPORT)
    _log_export(ws, actor, f"source_record:{record_id}", [record_id])
    return records_csv([row])


def _log_export(ws: Workspace, actor: Actor, target: str, ids: Sequence[int]) -> None:
    with ws.store.transaction() as tx:
        record_event(tx, actor=actor, action="registry.export", target=target[:300],
                     payload={"records": len(ids), "ids": list(ids)[:MAX_LIMIT]})


def withheld_names(row: Mapping[str, Any]) -> tuple[str, ...]:
    value = row.get(WITHHELD, ())
    return tuple(value) if isinstance(value, tuple | list) else ()


__all__ = ["RECORD_FIELDS", "BatchView", "SearchResult", "export_record", "export_search",
           "get_source_record", "list_imports", "records_csv", "search_registry",
           "withheld_names"]
