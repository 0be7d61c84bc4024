"""Signed stage protocols: what happened at one stage of the handover, in one DSSE envelope.

The payload is the canonical JSON of the protocol (stage, times, places, vehicles, each person's
outcome, the counts per side and category, incidents, the imbalance reason if any, the signed
checkpoint it follows). The staff key signs it; the mediator may add a signature over the same
bytes (``cosign``). The file is the canonical JSON of the envelope plus a newline and nothing
else, so any changed byte fails. The verifier also recounts the persons: a protocol whose counts
disagree with its own list of persons, or that claims parity it does not have, is refused.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from parley.trust.bundle import canonical_json
from parley.trust.dsse import _b64, pae, sign_envelope, verify_envelope
from parley.trust.errors import N_, Phrase, TrustError
from parley.trust.keys import check_key_name

PROTOCOL_PAYLOAD_TYPE = "application/vnd.parley.stage-protocol+json"


@dataclass(frozen=True, slots=True)
class VerifiedProtocol:
    body: dict[str, Any]
    signers: tuple[str, ...]


def build_protocol(body: Mapping[str, object],
                   signers: Sequence[tuple[str, Ed25519PrivateKey]]) -> bytes:
    try:
        payload = canonical_json(dict(body))
    except (TypeError, ValueError) as err:
        raise TrustError(N_("protocol is not plain JSON: %(why)s"), why=err) from err
    return canonical_json(sign_envelope(payload, PROTOCOL_PAYLOAD_TYPE, signers)) + b"\n"


def _envelope(data: bytes) -> dict[str, Any]:
    try:
        envelope = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise TrustError(N_("protocol is not UTF-8 JSON: %(why)s"), why=err) from err
    if not isinstance(envelope, dict) or not isinstance(envelope.get("signatures"), list):
        raise TrustError(N_("protocol is not a DSSE envelope"))
    return envelope


def cosign(data: bytes, signer: tuple[str, Ed25519PrivateKey]) -> bytes:
    """Add one signature (e.g. the mediator's) over the same payload; the others stay valid."""
    envelope = _envelope(data)
    if canonical_json(envelope) + b"\n" != data:
        raise TrustError(N_("protocol file is not in canonical form (bytes were changed)"))
    name, key = signer
    check_key_name(name)
    if any(isinstance(s, dict) and s.get("keyid") == name for s in envelope["signatures"]):
        raise TrustError(N_("%(name)s has already signed this protocol"), name=name)
    import base64

    payload = base64.b64decode(envelope["payload"], validate=True)
    signature = key.sign(pae(str(envelope["payloadType"]), payload))
    envelope["signatures"].append({"keyid": name, "sig": _b64(signature)})
    return canonical_json(envelope) + b"\n"


def _recount(body: dict[str, Any]) -> None:
    persons = body.get("persons")
    counts = body.get("counts")
    if not isinstance(persons, list) or not isinstance(counts, dict):
        raise TrustError(N_("protocol must hold persons (a list) and counts (an object)"))
    tally: dict[str, Counter[str]] = {"give": Counter(), "receive": Counter()}
    per_cat: dict[str, Counter[str]] = {"give": Counter(), "receive": Counter()}
    for p in persons:
        if not isinstance(p, dict) or p.get("side") not in tally:
            raise TrustError(N_("protocol person without a side give or receive"))
        tally[p["side"]][str(p.get("outcome"))] += 1
        if p.get("outcome") == "transferred":
            per_cat[p["side"]][str(p.get("category"))] += 1
    for side, seen in tally.items():
        stated = counts.get(side)
        if not isinstance(stated, dict):
            raise TrustError(N_("protocol counts lack the %(side)s side"), side=side)
        nonzero = {k: v for k, v in stated.items() if v}
        if nonzero != {k: v for k, v in seen.items() if v}:
            raise TrustError(N_("protocol counts for %(side)s do not match its persons"), side=side)
    balanced = per_cat["give"]["military"] + per_cat["give"]["civilian"] == \
        per_cat["receive"]["military"] + per_cat["receive"]["civilian"]
    if body.get("category_parity"):
        balanced = balanced and per_cat["give"] == per_cat["receive"]
    if bool(body.get("balanced")) != balanced:
        raise TrustError(N_("protocol states parity its persons do not have"))
    if not balanced and not str(body.get("imbalance_reason") or "").strip():
        raise TrustError(N_("protocol is out of parity without a recorded reason"))


def verify_protocol(data: bytes, keys: Mapping[str, Ed25519PublicKey]) -> VerifiedProtocol:
    envelope = _envelope(data)
    payload = verify_envelope(envelope, keys, payload_type=PROTOCOL_PAYLOAD_TYPE)
    if canonical_json(envelope) + b"\n" != data:
        raise TrustError(N_("protocol file is not in canonical form (bytes were changed)"))
    try:
        body = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise TrustError(N_("protocol payload is not UTF-8 JSON: %(why)s"), why=err) from err
    if not isinstance(body, dict) or canonical_json(body) != payload:
        raise TrustError(N_("protocol payload is not a canonical JSON object"))
    _recount(body)
    signers = tuple(str(s["keyid"]) for s in envelope["signatures"])
    return VerifiedProtocol(body=body, signers=signers)


def check_protocol_file(data: bytes, where: str,
                        keys: Mapping[str, Ed25519PublicKey]) -> Phrase:
    """The sentence of ``parley-verify protocol``'s "OK:" line for a valid file (a template
    and values, for the mediator's page); raises TrustError otherwise."""
    try:
        found = verify_protocol(data, keys)
    except TrustError as err:
        raise TrustError(N_("%(where)s: %(why)s"), where=where, why=err) from err
    body = found.body
    counts = body["counts"]
    balance = Phrase(N_("balanced") if body.get("balanced") else N_("imbalance recorded"))
    return Phrase(N_("protocol of plan %(plan)s stage %(stage)s: handed over %(given)s, received "
                     "%(received)s, %(balance)s; signed by %(signers)s"),
                  plan=body.get("plan"), stage=body.get("stage"),
                  given=counts["give"].get("transferred", 0),
                  received=counts["receive"].get("transferred", 0), balance=balance,
                  signers=", ".join(found.signers))
