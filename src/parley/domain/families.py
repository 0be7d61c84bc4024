"""Relatives' inquiries (pure): who asks, about whom, through which channel, and where the
inquiry stands.

An inquiry is a family's question, never identity evidence: it is kept apart from the registry's
source records and joins a person only through a link (a confident model match or a reviewer's
decision). Several relatives asking about one person form a *group* (same cross-script name keys
and birth year, or the same linked person).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from parley.domain.records import CanonicalRecord, build_record
from parley.errors import N_, InvalidRecord


class InquiryState(StrEnum):
    OPEN = "open"  # not yet linked to a person
    LINKED = "linked"  # linked to a resolved person
    ANSWERED = "answered"  # the family has been told what is known (a letter was sent)
    CLOSED = "closed"  # nothing more to follow (e.g. remains identified and returned)


class Channel(StrEnum):
    OMBUDSMAN = "ombudsman"
    HOTLINE = "hotline"
    ICRC = "icrc"
    LETTER = "letter"


# Which state may follow which: an inquiry never goes back to open once answered or closed.
TRANSITIONS: dict[InquiryState, frozenset[InquiryState]] = {
    InquiryState.OPEN: frozenset({InquiryState.LINKED, InquiryState.CLOSED}),
    InquiryState.LINKED: frozenset({InquiryState.ANSWERED, InquiryState.CLOSED,
                                    InquiryState.LINKED}),
    InquiryState.ANSWERED: frozenset({InquiryState.ANSWERED, InquiryState.CLOSED}),
    InquiryState.CLOSED: frozenset(),
}


def can_move(current: str, target: str) -> bool:
    return InquiryState(target) in TRANSITIONS[InquiryState(current)]


CHANNEL_WORDS: dict[str, Channel] = {
    "ombudsman": Channel.OMBUDSMAN, "омбудсман": Channel.OMBUDSMAN,
    "омбудсмен": Channel.OMBUDSMAN, "hotline": Channel.HOTLINE, "гаряча лінія": Channel.HOTLINE,
    "горячая линия": Channel.HOTLINE, "icrc": Channel.ICRC, "мккк": Channel.ICRC,
    "мкчх": Channel.ICRC, "letter": Channel.LETTER, "лист": Channel.LETTER,
    "письмо": Channel.LETTER,
}


def parse_channel(text: str) -> Channel:
    key = " ".join(text.strip().lower().split())
    found = CHANNEL_WORDS.get(key)
    if found is None:
        raise ValueError(f"'{text}' is not a channel (one of "
                         f"{', '.join(c.value for c in Channel)})")
    return found


@dataclass(frozen=True, slots=True)
class Consent:
    """What the relative agreed to: to be contacted, and to share data with the ICRC's tracing
    service (the Central Tracing Agency)."""

    contact: bool = False
    share_icrc: bool = False

    def as_text(self) -> str:
        parts = [p for p, on in (("contact", self.contact), ("icrc", self.share_icrc)) if on]
        return "+".join(parts) if parts else "none"


_YES = frozenset({"yes", "y", "true", "1", "так", "да", "contact", "згода", "согласен",
                  "згодна", "согласна", "+"})
_NO = frozenset({"no", "n", "false", "0", "ні", "нет", "none", "-", ""})
_ICRC = frozenset({"icrc", "мккк", "мкчх", "share", "all", "yes+icrc", "contact+icrc"})


def parse_consent(text: str) -> Consent:
    """``yes``/``так``/``да`` (contact), ``no``/``ні``/``нет`` (none), ``contact+icrc`` or
    ``all`` (contact and sharing with the ICRC); parts may be joined by ``+ , ;``."""
    low = text.strip().lower()
    if low in _NO:
        return Consent()
    if low in _ICRC:
        return Consent(contact=True, share_icrc=True)
    parts = [p.strip() for p in low.replace(",", "+").replace(";", "+").split("+") if p.strip()]
    if not parts:
        return Consent()
    contact = share = False
    for part in parts:
        if part in _ICRC:
            share = True
        elif part in _YES:
            contact = True
        elif part not in _NO:
            raise ValueError(f"'{text}' is not a consent (yes / no / contact+icrc)")
    return Consent(contact=contact, share_icrc=share)


INQUIRER_FIELDS: tuple[str, ...] = (
    "inquirer_name", "inquirer_relation", "inquirer_phone", "inquirer_email", "consent",
)
"""The inquirer's columns (contact details and consent: the family liaison's to see)."""


@dataclass(frozen=True, slots=True)
class Inquirer:
    name: str
    relation: str = ""
    phone: str = ""
    email: str = ""
    consent: Consent = field(default_factory=Consent)


@dataclass(frozen=True, slots=True)
class InquiryDraft:
    """One inquiry as read from a file or a form, validated, before it is stored."""

    inquiry_key: str
    inquirer: Inquirer
    sought: CanonicalRecord


def _phone_ok(phone: str) -> bool:
    digits = [c for c in phone if c.isdigit()]
    return 6 <= len(digits) <= 15 and all(c.isdigit() or c in "+-() ." for c in phone)


def build_inquiry(values: Mapping[str, str], extras: Mapping[str, str] | None = None
                  ) -> InquiryDraft:
    """Validate one row; ``InvalidRecord`` names the field that is wrong."""
    clean = {k: " ".join(str(v).split()) for k, v in values.items()}
    name = clean.get("inquirer_name", "")
    if not name:
        raise InvalidRecord("inquirer_name", N_("who asks is not given"))
    phone, email = clean.get("inquirer_phone", ""), clean.get("inquirer_email", "")
    if phone and not _phone_ok(phone):
        raise InvalidRecord("inquirer_phone", N_("not a phone number"), phone)
    if email and ("@" not in email or " " in email or email.startswith("@")):
        raise InvalidRecord("inquirer_email", N_("not an e-mail address"), email)
    try:
        consent = parse_consent(clean.get("consent", ""))
    except ValueError as err:
        raise InvalidRecord("consent", str(err), clean.get("consent")) from None
    sought_values = {k: v for k, v in clean.items()
                     if k not in INQUIRER_FIELDS and k != "inquiry_id"}
    sought, _warnings = build_record(sought_values, extras=extras, strict_coded=False)
    inquirer = Inquirer(name=name, relation=clean.get("inquirer_relation", ""), phone=phone,
                        email=email, consent=consent)
    return InquiryDraft(inquiry_key=clean.get("inquiry_id", ""), inquirer=inquirer,
                        sought=sought)


def group_key(family_key: str, given_key: str, birth_date: str) -> str:
    """Inquiries from several relatives about one person share this key (cross-script name keys
    and the birth year); empty when the names give no key."""
    if not family_key or not given_key:
        return ""
    return f"{family_key}|{given_key}|{birth_date[:4]}"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One person an inquiry may be about, with the model's probability."""

    person_id: int
    probability: float
    record_ids: tuple[int, ...]


AUTO_LINK = 0.95
REVIEW_FROM = 0.5


def decide_link(candidates: list[Candidate]) -> tuple[str, Candidate | None]:
    """``("linked", best)`` when one person is a confident match and no other comes near;
    ``("review", best)`` when some candidate is in the review band (or two are confident);
    ``("unmatched", None)`` otherwise."""
    ranked = sorted(candidates, key=lambda c: (-c.probability, c.person_id))
    ranked = [c for c in ranked if c.probability >= REVIEW_FROM]
    if not ranked:
        return "unmatched", None
    best = ranked[0]
    if best.probability >= AUTO_LINK and len(ranked) == 1:
        return "linked", best
    return "review", best
