"""Identity: which source records are one person, and how sure we are that the person is who
the records say.

Modelled on nomenklatura: a reviewer's decision is a *judgement*, an immutable, attributed edge
between two records (positive, negative or unsure) that is never edited, only retracted by a
later act. Persons are derived from the graph of model links and judgements:

- a positive judgement always joins its two records;
- a negative judgement is a cannot-link constraint: no later merge may put its two records into
  one person again, whatever the model says (a false merge sends the wrong man home);
- a list that must be duplicate-free (an exchange list, the other side's list) contributes at
  most one record to a person (one-to-one clustering);
- model links above the auto-accept probability join records, strongest first, unless a join
  would break one of the constraints above.

Conflicts (contradictory claims) are pure functions of the claims the records make; verification
(independent sources agreeing on a strong identifier) is in ``parley.domain.verification``.
Nothing here touches a database.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from parley.domain.dates import parse_partial_date

__all__ = [
    "AUTO_ACCEPT",
    "CONTRADICTION_CEILING",
    "REVIEW_FLOOR",
    "Claim",
    "ClusterResult",
    "ConflictFinding",
    "ConflictKind",
    "Decision",
    "Judgement",
    "Link",
    "assign_person_ids",
    "cluster_records",
    "detect_person_conflicts",
    "detect_shared_numbers",
    "effective_judgements",
    "is_strong_grade",
    "judgement_hash",
    "normalise_number",
    "pair_key",
    "review_priority",
]

# A link at or above AUTO_ACCEPT joins records without review; links in [REVIEW_FLOOR,
# AUTO_ACCEPT) wait for a reviewer. Below REVIEW_FLOOR a pair is not kept at all.
AUTO_ACCEPT = 0.95
REVIEW_FLOOR = 0.5
# The most a pair may score when the given names contradict outright and no personal number
# vouches for it. Everything else agreeing (surname, birth date, birth place, address) is what a
# clerical slip in one record looks like — and what twins look like: relatives share those fields,
# so their agreement is not independent evidence. Such a pair goes to a reviewer, never straight
# to a merge; below the review floor it stays apart as before.
CONTRADICTION_CEILING = 0.85


class Decision(StrEnum):
    MATCH = "match"  # positive: the same person
    NO_MATCH = "no_match"  # negative: two different people
    UNSURE = "unsure"  # looked at, undecided: leaves the model in charge, takes it off the queue

    @classmethod
    def parse(cls, text: str) -> Decision:
        key = text.strip().lower().replace("-", "_").replace(" ", "_")
        aliases = {"positive": "match", "negative": "no_match", "nomatch": "no_match"}
        key = aliases.get(key, key)
        try:
            return cls(key)
        except ValueError:
            raise ValueError(
                f"'{text}' is not a decision (expected match, no-match or unsure)"
            ) from None


def pair_key(a: str, b: str) -> tuple[str, str]:
    """The one orientation a pair is stored in, so (a, b) and (b, a) are the same edge."""
    if a == b:
        raise ValueError("a record cannot be paired with itself")
    return (a, b) if _order(a) <= _order(b) else (b, a)


def _order(key: str) -> tuple[int, str]:
    # Numeric ids sort as numbers (record 9 before record 10), anything else as text after them.
    return (int(key), "") if key.isdigit() else (1 << 62, key)


@dataclass(frozen=True, slots=True)
class Link:
    """The model's opinion of one pair: a probability and each field's log2 Bayes factor."""

    left: str
    right: str
    probability: float
    weights: Mapping[str, float] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return pair_key(self.left, self.right)


@dataclass(frozen=True, slots=True)
class Judgement:
    """A reviewer's attributed decision on one pair; ``retracted_at`` set means withdrawn."""

    left: str
    right: str
    decision: Decision
    actor: str
    at: datetime
    note: str = ""
    id: int | None = None
    retracted_at: datetime | None = None

    @property
    def key(self) -> tuple[str, str]:
        return pair_key(self.left, self.right)

    @property
    def active(self) -> bool:
        return self.retracted_at is None


def judgement_hash(left: str, right: str, decision: Decision, actor: str, at: datetime,
                   note: str) -> str:
    """A content hash that makes a judgement tamper-evident on its own row."""
    a, b = pair_key(left, right)
    text = "\x1f".join((a, b, decision.value, actor, at.isoformat(), note))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _aware(at: datetime) -> datetime:
    # Some stores hand back naive UTC timestamps; compare everything as aware UTC.
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def effective_judgements(judgements: Iterable[Judgement]) -> dict[tuple[str, str], Judgement]:
    """The judgement in force per pair: the latest one not retracted (later acts override)."""
    out: dict[tuple[str, str], Judgement] = {}
    for j in sorted(judgements, key=lambda j: (_aware(j.at), j.id or 0)):
        if j.active:
            out[j.key] = j
        # A retracted judgement does not remove an earlier active one that it did not replace;
        # retracting the latest simply lets the previous decision (if any, still active) stand.
    return out


# --- clustering ------------------------------------------------------------------------------


@dataclass
class ClusterResult:
    """Records grouped into clusters, plus the joins that constraints refused (for conflicts)."""

    clusters: dict[str, frozenset[str]]  # cluster key (its smallest record) -> records
    cluster_of: dict[str, str]  # record -> cluster key
    refused_by_negative: list[tuple[str, str]] = field(default_factory=list)
    refused_by_list: list[tuple[str, str, str]] = field(default_factory=list)  # a, b, source
    contradictory_positives: list[tuple[str, str]] = field(default_factory=list)
    forced_list_duplicates: list[tuple[str, str, str]] = field(default_factory=list)


class _Clusters:
    """Union–find that refuses unions breaking a cannot-link or a duplicate-free list."""

    def __init__(self, records: Iterable[str], source_of: Mapping[str, str],
                 duplicate_free: frozenset[str]) -> None:
        self.parent: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        self.cannot: dict[str, set[str]] = defaultdict(set)  # record -> records it must not join
        self.lists: dict[str, dict[str, int]] = {}  # root -> duplicate-free source -> count
        for r in records:
            self.parent[r] = r
            self.members[r] = {r}
            src = source_of.get(r, "")
            self.lists[r] = {src: 1} if src in duplicate_free else {}

    def find(self, r: str) -> str:
        root = r
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[r] != root:
            self.parent[r], r = root, self.parent[r]
        return root

    def blocked_by_negative(self, ra: str, rb: str) -> bool:
        small, big = sorted((ra, rb), key=lambda x: len(self.members[x]))
        big_members = self.members[big]
        return any(self.cannot[m] & big_members for m in self.members[small])

    def shared_list(self, ra: str, rb: str) -> str | None:
        common = self.lists[ra].keys() & self.lists[rb].keys()
        return min(common) if common else None

    def union(self, ra: str, rb: str) -> str:
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        for src, n in self.lists.pop(rb).items():
            self.lists[ra][src] = self.lists[ra].get(src, 0) + n
        return ra


def cluster_records(
    records: Iterable[str],
    links: Iterable[Link],
    judgements: Iterable[Judgement],
    *,
    source_of: Mapping[str, str] | None = None,
    duplicate_free: Iterable[str] = (),
    threshold: float = AUTO_ACCEPT,
) -> ClusterResult:
    """Group records into persons from model links and reviewers' judgements.

    Order of authority: negative judgements (never merged), then positive judgements (always
    join, unless they contradict a negative — the negative wins, and the contradiction is
    reported), then model links at or above ``threshold``, strongest first, each refused if it
    would join records judged different or put two records of one duplicate-free list together.
    """
    source_of = source_of or {}
    dup_free = frozenset(duplicate_free)
    uf = _Clusters(records, source_of, dup_free)
    result_refused_neg: list[tuple[str, str]] = []
    result_refused_list: list[tuple[str, str, str]] = []
    contradictions: list[tuple[str, str]] = []
    forced: list[tuple[str, str, str]] = []

    in_force = effective_judgements(judgements)
    decided: set[tuple[str, str]] = set()
    for (a, b), j in in_force.items():
        if a not in uf.parent or b not in uf.parent:
            continue
        decided.add((a, b))
        if j.decision is Decision.NO_MATCH:
            uf.cannot[a].add(b)
            uf.cannot[b].add(a)
    for (a, b), j in sorted(in_force.items()):
        if j.decision is not Decision.MATCH or (a, b) not in decided:
            continue
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            continue
        if uf.blocked_by_negative(ra, rb):
            contradictions.append((a, b))
            continue
        shared = uf.shared_list(ra, rb)
        if shared is not None:
            # A reviewer says two entries of a duplicate-free list are one person: the reviewer
            # wins, and the list is flagged as holding the person twice.
            forced.append((a, b, shared))
        uf.union(ra, rb)

    ordered = sorted(
        (lk for lk in links if lk.probability >= threshold),
        key=lambda lk: (-lk.probability, lk.key),
    )
    for lk in ordered:
        a, b = lk.key
        if a not in uf.parent or b not in uf.parent or (a, b) in decided:
            continue  # a judgement on this pair overrides the model (unsure: not auto-joined)
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            continue
        if uf.blocked_by_negative(ra, rb):
            result_refused_neg.append((a, b))
            continue
        shared = uf.shared_list(ra, rb)
        if shared is not None:
            result_refused_list.append((a, b, shared))
            continue
        uf.union(ra, rb)

    clusters: dict[str, frozenset[str]] = {}
    cluster_of: dict[str, str] = {}
    for members in uf.members.values():
        key = min(members, key=_order)
        clusters[key] = frozenset(members)
        for m in members:
            cluster_of[m] = key
    return ClusterResult(clusters, cluster_of, result_refused_neg, result_refused_list,
                         contradictions, forced)


def assign_person_ids(
    clusters: Mapping[str, frozenset[str]],
    previous: Mapping[str, int | None],
) -> tuple[dict[str, int | None], dict[int, int]]:
    """Keep person ids stable across runs: each cluster keeps the id most of its records had.

    Returns (cluster key -> person id or None for a new person, redirects old id -> new id for
    persons absorbed by a merge). When a person splits, the largest part keeps the id (ties go to
    the part holding the person's oldest record); the others become new persons.
    """
    claims: dict[int, list[tuple[int, tuple[int, str], str]]] = defaultdict(list)
    votes_by_cluster: dict[str, dict[int, int]] = {}
    for key, members in clusters.items():
        votes: dict[int, int] = defaultdict(int)
        for m in members:
            pid = previous.get(m)
            if pid is not None:
                votes[pid] += 1
        votes_by_cluster[key] = votes
        for pid, n in votes.items():
            claims[pid].append((n, _order(key), key))

    winner_of: dict[int, str] = {}
    for pid, contenders in claims.items():
        contenders.sort(key=lambda c: (-c[0], c[1]))
        winner_of[pid] = contenders[0][2]

    assigned: dict[str, int | None] = {}
    redirects: dict[int, int] = {}
    for key, votes in votes_by_cluster.items():
        won = [pid for pid in votes if winner_of.get(pid) == key]
        if not won:
            assigned[key] = None
            continue
        keep = min(won, key=lambda pid: (-votes[pid], pid))
        assigned[key] = keep
        for other in won:
            if other != keep:
                redirects[other] = keep
    return assigned, redirects


# --- review queue ----------------------------------------------------------------------------


def review_priority(probability: float, records_affected: int) -> float:
    """How much a decision on this pair would change: uncertainty × records it merges or splits.

    Uncertainty is the binary entropy of the match probability (1 at p = 0.5, 0 at 0 or 1), so a
    coin-flip pair that would join two five-record persons comes before a fairly sure pair
    between two single records.
    """
    p = min(max(probability, 1e-9), 1 - 1e-9)
    entropy = -(p * math.log2(p) + (1 - p) * math.log2(1 - p))
    return entropy * max(records_affected, 1)


# --- claims, conflicts and verification ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claim:
    """What one source record says about a person, with where it came from."""

    record: str
    source: str
    agency: str
    reliability: str
    family_name: str = ""
    given_name: str = ""
    patronymic: str = ""
    name_key: str = ""  # cross-script key of family + given name (from parley.names at ingest)
    birth_date: str = ""
    status: str = ""
    service_number: str = ""
    document_number: str = ""


class ConflictKind(StrEnum):
    STATUS = "status"  # deceased in one source, alive (held, captured…) in another
    BIRTH_DATE = "birth_date"  # two different full birth dates from strong sources
    SERVICE_NUMBER = "service_number"  # one service number on two persons
    LIST_DUPLICATE = "list_duplicate"  # one person twice on a list that must be duplicate-free
    JUDGEMENTS = "judgements"  # reviewers' decisions contradict each other


@dataclass(frozen=True, slots=True)
class ConflictFinding:
    kind: ConflictKind
    description: str
    records: tuple[str, ...]
    values: tuple[str, ...] = ()

    @property
    def fingerprint(self) -> str:
        """The same contradiction found again is the same conflict item, not a new one."""
        text = "\x1f".join((self.kind.value, *sorted(self.records, key=_order), "\x1e",
                            *sorted(self.values)))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


ALIVE_STATUSES = frozenset({"captured", "held", "convicted", "released"})
STRONG_SOURCE = frozenset("AB")
STRONG_INFO = frozenset("12")


def is_strong_grade(grade: str) -> bool:
    """Admiralty A–B (reliable, usually reliable) and 1–2 (confirmed, probably true)."""
    g = grade.strip().upper()
    return len(g) == 2 and g[0] in STRONG_SOURCE and g[1] in STRONG_INFO


def normalise_number(value: str) -> str:
    """Service and document numbers compared without spaces, dashes or case."""
    return re.sub(r"[^0-9A-ZА-ЯІЇЄҐ]", "", value.upper())


def _full_date(value: str) -> str:
    try:
        parsed = parse_partial_date(value)
    except ValueError:
        return ""
    return str(parsed) if parsed is not None and parsed.is_full else ""


def _describe(c: Claim) -> str:
    return f"record {c.record} ({c.source}, {c.agency}, {c.reliability or 'ungraded'})"


def detect_person_conflicts(claims: Sequence[Claim]) -> list[ConflictFinding]:
    """Contradictions inside one person's records: status, and strong full birth dates."""
    found: list[ConflictFinding] = []
    dead = [c for c in claims if c.status == "deceased"]
    alive = [c for c in claims if c.status in ALIVE_STATUSES]
    if dead and alive:
        involved = dead + alive
        found.append(ConflictFinding(
            ConflictKind.STATUS,
            "deceased according to " + "; ".join(_describe(c) for c in dead)
            + ", but " + "; ".join(f"{c.status} according to {_describe(c)}" for c in alive),
            tuple(c.record for c in involved),
            tuple(sorted({c.status for c in involved})),
        ))
    strong_dates: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        full = _full_date(c.birth_date)
        if full and is_strong_grade(c.reliability):
            strong_dates[full].append(c)
    if len(strong_dates) > 1:
        parts = [f"{d} from " + ", ".join(_describe(c) for c in cs)
                 for d, cs in sorted(strong_dates.items())]
        found.append(ConflictFinding(
            ConflictKind.BIRTH_DATE,
            "different full birth dates from strong sources: " + "; ".join(parts),
            tuple(c.record for cs in strong_dates.values() for c in cs),
            tuple(sorted(strong_dates)),
        ))
    return found


def detect_shared_numbers(
    claims_by_person: Mapping[int, Sequence[Claim]],
) -> list[tuple[list[int], ConflictFinding]]:
    """One service number claimed by records of two or more different persons."""
    holders: dict[str, dict[int, list[Claim]]] = defaultdict(lambda: defaultdict(list))
    for pid, claims in claims_by_person.items():
        for c in claims:
            number = normalise_number(c.service_number)
            if number:
                holders[number][pid].append(c)
    out: list[tuple[list[int], ConflictFinding]] = []
    for number, by_person in sorted(holders.items()):
        if len(by_person) < 2:
            continue
        pids = sorted(by_person)
        involved = [c for pid in pids for c in by_person[pid]]
        out.append((pids, ConflictFinding(
            ConflictKind.SERVICE_NUMBER,
            f"service number {number} is held by {len(pids)} persons: "
            + "; ".join(f"person {pid} via " + ", ".join(_describe(c) for c in by_person[pid])
                        for pid in pids),
            tuple(c.record for c in involved),
            (number,),
        )))
    return out
