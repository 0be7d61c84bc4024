"""PFIF 1.4 (People Finder Interchange Format) reader and writer.

Records are plain mappings of PFIF field name → text, so nothing is lost between a file and the
store. The writer is deterministic (persons by ``person_record_id``, notes by
``note_record_id``, fields in the specification's order, notes nested under their person when
the person is in the file), so an export, re-imported and exported again, gives the same bytes
apart from ``entry_date``, which the storing repository sets.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from parley.domain import row_problems as rp
from parley.errors import N_, UnreadableFile

NS = "http://zesty.ca/pfif/1.4"
_READ_NAMESPACES = ("http://zesty.ca/pfif/1.4", "http://zesty.ca/pfif/1.3",
                    "http://zesty.ca/pfif/1.2")

PERSON_FIELDS: tuple[str, ...] = (
    "person_record_id", "entry_date", "expiry_date", "author_name", "author_email",
    "author_phone", "source_name", "source_date", "source_url", "full_name", "given_name",
    "family_name", "alternate_names", "description", "sex", "date_of_birth", "age",
    "home_street", "home_neighborhood", "home_city", "home_state", "home_postal_code",
    "home_country", "photo_url", "profile_urls",
)
NOTE_FIELDS: tuple[str, ...] = (
    "note_record_id", "person_record_id", "linked_person_record_id", "entry_date",
    "author_name", "author_email", "author_phone", "source_date", "author_made_contact",
    "status", "email_of_found_person", "phone_of_found_person", "last_known_location", "text",
    "photo_url",
)
NOTE_STATUSES = frozenset({"", "information_sought", "is_note_author", "believed_alive",
                           "believed_missing", "believed_dead"})


@dataclass
class PfifDocument:
    persons: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "where: what" per refused record


def _fields(element: ET.Element, ns: str, names: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in names:
        child = element.find(f"{{{ns}}}{name}")
        if child is not None:
            out[name] = child.text or ""
    return out


def read_pfif(path: Path) -> PfifDocument:
    """Persons and notes of a PFIF 1.2–1.4 file; a record without its required id or name is
    reported in ``problems`` (never silently dropped)."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UnreadableFile(N_("%(path)s: cannot be read (%(strerror)s)"), path=path,
                             strerror=err.strerror) from None
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise UnreadableFile(N_("%(name)s: a DOCTYPE or entity declaration is not accepted"),
                             name=path.name)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        raise UnreadableFile(N_("%(name)s: not well-formed XML (%(err)s)"), name=path.name,
                             err=err) from None
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if ns not in _READ_NAMESPACES or root.tag != f"{{{ns}}}pfif":
        raise UnreadableFile(N_("%(name)s: not a PFIF document (root %(tag)s)"), name=path.name,
                             tag=root.tag)
    doc = PfifDocument()
    for n, person in enumerate(root.findall(f"{{{ns}}}person"), 1):
        values = _fields(person, ns, PERSON_FIELDS)
        if not values.get("person_record_id") or (not values.get("full_name", "").strip() and not (
                values.get("given_name") or values.get("family_name"))):
            doc.problems.append(rp.sentence(rp.PFIF_PERSON, n=n))
            continue
        doc.persons.append(values)
        for nested in person.findall(f"{{{ns}}}note"):
            doc.notes.append({**_fields(nested, ns, NOTE_FIELDS),
                              "person_record_id": values["person_record_id"]})
    for loose in root.findall(f"{{{ns}}}note"):
        doc.notes.append(_fields(loose, ns, NOTE_FIELDS))
    kept: list[dict[str, str]] = []
    for n, note in enumerate(doc.notes, 1):
        if not note.get("note_record_id") or not note.get("person_record_id"):
            doc.problems.append(rp.sentence(rp.PFIF_NOTE, n=n))
        elif note.get("status", "") not in NOTE_STATUSES:
            doc.problems.append(rp.sentence(rp.PFIF_STATUS, n=note["note_record_id"],
                                            status=note["status"]))
        else:
            kept.append(note)
    doc.notes = kept
    return doc


def _add(parent: ET.Element, record: Mapping[str, str], names: tuple[str, ...],
         skip: str = "") -> None:
    for name in names:
        if name != skip and name in record:
            ET.SubElement(parent, f"pfif:{name}").text = record[name]


def write_pfif(persons: Iterable[Mapping[str, str]], notes: Iterable[Mapping[str, str]]) -> bytes:
    """A PFIF 1.4 document (UTF-8), the same bytes for the same records."""
    root = ET.Element("pfif:pfif", {"xmlns:pfif": NS})
    by_person: dict[str, list[Mapping[str, str]]] = {}
    for note in notes:
        by_person.setdefault(note.get("person_record_id", ""), []).append(note)
    known = set()
    for person in sorted(persons, key=lambda p: p["person_record_id"]):
        pid = person["person_record_id"]
        known.add(pid)
        element = ET.SubElement(root, "pfif:person")
        _add(element, person, PERSON_FIELDS)
        for note in sorted(by_person.get(pid, []), key=lambda n: n["note_record_id"]):
            _add(ET.SubElement(element, "pfif:note"), note, NOTE_FIELDS,
                 skip="person_record_id")
    loose = [n for pid, ns in by_person.items() if pid not in known for n in ns]
    for note in sorted(loose, key=lambda n: n["note_record_id"]):
        _add(ET.SubElement(root, "pfif:note"), note, NOTE_FIELDS)
    ET.indent(root, space="  ")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"
