"""Relatives' inquiries: intake (file import, the hotline form), listing, export.

An inquiry is a family's question, kept apart from the registry's source records: it never
becomes identity evidence by itself, only a link to a person (``parley.services.inquiry_links``).
Everything handed out passes through the one redaction point (``Kind.INQUIRY``): the inquirer's
contact details and consent reach only the family liaison and the ombudsman's office.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parley.adapters.files import open_table
from parley.adapters.files.csv_export import export_writer
from parley.adapters.files.inquiry_headers import inquiry_columns
from parley.domain.actors import Action, Actor
from parley.domain.families import InquiryDraft, build_inquiry, group_key, parse_channel
from parley.domain.policy import FAMILY_OFFICE, Kind, Op
from parley.domain.records import content_hash
from parley.domain.row_problems import row_refused
from parley.errors import N_, InvalidInput, InvalidRecord, NotFound
from parley.names import normalize_name, parse_name
from parley.services.access import check_write, redact, redact_many
from parley.services.journal import record_event
from parley.services.ports.inquiries import InquiryRow
from parley.services.workspace import Workspace

EXPORT_COLUMNS = ("inquiry_id", "state", "person_id", "record_ids", "probability")


@dataclass
class InquiryImportReport:
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    quarantined: int = 0
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"read": self.read, "imported": self.imported, "duplicates": self.duplicates,
                "quarantined": self.quarantined}


def _name_parts(draft: InquiryDraft) -> tuple[str, str, str]:
    s = draft.sought
    if s.family_name or s.given_name or s.patronymic or not s.full_name:
        return s.family_name, s.given_name, s.patronymic
    parts = parse_name(s.full_name)
    return str(parts.family or ""), str(parts.given or ""), str(parts.patronymic or "")


def inquiry_row(draft: InquiryDraft, *, channel: str, handler: str, file_name: str = "",
                line_no: int = 0, digest: str) -> dict[str, Any]:
    """The stored form of a validated inquiry (its column values), with its cross-script
    keys and group."""
    family, given, patronymic = _name_parts(draft)
    norm = normalize_name(family, given, patronymic)
    family_key, given_key = str(norm.family_key or ""), str(norm.given_key or "")
    s, who = draft.sought, draft.inquirer
    return dict(
        inquiry_key=draft.inquiry_key[:200], channel=channel, state="open", handler=handler,
        inquirer_name=who.name[:300], inquirer_relation=who.relation[:100],
        inquirer_phone=who.phone[:64], inquirer_email=who.email[:200],
        consent_contact=who.consent.contact, consent_icrc=who.consent.share_icrc,
        family_name=family[:200], given_name=given[:200], patronymic=patronymic[:200],
        birth_date=s.birth_date, birth_place=s.birth_place[:300], sex=s.sex,
        citizenship=s.citizenship, military_unit=s.military_unit[:200],
        service_number=s.service_number[:64], rank=s.rank[:64],
        document_number=s.document_number[:64], capture_date=s.capture_date,
        capture_place=s.capture_place[:300], notes=s.notes, extras=dict(s.extras),
        family_key=family_key[:200], given_key=given_key[:200],
        group_key=group_key(family_key, given_key, s.birth_date)[:500],
        file_name=file_name[:500], line_no=line_no, content_hash=digest,
    )


def import_inquiries(ws: Workspace, *, actor: Actor, path: Path,
                     channel: str) -> InquiryImportReport:
    """Import a CSV/XLSX of inquiries taken through ``channel``; a re-import adds nothing, a
    bad row is quarantined with its line, field and reason. One audit event per file."""
    actor.require(Action.MANAGE_INQUIRIES)
    try:
        chan = parse_channel(channel).value
    except ValueError as err:
        raise InvalidInput(N_("--channel: %(err)s"), err=err) from None
    columns = inquiry_columns()
    reader = open_table(path, header_score=columns.header_score)
    report = InquiryImportReport()
    with ws.store.transaction() as tx:
        repo = ws.repos.inquiries
        rows = list(reader.rows())
        digests = [content_hash({**r.values, "_channel": chan}) for r in rows]
        known = repo.known_hashes(tx, digests)
        for row, digest in zip(rows, digests, strict=True):
            report.read += 1
            if digest in known:
                report.duplicates += 1
                continue
            known.add(digest)
            try:
                if row.problem:
                    raise row_refused(row.problem)
                values, extras = columns.split(row.values)
                draft = build_inquiry(values, extras)
            except InvalidRecord as err:
                report.quarantined += 1
                report.reasons.append({"line": row.line_no, "field": err.field,
                                       "reason": err.reason})
                repo.quarantine(
                    tx, channel=chan, file_name=path.name[:500], line_no=row.line_no,
                    field=err.field[:100], reason=err.reason, raw=dict(row.values),
                    content_hash=digest)
                continue
            repo.add(tx, inquiry_row(draft, channel=chan, handler=actor.username,
                                     file_name=path.name, line_no=row.line_no, digest=digest))
            report.imported += 1
        record_event(tx, actor=actor, action="inquiries.import", target=f"file:{path.name}",
                     payload={"channel": chan, **report.as_dict(),
                              "reasons": report.reasons[:20]})
    return report


def take_inquiry(ws: Workspace, *, actor: Actor, values: dict[str, str],
                 channel: str = "hotline") -> int:
    """One inquiry from the hotline form; ``InvalidRecord`` names the field that is wrong.
    Taking the same inquiry twice gives the same id."""
    actor.require(Action.MANAGE_INQUIRIES)
    check_write(actor, Kind.INQUIRY, {"agency_code": FAMILY_OFFICE}, ["inquirer_name", "state"])
    chan = parse_channel(channel).value
    draft = build_inquiry(values)
    digest = content_hash({**values, "_channel": chan})
    with ws.store.transaction() as tx:
        repo = ws.repos.inquiries
        if digest in repo.known_hashes(tx, [digest]):
            existing = [i for i in repo.all(tx) if i.content_hash == digest]
            if existing:
                return existing[0].id
        row = repo.add(tx, inquiry_row(draft, channel=chan, handler=actor.username,
                                       digest=digest))
        record_event(tx, actor=actor, action="inquiries.take", target=f"inquiry:{row.id}",
                     payload={"channel": chan})
        return row.id


def inquiry_item(row: InquiryRow) -> dict[str, Any]:
    """Every field of an inquiry as the policy names them (redact before handing it out)."""
    return {
        "id": row.id, "inquiry_key": row.inquiry_key, "agency_code": FAMILY_OFFICE,
        "person_id": row.person_id, "state": row.state, "channel": row.channel,
        "handler": row.handler, "group_key": row.group_key,
        "record_ids": [int(r) for r in row.record_ids], "probability": row.probability,
        "created_at": row.created_at.isoformat() if row.created_at else "",
        "linked_by": row.linked_by, "file_name": row.file_name, "line_no": row.line_no,
        "inquirer_name": row.inquirer_name, "inquirer_relation": row.inquirer_relation,
        "inquirer_phone": row.inquirer_phone, "inquirer_email": row.inquirer_email,
        "consent_contact": row.consent_contact, "consent_icrc": row.consent_icrc,
        "family_name": row.family_name, "given_name": row.given_name,
        "patronymic": row.patronymic, "birth_date": row.birth_date, "sex": row.sex,
        "citizenship": row.citizenship, "rank": row.rank, "service_number": row.service_number,
        "birth_place": row.birth_place, "military_unit": row.military_unit,
        "document_number": row.document_number, "capture_date": row.capture_date,
        "capture_place": row.capture_place, "notes": row.notes,
    }


def list_inquiries(ws: Workspace, *, actor: Actor, state: str | None = None,
                   limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    actor.require(Action.READ_INQUIRIES)
    with ws.store.reading() as tx:
        rows = ws.repos.inquiries.all(tx, state=state, limit=limit, offset=offset)
        return redact_many(actor, Kind.INQUIRY, [inquiry_item(r) for r in rows])


def get_inquiry(ws: Workspace, *, actor: Actor, inquiry_id: int) -> dict[str, Any]:
    """One inquiry with the other inquiries of its group and its pending candidates."""
    actor.require(Action.READ_INQUIRIES)
    with ws.store.reading() as tx:
        repo = ws.repos.inquiries
        row = repo.get(tx, inquiry_id)
        if row is None:
            raise NotFound(N_("no inquiry %(inquiry_id)s"), inquiry_id=inquiry_id)
        shown = redact(actor, Kind.INQUIRY, inquiry_item(row))
        group = {i.id for i in repo.in_group(tx, row.group_key)}
        if row.person_id is not None:
            group |= {i.id for i in repo.for_person(tx, row.person_id)}
        shown["group"] = sorted(group - {row.id})
        shown["candidates"] = [
            {"person_id": c.person_id, "probability": c.probability,
             "record_ids": [int(r) for r in c.record_ids], "explanation": c.explanation}
            for c in repo.candidates(tx, inquiry_id)
        ]
        return shown


def export_inquiries(ws: Workspace, *, actor: Actor, path: Path) -> int:
    """``inquiry_id,state,person_id,record_ids,probability`` (record ids joined by ``;``)."""
    actor.require(Action.READ_INQUIRIES)
    with ws.store.reading() as tx:
        rows = ws.repos.inquiries.all(tx)
        items = redact_many(actor, Kind.INQUIRY, [inquiry_item(r) for r in rows], op=Op.EXPORT)
        keys = {r.id: r.inquiry_key or str(r.id) for r in rows}
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = export_writer(handle)
        out.writerow(EXPORT_COLUMNS)
        for item in items:
            prob = item.get("probability")
            out.writerow([keys[int(item["id"])], item.get("state", ""),
                          item.get("person_id") or "",
                          ";".join(str(r) for r in item.get("record_ids") or []),
                          "" if prob is None else f"{float(prob):.4f}"])
    with ws.store.transaction() as tx:
        record_event(tx, actor=actor, action="inquiries.export", target=f"file:{path.name}",
                     payload={"rows": len(items)})
    return len(items)
