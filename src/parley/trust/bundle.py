"""Signed list bundles: the list CSV and its manifest inside one DSSE envelope.

The file is the canonical JSON of the envelope plus one newline, and verification refuses any file
that is not exactly that, so every byte of the file is either signed or fixed by the format:
a changed byte always fails, never "still parses to the same thing".
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from parley.trust.dsse import sign_envelope, verify_envelope
from parley.trust.errors import N_, Phrase, TrustError

BUNDLE_PAYLOAD_TYPE = "application/vnd.parley.list-bundle+json"


def canonical_json(value: object) -> bytes:
    """Sorted keys, no spaces, UTF-8 — the same rule as ``parley.domain.audit.canonical_json``."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True, slots=True)
class VerifiedBundle:
    manifest: dict[str, Any]
    list_csv: str
    signers: tuple[str, ...]


def build_bundle(
    manifest: Mapping[str, object],
    list_csv: str,
    signers: Sequence[tuple[str, Ed25519PrivateKey]],
) -> bytes:
    """The bundle file's bytes. ``manifest`` carries the list name and version, the counts per
    category, and the signed checkpoint (note text) the list is anchored in; it must be JSON."""
    try:
        payload = canonical_json({"manifest": dict(manifest), "list_csv": list_csv})
    except (TypeError, ValueError) as err:
        raise TrustError(N_("manifest is not plain JSON: %(why)s"), why=err) from err
    envelope = sign_envelope(payload, BUNDLE_PAYLOAD_TYPE, signers)
    return canonical_json(envelope) + b"\n"


def _loads(data: bytes, what: Phrase) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise TrustError(N_("%(what)s is not UTF-8 JSON: %(why)s"), what=what, why=err) from err


def verify_bundle(data: bytes, keys: Mapping[str, Ed25519PublicKey]) -> VerifiedBundle:
    """Check the envelope's signatures (every given key signed, nobody else) and the format."""
    envelope = _loads(data, Phrase(N_("bundle")))
    if not isinstance(envelope, dict):
        raise TrustError(N_("bundle is not a DSSE envelope"))
    payload = verify_envelope(envelope, keys, payload_type=BUNDLE_PAYLOAD_TYPE)
    if canonical_json(envelope) + b"\n" != data:
        raise TrustError(N_("bundle file is not in canonical form (bytes were changed)"))
    body = _loads(payload, Phrase(N_("bundle payload")))
    if not isinstance(body, dict) or set(body) != {"manifest", "list_csv"}:
        raise TrustError(N_("bundle payload must hold exactly manifest and list_csv"))
    if canonical_json(body) != payload:
        raise TrustError(N_("bundle payload is not in canonical form"))
    manifest, list_csv = body["manifest"], body["list_csv"]
    if not isinstance(manifest, dict) or not isinstance(list_csv, str):
        raise TrustError(N_("bundle manifest must be an object and list_csv a string"))
    signers = tuple(str(entry["keyid"]) for entry in envelope["signatures"])
    return VerifiedBundle(manifest=manifest, list_csv=list_csv, signers=signers)
