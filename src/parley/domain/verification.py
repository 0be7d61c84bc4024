"""When an identity counts as verified: independent sources agree on a strong identifier.

Kept apart from clustering and conflicts (``parley.domain.identity``): it reads a person's
claims and says why the identity is, or is not, verified, source by source.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from parley.domain.identity import Claim, _full_date, _order, normalise_number


@dataclass(frozen=True, slots=True)
class SourceReason:
    """One source's part in a verification: what it says, and how far to trust it."""

    source: str
    agency: str
    reliability: str
    record: str
    identifier: str  # "service number", "document number", "full name and birth date"
    value: str
    agrees: bool

    def sentence(self) -> str:
        verb = "gives" if self.agrees else "gives a different"
        return (f"{self.source} ({self.agency}, reliability {self.reliability or 'ungraded'}) "
                f"{verb} {self.identifier} {self.value} (record {self.record})")


@dataclass(frozen=True, slots=True)
class Verification:
    verified: bool
    identifier: str = ""
    value: str = ""
    reasons: tuple[SourceReason, ...] = ()

    def summary(self) -> str:
        if not self.verified:
            return "not verified: no two independent sources agree on a strong identifier"
        agencies = sorted({r.agency for r in self.reasons if r.agrees})
        return (f"verified: {len(agencies)} independent agencies ({', '.join(agencies)}) agree on "
                f"{self.identifier} {self.value}")


def _identifiers(c: Claim) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if number := normalise_number(c.service_number):
        out.append(("service number", number))
    if number := normalise_number(c.document_number):
        out.append(("document number", number))
    full = _full_date(c.birth_date)
    if full and c.name_key.strip():
        out.append(("full name and birth date", f"{c.name_key.strip()} {full}"))
    return out


_IDENTIFIER_RANK = {"document number": 0, "service number": 1, "full name and birth date": 2}


def verify_identity(claims: Sequence[Claim]) -> Verification:
    """Verified only when ≥ 2 independent sources — different originating agencies, since two
    registers of one agency often copy each other — agree on one strong identifier.

    The reasons list every source that speaks to the chosen identifier, agreeing or not, so a
    reader sees the dissent too. Among several agreeing identifiers the one with the most
    agencies wins, then the stronger kind (document, service number, name with birth date).
    """
    by_value: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in claims:
        for ident in _identifiers(c):
            by_value[ident].append(c)
    best: tuple[int, int, str, str] | None = None
    for (kind, value), cs in by_value.items():
        agencies = {c.agency for c in cs}
        if len(agencies) < 2:
            continue
        rank = (-len(agencies), _IDENTIFIER_RANK[kind], kind, value)
        if best is None or rank < best:
            best = rank
    if best is None:
        return Verification(False)
    _, _, kind, value = best
    reasons: list[SourceReason] = []
    for c in sorted(claims, key=lambda c: (c.agency, c.source, _order(c.record))):
        mine = [v for k, v in _identifiers(c) if k == kind]
        if not mine:
            continue
        agrees = value in mine
        reasons.append(SourceReason(c.source, c.agency, c.reliability, c.record, kind,
                                    _as_written(c, kind, value if agrees else mine[0]), agrees))
    shown = next((r.value for r in reasons if r.agrees), value)
    return Verification(True, kind, shown, tuple(reasons))


def _as_written(c: Claim, kind: str, value: str) -> str:
    """What a reader is shown: a name as the source wrote it, never the internal name key
    the sources were compared on."""
    if kind != "full name and birth date":
        return value
    name = " ".join(x for x in (c.family_name, c.given_name, c.patronymic) if x)
    return f"{name} {_full_date(c.birth_date)}".strip()
