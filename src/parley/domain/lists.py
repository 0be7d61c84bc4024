"""Exchange lists: entries, their status workflow, readiness, versions, hashes and diffs.

A list version is its set of entries; its content hash is SHA-256 over the canonical JSON of the
entries sorted by key. Approvals sign that hash, so any edit (a new version with another hash)
leaves the old approvals behind: that is how "an edit voids approvals" is enforced, by arithmetic
rather than by remembering to delete rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from enum import StrEnum

from parley.domain.digest import canonical_json, canonical_sha256
from parley.errors import N_, Conflict, InvalidInput, Text


class Direction(StrEnum):
    RECEIVE = "receive"  # our people held by the other side
    GIVE = "give"  # the other side's people we hold


class Status(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"  # by the other side
    REJECTED = "rejected"
    DISPUTED = "disputed"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    TRANSFERRED = "transferred"
    WITHDRAWN = "withdrawn"
    HELD_BACK = "held_back"  # judicial proceedings etc., Art. 115; needs a reason


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.PROPOSED: frozenset({Status.CONFIRMED, Status.REJECTED, Status.DISPUTED,
                                Status.WITHDRAWN, Status.HELD_BACK}),
    Status.DISPUTED: frozenset({Status.CONFIRMED, Status.REJECTED, Status.PROPOSED,
                                Status.WITHDRAWN, Status.HELD_BACK}),
    Status.REJECTED: frozenset({Status.PROPOSED, Status.DISPUTED, Status.WITHDRAWN}),
    Status.CONFIRMED: frozenset({Status.APPROVED, Status.DISPUTED, Status.WITHDRAWN,
                                 Status.HELD_BACK}),
    Status.APPROVED: frozenset({Status.SCHEDULED, Status.CONFIRMED, Status.WITHDRAWN,
                                Status.HELD_BACK}),
    Status.SCHEDULED: frozenset({Status.TRANSFERRED, Status.APPROVED, Status.WITHDRAWN,
                                 Status.HELD_BACK}),
    Status.HELD_BACK: frozenset({Status.PROPOSED, Status.WITHDRAWN}),
    Status.WITHDRAWN: frozenset({Status.PROPOSED}),
    Status.TRANSFERRED: frozenset(),
}
"""Who may follow whom. Transferred is final; a withdrawn or held-back person can be proposed
again when circumstances change."""

PLANNABLE = frozenset({Status.CONFIRMED, Status.APPROVED, Status.SCHEDULED})
"""Statuses the planner takes as 'confirmed by the other side'."""

AGE_GROUPS = ((0, 17, "under 18"), (18, 25, "18-25"), (26, 59, "26-59"), (60, 200, "60+"))


def age_group(birth: date | None, on: date) -> str:
    """The age group on a day ("all for all" for soldiers aged 18–25 was one of 2025's)."""
    if birth is None:
        return "unknown"
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    return next((label for lo, hi, label in AGE_GROUPS if lo <= age <= hi), "unknown")


@dataclass(frozen=True, slots=True)
class Readiness:
    """Art. 109(3): no one is repatriated against his will; and fit to travel, and identified."""

    identity_verified: bool = False
    medical_fit: bool = False
    will_recorded: bool = False

    def missing(self) -> list[str]:
        names = {"identity_verified": "identity not verified",
                 "medical_fit": "medical fitness to travel not confirmed",
                 "will_recorded": "will to be repatriated not recorded"}
        return [text for key, text in names.items() if not getattr(self, key)]


@dataclass(frozen=True, slots=True)
class Entry:
    """One person on a list, as of one version."""

    key: str  # stable within the list: our record id for the person
    display_name: str
    family_name: str = ""
    given_name: str = ""
    patronymic: str = ""
    birth_date: str = ""
    person_id: int | None = None
    category: str = "military"  # military | civilian
    seriously_wounded: bool = False
    age_group: str = "unknown"
    staff_categories: tuple[str, ...] = ()
    facts: Mapping[str, str] = field(default_factory=dict)  # captivity_start, held_since_2014 …
    status: Status = Status.PROPOSED
    status_reason: str = ""
    readiness: Readiness = field(default_factory=Readiness)

    def __post_init__(self) -> None:
        if self.category not in ("military", "civilian"):
            raise InvalidInput(
                N_("entry %(key)s: category must be military or civilian, not %(category)s"),
                key=self.key, category=repr(self.category),
            )
        if not self.key.strip():
            raise InvalidInput(N_("an entry needs a key (our record id)"))

    def as_data(self) -> dict[str, object]:
        data = asdict(self)
        data["status"] = self.status.value
        data["staff_categories"] = sorted(self.staff_categories)
        data["facts"] = dict(sorted(self.facts.items()))
        return data


def transition(entry: Entry, to: Status, *, reason: str = "") -> Entry:
    """The entry with a new status, if the workflow allows it."""
    if to == entry.status:
        return entry
    if to not in TRANSITIONS[entry.status]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[entry.status])) or "none"
        raise Conflict(
            N_("entry %(entry_key)s: cannot go from %(status)s to %(to)s "
               "(allowed: %(allowed)s)"),
            entry_key=entry.key, status=entry.status, to=to,
            allowed=allowed,
        )
    if to == Status.HELD_BACK and not reason.strip():
        raise InvalidInput(
            N_("entry %(entry_key)s: holding back needs a reason (e.g. judicial proceedings, "
               "Art. 115)"),
            entry_key=entry.key,
        )
    if to in (Status.SCHEDULED, Status.TRANSFERRED):
        missing = entry.readiness.missing()
        if missing:
            raise Conflict(
                N_("entry %(entry_key)s: cannot be %(to)s: %(missing)s"),
                entry_key=entry.key, to=to, missing='; '.join(missing),
            )
    return replace(entry, status=to, status_reason=reason.strip())


def list_hash(list_name: str, direction: str, entries: Iterable[Entry]) -> str:
    """SHA-256 over the canonical JSON of the list's identity and entries sorted by key: what a
    list version records and an approval signs (a source row's hash is ``records.content_hash``,
    another thing)."""
    body = {
        "list": list_name,
        "direction": direction,
        "entries": [e.as_data() for e in sorted(entries, key=lambda e: e.key)],
    }
    return canonical_sha256(body)


@dataclass(frozen=True, slots=True)
class EntryChange:
    key: str
    kind: str  # added | removed | changed
    fields: Mapping[str, tuple[object, object]]  # field: (before, after)


def diff(before: Sequence[Entry], after: Sequence[Entry]) -> list[EntryChange]:
    """What changed between two versions, entry by entry and field by field."""
    old = {e.key: e.as_data() for e in before}
    new = {e.key: e.as_data() for e in after}
    out: list[EntryChange] = []
    for key in sorted(old.keys() | new.keys()):
        if key not in old:
            out.append(EntryChange(key, "added", {}))
        elif key not in new:
            out.append(EntryChange(key, "removed", {}))
        else:
            fields = {f: (old[key][f], new[key][f]) for f in old[key] if old[key][f] != new[key][f]}
            if fields:
                out.append(EntryChange(key, "changed", fields))
    return out


def counts_by_category(entries: Iterable[Entry]) -> dict[str, int]:
    """Counts for a manifest: military, civilian, seriously wounded, and per staff category."""
    out: dict[str, int] = {"military": 0, "civilian": 0, "seriously_wounded": 0}
    for e in entries:
        out[e.category] += 1
        if e.seriously_wounded:
            out["seriously_wounded"] += 1
        for cat in e.staff_categories:
            out[f"staff:{cat}"] = out.get(f"staff:{cat}", 0) + 1
    return out


def approval_message(*, list_name: str, version: int, content_hash: str, agency: str,
                     username: str) -> bytes:
    """The bytes an approving agency signs: the list version's hash, bound to who approves."""
    return canonical_json({
        "type": "parley-list-approval/v1", "list": list_name, "version": version,
        "content_hash": content_hash, "agency": agency, "user": username,
    })


@dataclass(frozen=True, slots=True)
class Approval:
    agency: str
    username: str
    version: int
    content_hash: str
    signature_valid: bool


def release_blockers(
    *, required: Sequence[str], approvals: Sequence[Approval], version: int,
    content_hash: str, author: str,
) -> list[Text]:
    """Why a list version may not be released yet (empty: it may). Only approvals of this very
    version whose signatures verify over this very hash count; the author's never do; one user
    counts for one agency only. Each reason is a template and its values, so a page says it in
    its reader's language (``str()`` is the English sentence the command line prints)."""
    valid = [a for a in approvals
             if a.version == version and a.content_hash == content_hash and a.signature_valid
             and a.username != author]
    problems: list[Text] = []
    used: set[str] = set()
    for agency in required:
        mine = [a for a in valid if a.agency == agency and a.username not in used]
        if not mine:
            problems.append(Text(N_("no approval from %(agency)s"), agency=agency))
            continue
        used.add(mine[0].username)
    return problems
