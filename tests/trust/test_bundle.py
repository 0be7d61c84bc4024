"""DSSE envelopes and signed list bundles."""

from __future__ import annotations

import base64
import json

import pytest

from parley.trust.bundle import BUNDLE_PAYLOAD_TYPE, build_bundle, verify_bundle
from parley.trust.dsse import pae, sign_envelope, verify_envelope
from parley.trust.errors import TrustError
from parley.trust.keys import generate_private_key

MANIFEST = {"list": "to-receive", "version": 3, "counts": {"military": 12, "civilian": 4},
            "checkpoint": "parley.local/audit\n5\nAAAA\n"}
CSV = "record_id,family_name,given_name\nr1,Ivanenko,Petro\nr2,Kovalenko,Olena\n"


def test_pae_matches_the_dsse_specification() -> None:
    # the example in the DSSE protocol document
    assert pae("http://example.com/HelloWorld", b"hello world") == (
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world")


def test_envelope_needs_every_named_key_and_no_unknown_signer() -> None:
    mod, ssu = generate_private_key(), generate_private_key()
    envelope = sign_envelope(b"payload", "t", [("MOD", mod), ("SSU", ssu)])
    both = {"MOD": mod.public_key(), "SSU": ssu.public_key()}
    assert verify_envelope(envelope, both) == b"payload"
    with pytest.raises(TrustError, match="no public key given for SSU"):
        verify_envelope(envelope, {"MOD": mod.public_key()})
    stripped = {**envelope, "signatures": envelope["signatures"][:1]}  # type: ignore[index]
    with pytest.raises(TrustError, match="no signature by SSU"):
        verify_envelope(stripped, both)
    swapped = {"MOD": ssu.public_key(), "SSU": mod.public_key()}
    with pytest.raises(TrustError, match="signature by MOD does not verify"):
        verify_envelope(envelope, swapped)
    with pytest.raises(TrustError, match="payloadType"):
        verify_envelope(envelope, both, payload_type="other")
    with pytest.raises(TrustError, match="only once"):
        sign_envelope(b"x", "t", [("MOD", mod), ("MOD", mod)])


def test_bundle_round_trip() -> None:
    mod, ssu = generate_private_key(), generate_private_key()
    data = build_bundle(MANIFEST, CSV, [("MOD", mod), ("SSU", ssu)])
    envelope = json.loads(data)
    assert envelope["payloadType"] == BUNDLE_PAYLOAD_TYPE
    body = json.loads(base64.b64decode(envelope["payload"]))
    assert body == {"manifest": MANIFEST, "list_csv": CSV}
    bundle = verify_bundle(data, {"MOD": mod.public_key(), "SSU": ssu.public_key()})
    assert bundle.manifest == MANIFEST and bundle.list_csv == CSV
    assert bundle.signers == ("MOD", "SSU")


def test_reformatted_bundle_is_refused_even_with_valid_signatures() -> None:
    mod = generate_private_key()
    data = build_bundle(MANIFEST, CSV, [("MOD", mod)])
    pretty = json.dumps(json.loads(data), indent=2).encode() + b"\n"
    with pytest.raises(TrustError, match="canonical"):
        verify_bundle(pretty, {"MOD": mod.public_key()})


def test_manifest_must_be_json() -> None:
    with pytest.raises(TrustError, match="plain JSON"):
        build_bundle({"when": object()}, CSV, [("MOD", generate_private_key())])
