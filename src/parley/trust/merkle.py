"""The RFC 9162 (Certificate Transparency v2) Merkle tree: hashes, inclusion and consistency proofs.

Written here rather than taken from PyPI because the only package on offer is GPL and unreviewed,
and because a mediator must be able to read the few lines that decide whether a proof holds.

Hashing (RFC 9162 §2.1.1): ``MTH({}) = SHA-256()``, a leaf is ``SHA-256(0x00 || d)``, an inner node
``SHA-256(0x01 || left || right)``, and a tree of ``n`` leaves splits at the largest power of two
smaller than ``n``. Two structures compute it without recursion over a million leaves:

- ``CompactRange`` streams leaf hashes and keeps only the roots of the perfect subtrees (one per
  set bit of the size), so a verifier computes roots at many sizes in one pass and O(log n) memory;
- ``MerkleTree`` keeps every level of perfect-subtree hashes (about 2n hashes), so inclusion and
  consistency proofs for any sizes come out in O(log n) lookups each.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from parley.trust.errors import N_, Phrase, TrustError

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """RFC 9162 leaf hash: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 interior node hash: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class CompactRange:
    """The roots of the perfect subtrees covering leaves [0, size): enough to extend and to root."""

    __slots__ = ("_stack", "size")

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[bytes] = []

    def append(self, hash_of_leaf: bytes) -> None:
        """Add one leaf hash, merging equal-height subtrees as a binary counter carries."""
        node = hash_of_leaf
        size = self.size
        stack = self._stack
        while size & 1:
            node = node_hash(stack.pop(), node)
            size >>= 1
        stack.append(node)
        self.size += 1

    @classmethod
    def from_frontier(cls, size: int, frontier: Sequence[bytes]) -> CompactRange:
        """The range of ``size`` leaves from its perfect-subtree roots, largest first (one per
        set bit of ``size``); a frontier that folds to a signed root is that signed tree."""
        if size < 0 or len(frontier) != bin(size).count("1"):
            raise TrustError(N_("a frontier of size %(size)s has %(expected)s hashes, not "
                                "%(len_frontier)s"),
                             size=size, expected=bin(max(size, 0)).count('1'),
                             len_frontier=len(frontier))
        _check_hashes(frontier, Phrase(N_("frontier")))
        compact = cls()
        compact.size = size
        compact._stack = list(frontier)
        return compact

    @property
    def frontier(self) -> list[bytes]:
        """The perfect-subtree roots, largest (leftmost) first."""
        return list(self._stack)

    def root(self) -> bytes:
        """The tree head of the leaves so far (right-to-left fold of the subtree roots)."""
        if not self._stack:
            return EMPTY_ROOT
        node = self._stack[-1]
        for left in reversed(self._stack[:-1]):
            node = node_hash(left, node)
        return node


def root_of(leaf_hashes: Iterable[bytes]) -> bytes:
    """The tree head of a sequence of leaf hashes, streaming."""
    compact = CompactRange()
    for item in leaf_hashes:
        compact.append(item)
    return compact.root()


class MerkleTree:
    """A tree with all levels kept: ``levels[h][k]`` is the hash of leaves [k*2^h, (k+1)*2^h)."""

    def __init__(self, leaf_hashes: Sequence[bytes] = ()) -> None:
        self.levels: list[list[bytes]] = [list(leaf_hashes)]
        self._rebuild_from(0)

    @classmethod
    def from_leaves(cls, leaves: Iterable[bytes]) -> MerkleTree:
        return cls([leaf_hash(d) for d in leaves])

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def append(self, hash_of_leaf: bytes) -> None:
        """Add one leaf hash; completes at most log2(n) perfect subtrees."""
        self.levels[0].append(hash_of_leaf)
        index = len(self.levels[0]) - 1
        height = 0
        while index & 1:
            below = self.levels[height]
            if len(self.levels) == height + 1:
                self.levels.append([])
            self.levels[height + 1].append(node_hash(below[index - 1], below[index]))
            index >>= 1
            height += 1

    def _rebuild_from(self, height: int) -> None:
        level = self.levels[height]
        while len(level) >= 2:
            pairs = len(level) // 2
            upper = [node_hash(level[2 * i], level[2 * i + 1]) for i in range(pairs)]
            self.levels.append(upper)
            level = upper

    def subtree_hash(self, start: int, end: int) -> bytes:
        """MTH of leaves [start, end); ``start`` must begin an RFC 9162 subtree of some tree."""
        count = end - start
        if count <= 0:
            return EMPTY_ROOT
        if count & (count - 1) == 0 and start % count == 0:
            height = count.bit_length() - 1
            return self.levels[height][start >> height]
        k = _split(count)
        return node_hash(self.subtree_hash(start, start + k), self.subtree_hash(start + k, end))

    def frontier(self, size: int | None = None) -> list[bytes]:
        """The perfect-subtree roots of the first ``size`` leaves, largest first, as
        ``CompactRange.frontier`` holds them."""
        n = self.size if size is None else size
        if not 0 <= n <= self.size:
            raise TrustError(N_("tree has %(size)s leaves, not %(n)s"), size=self.size, n=n)
        out, start = [], 0
        for height in range(n.bit_length() - 1, -1, -1):
            if n >> height & 1:
                out.append(self.levels[height][start >> height])
                start += 1 << height
        return out

    def root(self, size: int | None = None) -> bytes:
        """The tree head at ``size`` leaves (default: all of them)."""
        n = self.size if size is None else size
        if not 0 <= n <= self.size:
            raise TrustError(N_("tree has %(size)s leaves, not %(n)s"), size=self.size, n=n)
        return self.subtree_hash(0, n)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 §2.1.3.1 PATH(index, D[size]), leaf-most sibling first."""
        n = self.size if size is None else size
        if not 0 <= index < n <= self.size:
            raise TrustError(N_("no leaf %(index)s in a tree of %(n)s leaves"), index=index, n=n)
        path: list[bytes] = []
        start, end, m = 0, n, index
        while end - start > 1:
            k = _split(end - start)
            if m < k:
                path.append(self.subtree_hash(start + k, end))
                end = start + k
            else:
                path.append(self.subtree_hash(start, start + k))
                start += k
                m -= k
        path.reverse()
        return path

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """RFC 9162 §2.1.4.1 PROOF(old_size, D[new_size])."""
        n = self.size if new_size is None else new_size
        if not 0 <= old_size <= n <= self.size:
            raise TrustError(N_("no consistency proof from size %(old_size)s to size %(n)s"),
                             old_size=old_size, n=n)
        if old_size in (0, n):
            return []
        path: list[bytes] = []
        start, end, m, complete = 0, n, old_size, True
        while m != end - start:
            k = _split(end - start)
            if m <= k:
                path.append(self.subtree_hash(start + k, end))
                end = start + k
            else:
                path.append(self.subtree_hash(start, start + k))
                start += k
                m -= k
                complete = False
        if not complete:
            path.append(self.subtree_hash(start, end))
        path.reverse()
        return path


def _check_hashes(items: Sequence[bytes], what: Phrase) -> None:
    for position, item in enumerate(items):
        if len(item) != HASH_SIZE:
            raise TrustError(N_("%(what)s entry %(position)s is %(len_item)s bytes, not "
                                "%(expected)s"),
                             what=what, position=position, len_item=len(item),
                             expected=HASH_SIZE)


def verify_inclusion(
    hash_of_leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> None:
    """RFC 9162 §2.1.3.2; raises ``TrustError`` saying why the proof fails, returns if it holds."""
    _check_hashes([hash_of_leaf, root], Phrase(N_("hash")))
    _check_hashes(path, Phrase(N_("inclusion path")))
    if index < 0 or index >= size:
        raise TrustError(N_("leaf index %(index)s is outside a tree of size %(size)s"),
                         index=index, size=size)
    fn, sn = index, size - 1
    node = hash_of_leaf
    for sibling in path:
        if sn == 0:
            raise TrustError(N_("inclusion path is too long for leaf %(index)s at size %(size)s"),
                             index=index, size=size)
        if fn & 1 or fn == sn:
            node = node_hash(sibling, node)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            node = node_hash(node, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise TrustError(N_("inclusion path is too short for leaf %(index)s at size %(size)s"),
                         index=index, size=size)
    if node != root:
        raise TrustError(N_("root hash mismatch at size %(size)s: leaf %(index)s is not included"),
                         size=size, index=index)


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, path: Sequence[bytes]
) -> None:
    """RFC 9162 §2.1.4.2; raises ``TrustError`` unless the old tree is a prefix of the new one."""
    _check_hashes([old_root, new_root], Phrase(N_("root")))
    _check_hashes(path, Phrase(N_("consistency path")))
    if old_size < 0 or old_size > new_size:
        raise TrustError(N_("old size %(old_size)s is larger than new size %(new_size)s"),
                         old_size=old_size, new_size=new_size)
    if old_size == new_size:
        if path:
            raise TrustError(N_("a proof between equal sizes must be empty"))
        if old_root != new_root:
            raise TrustError(N_("root hash mismatch at size %(new_size)s: the two trees differ"),
                             new_size=new_size)
        return
    if old_size == 0:
        if path:
            raise TrustError(N_("a proof from the empty tree must be empty"))
        return
    if not path:
        raise TrustError(N_("empty consistency proof from size %(old_size)s to %(new_size)s"),
                         old_size=old_size, new_size=new_size)
    items = list(path)
    if old_size & (old_size - 1) == 0:
        items.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = items[0]
    for item in items[1:]:
        if sn == 0:
            raise TrustError(N_("consistency proof from %(old_size)s to %(new_size)s is too long"),
                             old_size=old_size, new_size=new_size)
        if fn & 1 or fn == sn:
            fr = node_hash(item, fr)
            sr = node_hash(item, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, item)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise TrustError(N_("consistency proof from %(old_size)s to %(new_size)s is too short"),
                         old_size=old_size, new_size=new_size)
    if fr != old_root:
        raise TrustError(N_("root hash mismatch at size %(old_size)s: the old tree is not a "
                            "prefix"), old_size=old_size)
    if sr != new_root:
        raise TrustError(N_("root hash mismatch at size %(new_size)s: the new tree does not "
                            "extend it"), new_size=new_size)
