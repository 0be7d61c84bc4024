"""A thousand random mutations of a signed bundle, and of a signed checkpoint, all rejected by
``parley-verify`` (its in-process entry, for speed; a few real subprocess runs at the end)."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from parley.trust.bundle import build_bundle
from parley.trust.keys import generate_private_key, verifier_key_text
from parley.trust.merkle import MerkleTree
from parley.trust.note import Checkpoint, sign_checkpoint
from parley.verify import EXIT_FAILED, EXIT_OK, run

MUTATIONS = 1000


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One random change: flip a bit, replace/insert/delete a byte, truncate, duplicate or swap
    a slice. Never returns the input unchanged."""
    while True:
        kind = rng.randrange(7)
        pos = rng.randrange(len(data))
        if kind == 0:
            out = data[:pos] + bytes([data[pos] ^ (1 << rng.randrange(8))]) + data[pos + 1:]
        elif kind == 1:
            out = data[:pos] + bytes([rng.randrange(256)]) + data[pos + 1:]
        elif kind == 2:
            out = data[:pos] + bytes([rng.choice(b"\n +=/Aa0{}\",")]) + data[pos:]
        elif kind == 3:
            out = data[:pos] + data[pos + 1:]
        elif kind == 4:
            out = data[:pos]
        elif kind == 5:
            end = min(len(data), pos + rng.randrange(1, 40))
            out = data[:end] + data[pos:end] + data[end:]
        else:
            other = rng.randrange(len(data))
            a, b = sorted((pos, other))
            out = data[:a] + data[b:b + 1] + data[a + 1:b] + data[a:a + 1] + data[b + 1:]
        if out != data:
            return out


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("signed")
    keys = {code: generate_private_key() for code in ("HQ", "MED", "MOD", "SSU")}
    for code, key in keys.items():
        (folder / f"{code}.pub").write_text(verifier_key_text(code, key.public_key()) + "\n")
    tree = MerkleTree.from_leaves([f"e{i}".encode() for i in range(77)])
    note = sign_checkpoint(Checkpoint("parley.local/audit", 77, tree.root()),
                           [("HQ", keys["HQ"]), ("MED", keys["MED"])])
    (folder / "checkpoint.txt").write_text(note, encoding="utf-8")
    manifest = {"list": "to-hand-over", "version": 2, "counts": {"military": 2},
                "checkpoint": note}
    csv = "record_id,family_name,given_name,birth_date\nr1,Шевченко,Іван,1990-05\nr2,Bondar,Oleh,\n"
    bundle = build_bundle(manifest, csv, [("MOD", keys["MOD"]), ("SSU", keys["SSU"])])
    (folder / "list.bundle").write_bytes(bundle)
    return {"dir": folder, "checkpoint": folder / "checkpoint.txt",
            "bundle": folder / "list.bundle"}


def _keys(folder: Path, *codes: str) -> list[str]:
    return [arg for code in codes for arg in ("--key", str(folder / f"{code}.pub"))]


def _all_rejected(kind: str, original: Path, codes: tuple[str, ...], seed: int) -> int:
    folder = original.parent
    data = original.read_bytes()
    target = folder / f"mutated-{kind}"
    rng = random.Random(seed)
    accepted = []
    for number in range(MUTATIONS):
        target.write_bytes(mutate(data, rng))
        code, line = run([kind, str(target), *_keys(folder, *codes)])
        if code != EXIT_FAILED or not line.startswith("FAILED: "):
            accepted.append((number, line))
    assert accepted == []
    return MUTATIONS


def test_original_bundle_and_checkpoint_verify(signed: dict[str, Path]) -> None:
    folder = signed["dir"]
    code, line = run(["bundle", str(signed["bundle"]), *_keys(folder, "MOD", "SSU")])
    assert (code, line.split(" (")[0]) == (EXIT_OK, "OK: bundle of list to-hand-over version 2")
    # parley-verify's lines stay English and as they were (the web page translates them)
    assert re.fullmatch(r"OK: bundle of list to-hand-over version 2 \(\d+ rows\) signed by "
                        r"MOD, SSU", line), line
    code, line = run(["checkpoint", str(signed["checkpoint"]), *_keys(folder, "HQ", "MED")])
    assert code == EXIT_OK and "size 77" in line
    assert re.fullmatch(r"OK: checkpoint of .+ at size 77, root [0-9a-f]{64}, signed by HQ, MED",
                        line), line


def test_a_thousand_bundle_mutations_are_rejected(signed: dict[str, Path]) -> None:
    assert _all_rejected("bundle", signed["bundle"], ("MOD", "SSU"), seed=20261127) == 1000


def test_a_thousand_checkpoint_mutations_are_rejected(signed: dict[str, Path]) -> None:
    assert _all_rejected("checkpoint", signed["checkpoint"], ("HQ", "MED"), seed=1127) == 1000


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "parley.verify", *args], capture_output=True,
                          text=True, timeout=60, check=False)


def test_subprocess_runs_report_one_line(signed: dict[str, Path]) -> None:
    folder = signed["dir"]
    ok = _cli("bundle", str(signed["bundle"]), *_keys(folder, "MOD", "SSU"))
    assert ok.returncode == 0 and ok.stdout.startswith("OK: bundle of list to-hand-over")
    data = bytearray(signed["bundle"].read_bytes())
    data[len(data) // 2] ^= 0x04
    bad = folder / "bad.bundle"
    bad.write_bytes(bytes(data))
    failed = _cli("bundle", str(bad), *_keys(folder, "MOD", "SSU"))
    assert failed.returncode == 1
    assert len(failed.stderr.strip().splitlines()) == 1
    assert failed.stderr.startswith("FAILED: ")
    wrong_key = _cli("checkpoint", str(signed["checkpoint"]), *_keys(folder, "HQ", "MOD"))
    assert wrong_key.returncode == 1
    assert "signature by MED: no public key given for MED" in wrong_key.stderr
    usage = _cli("checkpoint", str(signed["checkpoint"]))
    assert usage.returncode == 2  # argparse: --key is required
