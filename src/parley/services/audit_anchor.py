"""Checkpoints held outside the database, and naming the first event a signed tree disagrees with.

Every signed checkpoint is also written to a folder outside the database
(``PARLEY_CHECKPOINT_EXPORT_DIR``); the mediator and the agencies keep their own copies. Whoever
rewrites the database, checkpoint rows included, cannot rewrite those copies, so ``verify``
checks the log against them and ``write_checkpoint`` refuses to sign a history that the newest
exported one contradicts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from parley.errors import N_, IntegrityError, InvalidInput, NotFound
from parley.services.keys import existing_public_key
from parley.services.workspace import Workspace
from parley.trust.errors import TrustError
from parley.trust.keys import VerifierKey
from parley.trust.merkle import HASH_SIZE, root_of
from parley.trust.note import Checkpoint, verify_checkpoint

LOG_ORIGIN = "parley.local/audit"
LOG_SIGNER = "HQ"  # the coordination staff signs every checkpoint; others co-sign
EXPORT_GLOB = "checkpoint-*.txt"


@dataclass(frozen=True, slots=True)
class Anchor:
    """A signed checkpoint read from a file: ``where`` names the file for messages."""

    where: str
    checkpoint: Checkpoint

    @property
    def size(self) -> int:
        return self.checkpoint.size


def export_dir(ws: Workspace) -> Path:
    return ws.settings.effective_checkpoint_export_dir


def parse_anchor(ws: Workspace, text: str, where: str) -> Anchor:
    """A checkpoint note signed by the staff key (co-signatures are not needed here); raises
    ``IntegrityError`` if the signature or the origin is wrong."""
    try:
        key = VerifierKey.of(LOG_SIGNER, existing_public_key(ws, LOG_SIGNER))
        checkpoint = verify_checkpoint(text, [key], LOG_ORIGIN, allow_unknown=True)
    except (TrustError, NotFound, InvalidInput) as err:
        raise IntegrityError(N_("checkpoint %(where)s: %(err)s"), where=where, err=err) from err
    return Anchor(where, checkpoint)


def read_anchor(ws: Workspace, path: Path) -> Anchor:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) else "not UTF-8 text"
        raise InvalidInput(
            N_("%(path)s: cannot read the checkpoint (%(reason)s)"),
            path=path, reason=reason,
        ) from err
    return parse_anchor(ws, text, str(path))


def exported_anchors(ws: Workspace) -> tuple[list[Anchor], list[str]]:
    """The exported checkpoints that verify, smallest first, and a line per file that does not."""
    folder = export_dir(ws)
    if not folder.is_dir():
        return [], []
    anchors: list[Anchor] = []
    problems: list[str] = []
    for path in sorted(folder.glob(EXPORT_GLOB)):
        try:
            anchors.append(read_anchor(ws, path))
        except (IntegrityError, InvalidInput) as err:
            problems.append(str(err))
    anchors.sort(key=lambda a: a.size)
    return anchors, problems


def newest_exported(ws: Workspace) -> Anchor | None:
    """The exported checkpoint of the largest size that verifies; files are named by zero-padded
    size, so only the newest few are read, not the whole folder."""
    folder = export_dir(ws)
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob(EXPORT_GLOB), reverse=True):
        try:
            return read_anchor(ws, path)
        except (IntegrityError, InvalidInput):
            continue  # a forged or damaged file anchors nothing; verify reports it
    return None


def export_checkpoint(ws: Workspace, size: int, root_hash: str, note: str) -> Path:
    """Write the note to the export folder (atomically; folder 0700). Named by size and root, so
    two different trees at one size never overwrite each other."""
    folder = export_dir(ws)
    path = folder / f"checkpoint-{size:012d}-{root_hash[:16]}.txt"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if path.exists() and path.read_text(encoding="utf-8") == note:
            return path
        partial = path.with_suffix(".part")
        with partial.open("w", encoding="utf-8") as handle:
            handle.write(note)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as err:
        raise InvalidInput(
            N_("checkpoint at size %(size)s is signed, but cannot be exported to %(folder)s "
               "(%(strerror)s): check PARLEY_CHECKPOINT_EXPORT_DIR"),
            size=size, folder=folder, strerror=err.strerror,
        ) from err
    return path


def first_bad_event(stored: bytes | None, recomputed: bytes, size: int, root: bytes) -> int | None:
    """The first event (1-based) whose recomputed leaf differs from the signed tree's, found with
    the stored leaf hashes, or None when they cannot be trusted (they do not reproduce the signed
    root, or are not all there) or nothing differs."""
    if stored is None or len(stored) != size * HASH_SIZE:
        return None
    if root_of(stored[i : i + HASH_SIZE] for i in range(0, len(stored), HASH_SIZE)) != root:
        return None
    mine = recomputed[: size * HASH_SIZE]
    if mine == stored:
        return None
    lo, hi = 0, min(len(mine), len(stored)) // HASH_SIZE  # bisect on prefix equality
    while lo < hi:
        mid = (lo + hi) // 2
        if mine[: (mid + 1) * HASH_SIZE] == stored[: (mid + 1) * HASH_SIZE]:
            lo = mid + 1
        else:
            hi = mid
    return lo + 1
