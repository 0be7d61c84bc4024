"""Ed25519 keys as files and as the C2SP signed-note verifier-key text.

A verifier key reads ``name+hexkeyid+base64(0x01 || public key)`` (C2SP signed-note), so one line
pasted into an e-mail or printed on a protocol is enough for the mediator to check signatures.
Private keys are PKCS#8 PEM (or the bare 32-byte seed) and never leave the key directory.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import unicodedata
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from parley.trust.errors import N_, TrustError

ED25519_ALGORITHM = 0x01  # the signed-note signature type byte for Ed25519


def check_key_name(name: str) -> str:
    """C2SP signed-note key names are non-empty and hold no whitespace and no '+'."""
    if not name:
        raise TrustError(N_("key name is empty"))
    for char in name:
        if char == "+" or char.isspace() or unicodedata.category(char).startswith("C"):
            raise TrustError(N_("key name %(name)s contains %(char)s, which a note key may not"),
                             name=repr(name), char=repr(char))
    return name


def public_bytes(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(name: str, public_key: Ed25519PublicKey) -> bytes:
    """First 4 bytes of SHA-256(name || 0x0A || 0x01 || public key), as C2SP signed-note says."""
    check_key_name(name)
    material = name.encode("utf-8") + b"\n" + bytes([ED25519_ALGORITHM]) + public_bytes(public_key)
    return hashlib.sha256(material).digest()[:4]


@dataclass(frozen=True, slots=True)
class VerifierKey:
    """A named public key, with the key id that signature lines carry."""

    name: str
    key_id: bytes
    public_key: Ed25519PublicKey

    @classmethod
    def of(cls, name: str, public_key: Ed25519PublicKey) -> VerifierKey:
        return cls(name=name, key_id=key_id(name, public_key), public_key=public_key)

    def text(self) -> str:
        return verifier_key_text(self.name, self.public_key)


def verifier_key_text(name: str, public_key: Ed25519PublicKey) -> str:
    """``name+hexkeyid+base64(0x01||pubkey)``."""
    encoded = base64.b64encode(bytes([ED25519_ALGORITHM]) + public_bytes(public_key)).decode()
    return f"{name}+{key_id(name, public_key).hex()}+{encoded}"


def parse_verifier_key(text: str) -> VerifierKey:
    """Parse a verifier key line; checks the algorithm byte and that the key id matches the key."""
    line = text.strip()
    parts = line.split("+", 2)
    if len(parts) != 3:
        raise TrustError(N_("verifier key %(line)s is not 'name+keyid+base64key'"),
                         line=repr(line[:40]))
    name, hex_id, encoded = parts
    check_key_name(name)
    try:
        raw = base64.b64decode(encoded, validate=True)
        stated_id = bytes.fromhex(hex_id)
    except (binascii.Error, ValueError) as err:
        raise TrustError(N_("verifier key for %(name)s: bad encoding (%(why)s)"),
                         name=name, why=err) from err
    if len(stated_id) != 4 or len(raw) != 33 or raw[0] != ED25519_ALGORITHM:
        raise TrustError(N_("verifier key for %(name)s is not an Ed25519 signed-note key"),
                         name=name)
    if base64.b64encode(raw).decode() != encoded:
        raise TrustError(N_("verifier key for %(name)s: non-canonical base64"), name=name)
    public_key = Ed25519PublicKey.from_public_bytes(raw[1:])
    key = VerifierKey.of(name, public_key)
    if key.key_id != stated_id:
        raise TrustError(N_("verifier key for %(name)s: key id %(hex_id)s does not match the key"),
                         name=name, hex_id=hex_id)
    return key


def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_pem(private_key: Ed25519PrivateKey) -> bytes:
    """PKCS#8 PEM, unencrypted: the file's 0600 mode and the host protect it."""
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_private_key(data: bytes) -> Ed25519PrivateKey:
    """Read a PKCS#8 PEM Ed25519 key, or a bare 32-byte seed."""
    if len(data) == 32:
        return Ed25519PrivateKey.from_private_bytes(data)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as err:
        raise TrustError(N_("not an unencrypted PEM private key: %(why)s"), why=err) from err
    if not isinstance(key, Ed25519PrivateKey):
        raise TrustError(N_("the private key is not an Ed25519 key"))
    return key
