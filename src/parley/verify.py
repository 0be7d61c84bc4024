"""``parley-verify``: check Parley's signed checkpoints, proofs and list bundles offline.

Needs only the standard library, ``cryptography`` and ``parley.trust`` (no database, no network),
so a mediator can run it on an air-gapped machine with nothing but the agencies' public keys::

    parley-verify checkpoint checkpoint.txt --key HQ.pub --key MED.pub
    parley-verify inclusion proof.json --key HQ.pub
    parley-verify consistency old.txt new.txt --proof consistency.json --key HQ.pub
    parley-verify bundle list.bundle --key MOD.pub --key SSU.pub
    parley-verify protocol stage-1.protocol --key HQ.pub --key MED.pub

It exits 0 and prints one "OK: ..." line, or exits 1 with one line saying what failed. The
``check_*`` functions return that line's sentence as a :class:`~parley.trust.errors.Phrase`
(template and values), so the mediator's page can say it in the reader's language.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from parley.trust.bundle import verify_bundle
from parley.trust.errors import N_, Phrase, TrustError
from parley.trust.event import INCLUSION_PROOF_TYPE, event_leaf
from parley.trust.keys import VerifierKey, parse_verifier_key
from parley.trust.merkle import leaf_hash, verify_consistency, verify_inclusion
from parley.trust.note import Checkpoint, verify_checkpoint
from parley.trust.protocol import check_protocol_file

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def _read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise TrustError(N_("%(path)s: cannot read (%(strerror)s)"),
                         path=path, strerror=err.strerror) from err


def _read_text(path: str) -> str:
    try:
        return _read_bytes(path).decode("utf-8")
    except UnicodeDecodeError as err:
        raise TrustError(N_("%(path)s: not UTF-8 text"), path=path) from err


def load_key(spec: str) -> VerifierKey:
    """A verifier key given as a file holding the line, or as the line itself."""
    candidate = Path(spec)
    text = _read_text(spec) if candidate.is_file() else spec
    try:
        return parse_verifier_key(text)
    except TrustError as err:
        raise TrustError(N_("key %(spec)s: %(why)s"), spec=spec, why=err) from err


def _keys(specs: Sequence[str]) -> list[VerifierKey]:
    keys = [load_key(spec) for spec in specs]
    if not keys:
        raise TrustError(N_("give at least one --key"))
    return keys


def _checkpoint(
    note: str, keys: Sequence[VerifierKey], where: str | Phrase, *, all_required: bool = True
) -> Checkpoint:
    """Every signature must be by a given key and verify; either every key must have signed, or
    (for proofs, whose checkpoints may have different co-signers) the first key, the log's."""
    required = None if all_required else [keys[0].name]
    try:
        return verify_checkpoint(note, keys, required=required)
    except TrustError as err:
        raise TrustError(N_("%(where)s: %(why)s"), where=where, why=err) from err


def _json_object(path: str) -> dict[str, Any]:
    try:
        value = json.loads(_read_text(path))
    except ValueError as err:
        raise TrustError(N_("%(path)s: not JSON (%(why)s)"), path=path, why=err) from err
    if not isinstance(value, dict):
        raise TrustError(N_("%(path)s: not a JSON object"), path=path)
    return value


def _field(proof: dict[str, Any], name: str, kind: type, path: str) -> Any:
    value = proof.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TrustError(N_("%(path)s: field %(name)s is missing or not a %(kind)s"),
                         path=path, name=repr(name), kind=kind.__name__)
    return value


def _hashes(proof: dict[str, Any], path: str) -> list[bytes]:
    items = _field(proof, "path", list, path)
    decoded = []
    for position, item in enumerate(items):
        try:
            raw = base64.b64decode(item, validate=True) if isinstance(item, str) else b""
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32 or base64.b64encode(raw).decode() != item:
            raise TrustError(N_("%(path)s: path entry %(position)s is not a base64 SHA-256 hash"),
                             path=path, position=position)
        decoded.append(raw)
    return decoded


def check_checkpoint(file: str, key_specs: Sequence[str]) -> Phrase:
    keys = _keys(key_specs)
    checkpoint = _checkpoint(_read_text(file), keys, file)
    return Phrase(N_("checkpoint of %(origin)s at size %(size)s, root %(root)s, signed by "
                     "%(signers)s"), origin=checkpoint.origin, size=checkpoint.size,
                  root=checkpoint.root_hash.hex(), signers=", ".join(k.name for k in keys))


def _proof_event(proof: dict[str, Any], file: str) -> tuple[dict[str, Any], bytes]:
    """The event the proof shows and the leaf rebuilt from it; the proof's own ``seq``,
    ``index`` and ``leaf`` (kept for reading) must all say the same, or the file was edited."""
    if proof.get("type") != INCLUSION_PROOF_TYPE:
        raise TrustError(N_("%(file)s: not a %(kind)s proof (an older proof does not bind its "
                            "event: ask for a new one with 'parley audit prove')"),
                         file=file, kind=INCLUSION_PROOF_TYPE)
    event = _field(proof, "event", dict, file)
    try:
        leaf = event_leaf(event)
    except TrustError as err:
        raise TrustError(N_("%(file)s: %(why)s"), file=file, why=err) from err
    seq = event["seq"]
    if _field(proof, "seq", int, file) != seq or _field(proof, "index", int, file) != seq - 1:
        raise TrustError(N_("%(file)s: the proof's seq/index do not match its event %(seq)s"),
                         file=file, seq=seq)
    if _field(proof, "leaf", str, file).encode("utf-8") != leaf:
        raise TrustError(N_("%(file)s: the proof's leaf is not the leaf of the event it shows"),
                         file=file)
    return event, leaf


def check_inclusion(file: str, key_specs: Sequence[str]) -> Phrase:
    keys = _keys(key_specs)
    proof = _json_object(file)
    checkpoint = _checkpoint(_field(proof, "checkpoint", str, file), keys,
                             Phrase(N_("%(file)s checkpoint"), file=file), all_required=False)
    size = _field(proof, "tree_size", int, file)
    event, leaf = _proof_event(proof, file)
    if size != checkpoint.size:
        raise TrustError(N_("%(file)s: proof is for size %(size)s but its checkpoint is at size "
                            "%(size2)s"), file=file, size=size, size2=checkpoint.size)
    index = event["seq"] - 1
    try:
        verify_inclusion(leaf_hash(leaf), index, size, _hashes(proof, file), checkpoint.root_hash)
    except TrustError as err:
        raise TrustError(N_("%(file)s: event %(seq)s as shown is not in the log: %(why)s"),
                         file=file, seq=index + 1, why=err) from err
    what = json.dumps(f"{event['action']} {event['target']}", ensure_ascii=True)
    return Phrase(N_("event %(seq)s (%(what)s) is in the log at size %(size)s"), seq=index + 1,
                  what=what, size=size)


def check_consistency(old: str, new: str, proof_file: str,
                      key_specs: Sequence[str]) -> Phrase:
    keys = _keys(key_specs)
    before = _checkpoint(_read_text(old), keys, old, all_required=False)
    after = _checkpoint(_read_text(new), keys, new, all_required=False)
    if before.origin != after.origin:
        raise TrustError(N_("checkpoints are of different logs: %(origin)s, %(origin2)s"),
                         origin=repr(before.origin), origin2=repr(after.origin))
    proof = _json_object(proof_file)
    old_size = _field(proof, "old_size", int, proof_file)
    new_size = _field(proof, "new_size", int, proof_file)
    if (old_size, new_size) != (before.size, after.size):
        raise TrustError(N_("%(proof_file)s: proof is from size %(old_size)s to %(new_size)s, the "
                            "checkpoints are at sizes %(size)s and %(size2)s"),
                         proof_file=proof_file, old_size=old_size, new_size=new_size,
                         size=before.size, size2=after.size)
    verify_consistency(before.size, after.size, before.root_hash, after.root_hash,
                       _hashes(proof, proof_file))
    return Phrase(N_("the log at size %(new_size)s extends the log at size %(old_size)s"),
                  new_size=after.size, old_size=before.size)


def check_bundle(file: str, key_specs: Sequence[str]) -> Phrase:
    keys = _keys(key_specs)
    try:
        bundle = verify_bundle(_read_bytes(file), {k.name: k.public_key for k in keys})
    except TrustError as err:
        raise TrustError(N_("%(file)s: %(why)s"), file=file, why=err) from err
    manifest = bundle.manifest
    name = manifest.get("list", manifest.get("list_name", manifest.get("name", "?")))
    version = manifest.get("version", "?")
    rows = max(len(bundle.list_csv.splitlines()) - 1, 0)
    return Phrase(N_("bundle of list %(name)s version %(version)s (%(rows)s rows) signed by "
                     "%(signers)s"), name=name, version=version, rows=rows,
                  signers=", ".join(bundle.signers))


def check_protocol(file: str, key_specs: Sequence[str]) -> Phrase:
    keys = {k.name: k.public_key for k in _keys(key_specs)}
    return check_protocol_file(_read_bytes(file), file, keys)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parley-verify",
        description="Verify Parley checkpoints, inclusion and consistency proofs, and signed "
        "list bundles offline. A --key is a file holding a signed-note verifier key "
        "(NAME+keyid+base64) or the key text itself. Every signature present must be by a "
        "given key and verify. For 'checkpoint' and 'bundle' every key given must have signed; "
        "for 'inclusion' and 'consistency' the first key (the log's, HQ) must have signed.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    cp = commands.add_parser("checkpoint", help="verify a signed checkpoint")
    cp.add_argument("file")
    inc = commands.add_parser("inclusion", help="verify an inclusion proof (parley audit prove)")
    inc.add_argument("file")
    con = commands.add_parser("consistency", help="verify that NEW extends OLD")
    con.add_argument("old")
    con.add_argument("new")
    con.add_argument("--proof", required=True)
    bun = commands.add_parser("bundle", help="verify a signed list bundle")
    bun.add_argument("file")
    pro = commands.add_parser("protocol", help="verify a signed stage protocol")
    pro.add_argument("file")
    for sub in (cp, inc, con, bun, pro):
        sub.add_argument("--key", action="append", default=[], required=True,
                         metavar="PUB", help="a public key that must have signed")
    return parser


def run(argv: Sequence[str] | None = None) -> tuple[int, str]:
    """Run one check; returns (exit code, the line to print). In-process entry for tests."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "checkpoint":
            found = check_checkpoint(args.file, args.key)
        elif args.command == "inclusion":
            found = check_inclusion(args.file, args.key)
        elif args.command == "consistency":
            found = check_consistency(args.old, args.new, args.proof, args.key)
        elif args.command == "protocol":
            found = check_protocol(args.file, args.key)
        else:
            found = check_bundle(args.file, args.key)
    except TrustError as err:
        return EXIT_FAILED, f"FAILED: {err}"
    return EXIT_OK, f"OK: {found}"


def main(argv: Sequence[str] | None = None) -> None:
    code, line = run(argv)
    print(line, file=sys.stdout if code == EXIT_OK else sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
