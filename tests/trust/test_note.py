"""Signed notes and checkpoints: the C2SP format, round trips, and refusals."""

from __future__ import annotations

import base64

import pytest

from parley.trust.errors import TrustError
from parley.trust.keys import (
    VerifierKey,
    generate_private_key,
    key_id,
    load_private_key,
    parse_verifier_key,
    private_key_pem,
    verifier_key_text,
)
from parley.trust.note import (
    Checkpoint,
    cosign_note,
    parse_checkpoint_text,
    parse_note,
    sign_checkpoint,
    verify_checkpoint,
    verify_note,
)

# The example of golang.org/x/mod/sumdb/note: our parser and verifier must accept Go's notes.
GO_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_NOTE = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotp"
    "RZb6KE6RyyBwJnAM=\n"
)


def test_go_signed_note_verifies() -> None:
    key = parse_verifier_key(GO_KEY)
    assert key.key_id.hex() == "c74f20a3"
    note = verify_note(GO_NOTE, [key])
    assert note.text.startswith("If you think")
    with pytest.raises(TrustError, match="signature by PeterNeumann does not verify"):
        verify_note(GO_NOTE.replace("answer", "Answer"), [key])


def test_verifier_key_round_trip_and_key_id() -> None:
    private = generate_private_key()
    text = verifier_key_text("MOD", private.public_key())
    name, hex_id, encoded = text.split("+", 2)
    assert name == "MOD" and len(hex_id) == 8
    assert base64.b64decode(encoded)[0] == 1
    parsed = parse_verifier_key(text + "\n")
    assert parsed.key_id == key_id("MOD", private.public_key()) == bytes.fromhex(hex_id)
    with pytest.raises(TrustError, match="key id"):
        parse_verifier_key(text.replace("MOD", "SSU", 1))
    with pytest.raises(TrustError):
        parse_verifier_key("MOD+zz+abc")


def test_private_key_files_round_trip() -> None:
    private = generate_private_key()
    again = load_private_key(private_key_pem(private))
    assert verifier_key_text("HQ", again.public_key()) == verifier_key_text(
        "HQ", private.public_key())
    with pytest.raises(TrustError):
        load_private_key(b"not a key")


def test_checkpoint_round_trip_with_cosignatures() -> None:
    hq, med = generate_private_key(), generate_private_key()
    keys = [VerifierKey.of("HQ", hq.public_key()), VerifierKey.of("MED", med.public_key())]
    body = Checkpoint("parley.local/audit", 17, bytes(range(32)), ("extra line",))
    note = sign_checkpoint(body, [("HQ", hq)])
    assert note.startswith("parley.local/audit\n17\n")
    assert verify_checkpoint(note, keys[:1]) == body
    with pytest.raises(TrustError, match="no signature by MED"):
        verify_checkpoint(note, keys)
    both = cosign_note(note, [("MED", med)])
    assert verify_checkpoint(both, keys, origin="parley.local/audit") == body
    assert [s.name for s in parse_note(both).signatures] == ["HQ", "MED"]
    with pytest.raises(TrustError, match="not 'other'"):
        verify_checkpoint(both, keys, origin="other")


def test_unknown_signatures_are_refused_unless_allowed_and_named_keys_must_sign() -> None:
    hq, witness = generate_private_key(), generate_private_key()
    note = sign_checkpoint(Checkpoint("o", 1, b"\x00" * 32), [("HQ", hq), ("W", witness)])
    only_hq = [VerifierKey.of("HQ", hq.public_key())]
    with pytest.raises(TrustError, match="no public key given for W"):
        verify_checkpoint(note, only_hq)
    assert verify_checkpoint(note, only_hq, allow_unknown=True).size == 1
    impostor = VerifierKey.of("HQ", generate_private_key().public_key())
    with pytest.raises(TrustError, match="no signature by HQ"):
        verify_checkpoint(note, [impostor], allow_unknown=True)
    with pytest.raises(TrustError, match="another key"):
        verify_checkpoint(note, [impostor, VerifierKey.of("W", witness.public_key())])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("o\n1\n", "origin, size and root"),
        ("o\n01\n" + base64.b64encode(b"\x00" * 32).decode() + "\n", "decimal"),
        ("o\n-1\n" + base64.b64encode(b"\x00" * 32).decode() + "\n", "decimal"),
        ("o\n1\n" + base64.b64encode(b"\x00" * 31).decode() + "\n", "SHA-256"),
        ("\n1\n" + base64.b64encode(b"\x00" * 32).decode() + "\n", "origin"),
    ],
)
def test_bad_checkpoint_bodies(text: str, message: str) -> None:
    with pytest.raises(TrustError, match=message):
        parse_checkpoint_text(text)


@pytest.mark.parametrize(
    "broken",
    [
        "text\n\n— HQ abc",  # no final newline
        "text\n— HQ AAAAAAAA\n",  # no blank line
        "text\n\n",  # no signatures
        "text\n\n- HQ AAAAAAAA\n",  # hyphen, not em dash
        "text\n\n— HQ  AAAAAAAA\n",  # two spaces
        "text\n\n— H+Q AAAAAAAA\n",  # '+' in a key name
        "text\n\n— HQ AAAAAAB=\n",  # non-canonical base64 (stray low bits)
        "text\n\n— HQ AAAAAAAA\n— HQ AAAAAAAA\n",  # repeated
        "te\x01xt\n\n— HQ AAAAAAAA\n",  # control character
    ],
)
def test_malformed_notes_are_refused(broken: str) -> None:
    with pytest.raises(TrustError):
        parse_note(broken)
