"""DSSE envelopes (https://github.com/secure-systems-lab/dsse) signed with Ed25519.

The signature covers the pre-authentication encoding
``PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body``, so a payload can never be
re-read under another type. Each signing agency adds one signature whose ``keyid`` is its key name.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from parley.trust.errors import N_, Phrase, TrustError
from parley.trust.keys import check_key_name


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(kind), kind, len(payload), payload)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, what: Phrase) -> bytes:
    if not isinstance(text, str):
        raise TrustError(N_("%(what)s is not a base64 string"), what=what)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as err:
        raise TrustError(N_("%(what)s is not valid base64"), what=what) from err
    if _b64(raw) != text:
        raise TrustError(N_("%(what)s is not canonical base64"), what=what)
    return raw


def sign_envelope(
    payload: bytes, payload_type: str, signers: Sequence[tuple[str, Ed25519PrivateKey]]
) -> dict[str, object]:
    """An envelope with one signature per (key name, private key)."""
    if not signers:
        raise TrustError(N_("an envelope needs at least one signer"))
    names = [check_key_name(name) for name, _ in signers]
    if len(set(names)) != len(names):
        raise TrustError(N_("each signer may sign an envelope only once"))
    message = pae(payload_type, payload)
    return {
        "payload": _b64(payload),
        "payloadType": payload_type,
        "signatures": [{"keyid": name, "sig": _b64(key.sign(message))} for name, key in signers],
    }


def verify_envelope(
    envelope: Mapping[str, object],
    keys: Mapping[str, Ed25519PublicKey],
    *,
    payload_type: str | None = None,
) -> bytes:
    """Return the payload if EVERY signature is by a given key and verifies, and every given key
    signed. Both rules matter: an unknown signature cannot be vouched for, and a stripped one
    must not pass as "fewer signers"."""
    if set(envelope) != {"payload", "payloadType", "signatures"}:
        raise TrustError(N_("envelope must have exactly payload, payloadType and signatures"))
    payload = _unb64(envelope["payload"], Phrase(N_("envelope payload")))
    kind = envelope["payloadType"]
    if not isinstance(kind, str):
        raise TrustError(N_("envelope payloadType is not a string"))
    if payload_type is not None and kind != payload_type:
        raise TrustError(N_("envelope payloadType is %(kind)s, expected %(payload_type)s"),
                         kind=repr(kind), payload_type=repr(payload_type))
    signatures = envelope["signatures"]
    if not isinstance(signatures, list) or not signatures:
        raise TrustError(N_("envelope has no signatures"))
    if not keys:
        raise TrustError(N_("no public key to verify the envelope with"))
    message = pae(kind, payload)
    signed: set[str] = set()
    for position, entry in enumerate(signatures, start=1):
        if not isinstance(entry, dict) or set(entry) != {"keyid", "sig"}:
            raise TrustError(N_("envelope signature %(position)s must have exactly keyid and sig"),
                             position=position)
        name = entry["keyid"]
        if not isinstance(name, str):
            raise TrustError(N_("envelope signature %(position)s has no key name"),
                             position=position)
        if name in signed:
            raise TrustError(N_("signature by %(name)s appears twice"), name=name)
        public_key = keys.get(name)
        if public_key is None:
            raise TrustError(N_("signature by %(name)s: no public key given for %(name)s"),
                             name=name)
        try:
            signature = _unb64(entry["sig"], Phrase(N_("signature by %(name)s"), name=name))
            public_key.verify(signature, message)
        except InvalidSignature as err:
            raise TrustError(N_("signature by %(name)s does not verify"), name=name) from err
        signed.add(name)
    missing = sorted(set(keys) - signed)
    if missing:
        raise TrustError(N_("no signature by %(signers)s"), signers=', '.join(missing))
    return payload
