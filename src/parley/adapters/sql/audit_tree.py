"""The audit log's Merkle tree as stored at each signed checkpoint: leaf hashes in tiles and the
frontier (the perfect-subtree roots) per checkpoint size.

Neither is trusted on its own: whoever can write the database can write these too. They are
useful because a signature pins them: tiles whose tree reproduces a signed root are the signed
leaves (so ``verify`` can compare them with the recomputed leaves and name the first bad event),
and a frontier that folds to a signed root lets the next checkpoint extend that tree without
re-hashing the whole log.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, LargeBinary, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from parley.adapters.sql.base import Base

ID = BigInteger().with_variant(Integer(), "sqlite")
TILE_LEAVES = 1024  # leaf hashes per tile: 32 KiB a row
HASH_SIZE = 32


class AuditLeafTile(Base):
    """Leaf hashes ``tile * TILE_LEAVES`` onwards, 32 bytes each (a partial tile grows)."""

    __tablename__ = "audit_leaf_tiles"

    tile: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=False)
    leaves: Mapped[int] = mapped_column(Integer)
    hashes: Mapped[bytes] = mapped_column(LargeBinary)


class AuditFrontier(Base):
    """The roots of the perfect subtrees of the tree of ``size`` leaves, left to right."""

    __tablename__ = "audit_frontiers"

    size: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=False)
    hashes: Mapped[bytes] = mapped_column(LargeBinary)


class AuditTreeRepository:
    """Reads and extends the stored leaf hashes and frontiers in the caller's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def stored_leaves(self) -> int:
        last = self.session.scalars(
            select(AuditLeafTile).order_by(AuditLeafTile.tile.desc()).limit(1)
        ).first()
        return 0 if last is None else last.tile * TILE_LEAVES + last.leaves

    def leaf_hashes(self, size: int) -> bytes | None:
        """The stored hashes of leaves [0, size), or None if fewer are stored or a tile is
        missing or malformed."""
        want = (size + TILE_LEAVES - 1) // TILE_LEAVES
        rows = self.session.scalars(
            select(AuditLeafTile).where(AuditLeafTile.tile < want).order_by(AuditLeafTile.tile)
        )
        out = bytearray()
        for expected, row in enumerate(rows):
            if row.tile != expected or len(row.hashes) != row.leaves * HASH_SIZE:
                return None
            out += row.hashes
        if len(out) < size * HASH_SIZE:
            return None
        return bytes(out[: size * HASH_SIZE])

    def append_leaves(self, start: int, hashes: bytes) -> None:
        """Store the hashes of leaves ``start`` onwards (``start`` must be ``stored_leaves()``)."""
        position = 0
        index = start
        while position < len(hashes):
            tile, offset = divmod(index, TILE_LEAVES)
            take = min(TILE_LEAVES - offset, (len(hashes) - position) // HASH_SIZE)
            piece = hashes[position : position + take * HASH_SIZE]
            row = self.session.get(AuditLeafTile, tile)
            if row is None:
                self.session.add(AuditLeafTile(tile=tile, leaves=take, hashes=piece))
            else:
                row.hashes = bytes(row.hashes[: offset * HASH_SIZE]) + piece
                row.leaves = offset + take
            position += take * HASH_SIZE
            index += take
        self.session.flush()

    def frontier(self, size: int) -> list[bytes] | None:
        row = self.session.get(AuditFrontier, size)
        if row is None or len(row.hashes) % HASH_SIZE:
            return None
        return [row.hashes[i : i + HASH_SIZE] for i in range(0, len(row.hashes), HASH_SIZE)]

    def save_frontier(self, size: int, hashes: list[bytes]) -> None:
        row = self.session.get(AuditFrontier, size)
        if row is None:
            self.session.add(AuditFrontier(size=size, hashes=b"".join(hashes)))
        else:
            row.hashes = b"".join(hashes)
        self.session.flush()
