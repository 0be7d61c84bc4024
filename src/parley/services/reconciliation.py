"""Reconciliation: the other side's answer to a list, row by row, against our list and registry.

Every row of the answer is linked with the identity-resolution engine (``parley.adapters.linkage``)
to our list entries and to the rest of our registry, then classified with the reason:

- ``confirmed`` — the same person as an entry of the list (the first row that names them);
- ``duplicate`` — a later row naming someone an earlier row already named;
- ``registry_not_on_list`` — someone on our registry who is not on this list;
- ``doubtful`` — a weak match (between the review and the accept thresholds): a person decides;
- ``unknown`` — nobody we know of.

And each entry of ours that no row names is reported as ``not_mentioned``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from parley.domain.actors import Action, Actor
from parley.domain.dates import parse_partial_date
from parley.domain.lists import Entry
from parley.domain.row_problems import reason_text
from parley.errors import N_, InvalidInput, NotFound, UnreadableFile, in_file
from parley.services.journal import record_event
from parley.services.workspace import Workspace

LINK_FIELDS = ("family_name", "given_name", "patronymic", "birth_date", "sex", "service_number",
               "document_number", "military_unit", "rank", "birth_place", "capture_date",
               "capture_place")
OUTCOMES = ("confirmed", "duplicate", "registry_not_on_list", "doubtful", "unknown",
            "not_mentioned")
ACCEPT = 0.9
REVIEW = 0.5
LIST_PREFIX = "E|"
REGISTRY_PREFIX = "S|"


@dataclass(frozen=True, slots=True)
class AnswerRow:
    line: int
    canonical: Mapping[str, str]
    raw: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class RowOutcome:
    line: int | None  # None for an entry the answer did not mention
    outcome: str
    reason: str
    entry_key: str | None = None
    registry_id: str | None = None
    probability: float | None = None
    raw: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class ReconcileResult:
    rows: tuple[RowOutcome, ...]

    def counts(self) -> dict[str, int]:
        found = Counter(r.outcome for r in self.rows)
        return {o: found.get(o, 0) for o in OUTCOMES}


def _frame(rows: Sequence[Mapping[str, str]], ids: Sequence[str]) -> pd.DataFrame:
    data = {"record_id": list(ids)}
    for field in LINK_FIELDS:
        data[field] = [str(r.get(field, "") or "") for r in rows]
    return pd.DataFrame(data)


def _iso(text: str) -> str:
    try:
        parsed = parse_partial_date(text)
    except ValueError:
        return text
    return str(parsed) if parsed else ""


def reconcile_rows(
    *,
    list_rows: Mapping[str, Mapping[str, str]],
    registry_rows: Mapping[str, Mapping[str, str]],
    answer: Sequence[AnswerRow],
    same_person: Mapping[str, str] | None = None,
    accept: float = ACCEPT,
    review: float = REVIEW,
    engine: str = "duckdb",
    progress: Callable[[str, float], None] | None = None,
) -> ReconcileResult:
    """Classify every answer row. ``list_rows`` maps entry key → canonical values; ``registry_rows``
    maps registry record id → values; ``same_person`` maps a registry record id to the entry key
    of the same resolved person (so a row matching that record confirms the entry)."""
    from parley.adapters.linkage import dedupe, link

    if not answer:
        return ReconcileResult(rows=tuple(
            RowOutcome(line=None, outcome="not_mentioned", entry_key=k,
                       reason="the answer is empty") for k in sorted(list_rows)))
    same = same_person or {}
    theirs = _frame([{**a.canonical, "birth_date": _iso(a.canonical.get("birth_date", ""))}
                     for a in answer], [f"L{a.line}" for a in answer])
    # The answer is linked to our list on its own, then to the registry: an answer to our list
    # names mostly listed people, and a model trained on the list alone learns that rate (its
    # prior), where one trained beside a registry ten times larger would think every row a
    # stranger and leave damaged confirmations unknown.
    parts = []
    for prefix, rows in ((LIST_PREFIX, list_rows), (REGISTRY_PREFIX, registry_rows)):
        if not rows:
            continue
        ours = _frame(list(rows.values()), [prefix + k for k in rows])
        try:
            # Our list holds one record per person, so its candidates for an answer row
            # compete; a registry holds several records of one person, which must not.
            # Against the list, the prior is re-estimated from the pairs: answer rows often
            # leave out the birth date the model's deterministic prior rules read.
            listed = prefix == LIST_PREFIX
            parts.append(link(ours, theirs, threshold=min(review, accept), engine=engine,
                              progress=progress, competing=listed, refit_prior=listed).pairs)
        except (ValueError, ZeroDivisionError):
            continue  # too few rows for the engine to estimate its prior: nothing links
    pairs = (pd.concat(parts, ignore_index=True) if parts
             else pd.DataFrame(columns=["left_id", "right_id", "match_probability"]))
    best_list: dict[str, tuple[float, str]] = {}
    best_reg: dict[str, tuple[float, str]] = {}
    for left_id, right_id, prob in zip(pairs["left_id"], pairs["right_id"],
                                       pairs["match_probability"], strict=True):
        left, right, p = str(left_id), str(right_id), float(prob)
        if not left.startswith((LIST_PREFIX, REGISTRY_PREFIX)):  # the engine may swap sides
            left, right = right, left
        if left.startswith(REGISTRY_PREFIX) and left[2:] in same:
            left = LIST_PREFIX + same[left[2:]]
        table = best_list if left.startswith(LIST_PREFIX) else best_reg
        if p > table.get(right, (-1.0, ""))[0]:
            table[right] = (p, left[2:])
    out: list[RowOutcome] = []
    claimed: dict[str, int] = {}  # entry key -> line that confirmed it
    registry_claimed: dict[str, int] = {}
    leftovers: list[AnswerRow] = []
    for a in sorted(answer, key=lambda a: a.line):
        rid = f"L{a.line}"
        p_list, key = best_list.get(rid, (0.0, ""))
        p_reg, reg = best_reg.get(rid, (0.0, ""))
        if p_list >= accept:
            if key in claimed:
                out.append(RowOutcome(a.line, "duplicate", f"names entry {key} again (first on "
                                      f"line {claimed[key]}; p={p_list:.2f})", key, None,
                                      p_list, a.raw))
            else:
                claimed[key] = a.line
                out.append(RowOutcome(a.line, "confirmed", f"the same person as entry {key} "
                                      f"(p={p_list:.2f})", key, None, p_list, a.raw))
        elif p_list >= review and p_list >= p_reg:
            claimed.setdefault(key, a.line)
            out.append(RowOutcome(a.line, "doubtful", f"weak match to entry {key} "
                                  f"(p={p_list:.2f}): needs review", key, None, p_list, a.raw))
        elif p_reg >= accept:
            if reg in registry_claimed:
                out.append(RowOutcome(a.line, "duplicate", f"names registry record {reg} again "
                                      f"(first on line {registry_claimed[reg]})", None, reg,
                                      p_reg, a.raw))
            else:
                registry_claimed[reg] = a.line
                out.append(RowOutcome(a.line, "registry_not_on_list", f"on our registry "
                                      f"(record {reg}, p={p_reg:.2f}) but not on this list",
                                      None, reg, p_reg, a.raw))
        elif p_reg >= review:
            out.append(RowOutcome(a.line, "doubtful", f"weak match to registry record {reg} "
                                  f"(p={p_reg:.2f}): needs review", None, reg, p_reg, a.raw))
        else:
            leftovers.append(a)
    if len(leftovers) > 1:
        frame = _frame([{**a.canonical, "birth_date": _iso(a.canonical.get("birth_date", ""))}
                        for a in leftovers], [f"L{a.line}" for a in leftovers])
        try:
            clusters = dedupe(frame, threshold=accept, engine=engine).clusters
        except (ValueError, ZeroDivisionError):
            # Too few rows (or no likely pair) for the engine to estimate its prior: then there
            # is nothing to group, and every leftover row stands on its own.
            clusters = None
        first: dict[str, int] = {}
        cluster_of: dict[str, str] = {}
        if clusters is not None:
            cluster_of = {str(r): str(c) for r, c in zip(clusters["record_id"],
                                                         clusters["cluster_id"], strict=True)}
        for a in leftovers:
            cluster = cluster_of.get(f"L{a.line}", f"L{a.line}")
            if cluster in first:
                out.append(RowOutcome(a.line, "duplicate", f"the same unknown person as line "
                                      f"{first[cluster]}", raw=a.raw))
            else:
                first[cluster] = a.line
                out.append(RowOutcome(a.line, "unknown", "matches nobody on our list or "
                                      "registry", raw=a.raw))
    else:
        out.extend(RowOutcome(a.line, "unknown", "matches nobody on our list or registry",
                              raw=a.raw) for a in leftovers)
    for key in sorted(set(list_rows) - set(claimed)):
        out.append(RowOutcome(None, "not_mentioned", "on our list, not in their answer", key))
    out.sort(key=lambda r: (r.line is None, r.line or 0, r.entry_key or ""))
    return ReconcileResult(rows=tuple(out))


def reconciliation_csv(result: ReconcileResult) -> str:
    """The full table as CSV (line, outcome, our entry, probability, reason), cells neutralised
    against formula injection like every export."""
    import io

    from parley.adapters.files.csv_export import export_writer

    out = io.StringIO()
    writer = export_writer(out)
    writer.writerow(["line", "outcome", "entry_key", "probability", "reason"])
    for r in result.rows:
        writer.writerow([r.line or "", r.outcome, r.entry_key or "",
                         "" if r.probability is None else f"{r.probability:.3f}", r.reason])
    return out.getvalue()


# ---------------------------------------------------------------------------- the workspace

def read_answer(path: Path) -> list[AnswerRow]:
    """The other side's file (CSV, XLSX, JSONL; Russian, Ukrainian or English headers)."""
    from parley.adapters.files import ColumnMap, open_table

    reader = open_table(path)
    columns = ColumnMap()
    rows: list[AnswerRow] = []
    for raw in reader.rows():
        if raw.problem:
            raise InvalidInput(N_("%(where)s: %(problem)s"), where=in_file(path.name, raw.line_no),
                               problem=reason_text(raw.problem))
        canonical, _extras = columns.split(raw.values)
        rows.append(AnswerRow(line=raw.line_no, canonical=canonical, raw=dict(raw.values)))
    if rows and not any(r.canonical.get("family_name") for r in rows):
        raise InvalidInput(N_("%(where)s: no surname column recognised (e.g. Фамилия, Прізвище, "
                              "Surname)"), where=in_file(path.name, 1))
    return rows


def _entry_values(entry: Entry) -> dict[str, str]:
    values = {f: str(entry.facts.get(f, "")) for f in LINK_FIELDS}
    values.update(family_name=entry.family_name, given_name=entry.given_name,
                  patronymic=entry.patronymic, birth_date=entry.birth_date)
    return values


def reconcile_counterpart_list(
    ws: Workspace, *, actor: Actor, name: str, path: Path,
    progress: Callable[[str, float], None] | None = None,
) -> tuple[int, ReconcileResult]:
    """Reconcile a counterpart file against list ``name`` and the registry; store and audit it."""
    from parley.services.list_store import entries_at as _entries_at
    from parley.services.list_store import list_row as _list_row

    actor.require(Action.MANAGE_LISTS)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as err:
        raise UnreadableFile(N_("%(path)s: %(strerror)s"), path=path,
                             strerror=err.strerror or err) from None
    answer = read_answer(path)
    with ws.store.reading() as tx:
        lst = _list_row(tx, name)
        entries = _entries_at(tx, lst)
        version = lst.version
        by_person = {e.person_id: e.key for e in entries if e.person_id is not None}
        sources = ws.repos.reconciliations.registry(tx, LINK_FIELDS)
        # An entry's key is our record id: the resolved person of that record is the entry's
        # person too, so every other record of that person names the listed person.
        keys = {e.key for e in entries}
        for source in sources:
            if source.record_key in keys and source.person_id is not None:
                by_person.setdefault(source.person_id, source.record_key)
        registry: dict[str, dict[str, str]] = {}
        same: dict[str, str] = {}
        for source in sources:
            rid = str(source.id)
            registry[rid] = dict(source.values)
            if source.person_id is not None and source.person_id in by_person:
                same[rid] = by_person[source.person_id]
            elif source.record_key in keys:
                same[rid] = source.record_key
    if not entries:
        raise NotFound(N_("list '%(name)s' has no entries to reconcile against"), name=name)
    result = reconcile_rows(list_rows={e.key: _entry_values(e) for e in entries},
                            registry_rows=registry, answer=answer, same_person=same,
                            progress=progress)
    with ws.store.transaction() as tx:
        rec_id = ws.repos.reconciliations.add(
            tx, list_id=lst.id, list_version=version, file_name=path.name, file_sha256=digest,
            counts=result.counts(), created_by=actor.username, rows=[{
                "line_no": r.line, "raw": dict(r.raw or {}), "outcome": r.outcome,
                "reason": r.reason, "entry_key": r.entry_key,
                "registry_record_id": (int(r.registry_id)
                                       if r.registry_id and r.registry_id.isdigit() else None),
                "probability": r.probability,
            } for r in result.rows])
        record_event(tx, actor=actor, action="list.reconcile", target=f"list:{name}", payload={
            "reconciliation": rec_id, "file": path.name, "sha256": digest, "version": version,
            "counts": result.counts(),
        })
        return rec_id, result


@dataclass(frozen=True, slots=True)
class StoredReconciliation:
    id: int
    list_name: str
    list_version: int
    file_name: str
    created_at: str
    counts: Mapping[str, int]
    rows: tuple[Mapping[str, Any], ...]


def stored_reconciliation(ws: Workspace, *, actor: Actor, name: str,
                          reconciliation_id: int | None = None) -> StoredReconciliation:
    """The newest (or a given) reconciliation of a list, as a table a coordinator can act on."""
    from parley.services.list_store import list_row as _list_row

    actor.require(Action.READ_LISTS)
    with ws.store.reading() as tx:
        lst = _list_row(tx, name)
        rec = ws.repos.reconciliations.find(tx, lst.id, reconciliation_id)
        if rec is None:
            raise NotFound(N_("list '%(name)s' has no reconciliation"), name=name)
        rows = ws.repos.reconciliations.rows(tx, rec.id)
        shown = _as_seen_by(tx, actor, lst, rec.list_version, rows)
        return StoredReconciliation(
            id=rec.id, list_name=name, list_version=rec.list_version, file_name=rec.file_name,
            created_at=rec.created_at.isoformat(timespec="seconds"),
            counts={o: sum(r["outcome"] == o for r in shown) for o in OUTCOMES},
            rows=tuple(shown),
        )


def _as_seen_by(tx: Any, actor: Actor, lst: Any, version: int,
                rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reconciliation as a reader may see it: a row that rests on an entry or a registry
    record withheld from the reader reads as a row that matches nobody (their own row, the
    other side's data, stays); an entry of ours withheld from them is not reported as not
    mentioned. Counts are made from these rows."""
    from parley.domain.policy import Kind, may_see
    from parley.services.list_access import record_origins, visible_keys

    entries = visible_keys(tx, actor, lst, version) if version <= lst.version else {}
    origins = record_origins(tx, (int(r["registry_record_id"]) for r in rows
                                  if r["registry_record_id"] is not None))
    out: list[dict[str, Any]] = []
    for row in rows:
        key, rid = row["entry_key"], row["registry_record_id"]
        hidden = (key is not None and key not in entries) or (rid is not None and not (
            rid in origins and may_see(actor, Kind.SOURCE_RECORD, origins[rid])))
        if not hidden:
            out.append(row)
        elif row["line"] is not None:
            out.append({**row, "outcome": "unknown", "entry_key": None,
                        "registry_record_id": None, "probability": None,
                        "reason": "matches nobody on our list or registry"})
    return out
