"""C2SP signed notes and tlog checkpoints (https://c2sp.org/signed-note, /tlog-checkpoint).

A note is UTF-8 text ending in a newline, then a blank line, then one line per signature::

    parley.local/audit
    1024
    <base64 root hash>

    — HQ <base64(key id || Ed25519 signature over the text)>
    — MED <base64(...)>

Several agencies (the staff, the mediator) co-sign the same text. Parsing is strict — any byte
that would not come out of ``sign_note`` again is refused — so a changed byte never slips through
as an "equivalent" encoding.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from parley.trust.errors import N_, TrustError
from parley.trust.keys import VerifierKey, check_key_name, key_id

SIGNATURE_PREFIX = "— "  # U+2014 EM DASH, then a space
MAX_SIGNATURES = 100


@dataclass(frozen=True, slots=True)
class NoteSignature:
    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        encoded = base64.b64encode(self.key_id + self.signature).decode()
        return f"{SIGNATURE_PREFIX}{self.name} {encoded}\n"


@dataclass(frozen=True, slots=True)
class Note:
    text: str
    signatures: tuple[NoteSignature, ...]

    def serialize(self) -> str:
        return self.text + "\n" + "".join(sig.line() for sig in self.signatures)


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise TrustError(N_("note text must end with a newline"))
    for number, line in enumerate(text.split("\n")[:-1], start=1):
        for char in line:
            if ord(char) < 0x20 or ord(char) == 0x7F:
                raise TrustError(N_("note text line %(number)s contains a control character"),
                                 number=number)


def sign_note(text: str, signers: Sequence[tuple[str, Ed25519PrivateKey]]) -> str:
    """Sign ``text`` with every (name, key) and return the whole note."""
    _check_text(text)
    if not signers:
        raise TrustError(N_("a note needs at least one signer"))
    message = text.encode("utf-8")
    signatures = tuple(
        NoteSignature(
            name=check_key_name(name),
            key_id=key_id(name, private_key.public_key()),
            signature=private_key.sign(message),
        )
        for name, private_key in signers
    )
    return Note(text=text, signatures=signatures).serialize()


def cosign_note(note: str, signers: Sequence[tuple[str, Ed25519PrivateKey]]) -> str:
    """Add signatures to an existing note (which must parse); the text is unchanged."""
    parsed = parse_note(note)
    extra = parse_note(sign_note(parsed.text, signers)).signatures
    return Note(parsed.text, parsed.signatures + extra).serialize()


def parse_note(note: str) -> Note:
    """Split a note into text and signature lines, refusing anything non-canonical."""
    if not note.endswith("\n"):
        raise TrustError(N_("note must end with a newline"))
    split = note.rfind("\n\n")
    if split < 0:
        raise TrustError(N_("note has no blank line before its signatures"))
    text, block = note[: split + 1], note[split + 2 :]
    _check_text(text)
    if not block:
        raise TrustError(N_("note has no signatures"))
    signatures: list[NoteSignature] = []
    seen: set[tuple[str, bytes]] = set()
    for number, line in enumerate(block.split("\n")[:-1], start=1):
        if not line.startswith(SIGNATURE_PREFIX):
            raise TrustError(N_("signature line %(number)s does not start with '— '"),
                             number=number)
        fields = line[len(SIGNATURE_PREFIX) :].split(" ")
        if len(fields) != 2:
            raise TrustError(N_("signature line %(number)s is not '— name signature'"),
                             number=number)
        name, encoded = fields
        check_key_name(name)
        try:
            raw = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError) as err:
            raise TrustError(N_("signature line %(number)s (%(name)s): bad base64"),
                             number=number, name=name) from err
        if base64.b64encode(raw).decode() != encoded or len(raw) < 5:
            raise TrustError(N_("signature line %(number)s (%(name)s): malformed signature"),
                             number=number, name=name)
        sig = NoteSignature(name=name, key_id=raw[:4], signature=raw[4:])
        if (name, sig.key_id) in seen:
            raise TrustError(N_("signature line %(number)s repeats a signature by %(name)s"),
                             number=number, name=name)
        seen.add((name, sig.key_id))
        signatures.append(sig)
    if len(signatures) > MAX_SIGNATURES:
        raise TrustError(N_("note has more than %(most)s signatures"), most=MAX_SIGNATURES)
    return Note(text=text, signatures=tuple(signatures))


def verify_note(
    note: str,
    keys: Iterable[VerifierKey],
    *,
    allow_unknown: bool = False,
    required: Collection[str] | None = None,
) -> Note:
    """Check that every required key (default: EVERY given key) signed the note, and that every
    signature verifies.

    By default every signature must also be by a given key: signed-note readers may skip
    signatures they do not know (a witness may add its own), but Parley's verifier answers "is
    this exactly what these agencies signed", so a signature line nobody can check is an error
    rather than silently carried along. ``allow_unknown`` restores the lenient reading.
    """
    parsed = parse_note(note)
    wanted = {(key.name, key.key_id): key for key in keys}
    if not wanted:
        raise TrustError(N_("no public key to verify the note with"))
    message = parsed.text.encode("utf-8")
    signed: set[tuple[str, bytes]] = set()
    for sig in parsed.signatures:
        key = wanted.get((sig.name, sig.key_id))
        if key is None:
            if allow_unknown:
                continue
            known_name = any(name == sig.name for name, _ in wanted)
            if known_name:
                raise TrustError(N_("signature by %(name)s is by another key than the one given"),
                                 name=sig.name)
            raise TrustError(N_("signature by %(name)s: no public key given for %(name)s"),
                             name=sig.name)
        try:
            key.public_key.verify(sig.signature, message)
        except InvalidSignature as err:
            raise TrustError(N_("signature by %(name)s does not verify"), name=key.name) from err
        signed.add((sig.name, sig.key_id))
    for name_and_id, key in wanted.items():
        if (required is None or key.name in required) and name_and_id not in signed:
            raise TrustError(N_("no signature by %(name)s on the note"), name=key.name)
    return parsed


# --- checkpoints ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The body of a tlog checkpoint: origin, tree size, root hash, optional extension lines."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        lines = [self.origin, str(self.size), base64.b64encode(self.root_hash).decode()]
        return "\n".join([*lines, *self.extensions]) + "\n"


def parse_checkpoint_text(text: str) -> Checkpoint:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise TrustError(N_("checkpoint must have origin, size and root hash lines"))
    origin, size_text, root_text, *extensions = lines[:-1]
    if not origin:
        raise TrustError(N_("checkpoint origin line is empty"))
    canonical_number = size_text.isascii() and size_text.isdigit()
    if not canonical_number or (size_text != "0" and size_text.startswith("0")):
        raise TrustError(N_("checkpoint size %(size_text)s is not a decimal number"),
                         size_text=repr(size_text))
    try:
        root = base64.b64decode(root_text, validate=True)
    except (binascii.Error, ValueError) as err:
        raise TrustError(N_("checkpoint root hash is not base64")) from err
    if len(root) != 32 or base64.b64encode(root).decode() != root_text:
        raise TrustError(N_("checkpoint root hash is not a canonical base64 SHA-256 hash"))
    if any(not line for line in extensions):
        raise TrustError(N_("checkpoint has an empty extension line"))
    return Checkpoint(origin=origin, size=int(size_text), root_hash=root,
                      extensions=tuple(extensions))


def sign_checkpoint(
    checkpoint: Checkpoint, signers: Sequence[tuple[str, Ed25519PrivateKey]]
) -> str:
    return sign_note(checkpoint.text(), signers)


def verify_checkpoint(
    note: str,
    keys: Iterable[VerifierKey],
    origin: str | None = None,
    *,
    allow_unknown: bool = False,
    required: Collection[str] | None = None,
) -> Checkpoint:
    """Verify the signatures (as ``verify_note``), then parse the body."""
    parsed = verify_note(note, keys, allow_unknown=allow_unknown, required=required)
    checkpoint = parse_checkpoint_text(parsed.text)
    if origin is not None and checkpoint.origin != origin:
        raise TrustError(N_("checkpoint is for log %(origin)s, not %(origin2)s"),
                         origin=repr(checkpoint.origin), origin2=repr(origin))
    return checkpoint
