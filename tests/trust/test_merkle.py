"""The tree against a naive recursive RFC 9162 MTH, and proofs for every small (m, n)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.trust.errors import TrustError
from parley.trust.merkle import (
    EMPTY_ROOT,
    CompactRange,
    MerkleTree,
    leaf_hash,
    node_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)


def naive_mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 §2.1.1, literally."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + naive_mth(leaves[:k]) + naive_mth(leaves[k:])).digest()


def _leaves(n: int) -> list[bytes]:
    return [f"event-{i}".encode() for i in range(n)]


MAX = 33
TREE = MerkleTree.from_leaves(_leaves(MAX))


def test_known_hashes() -> None:
    assert EMPTY_ROOT.hex() == hashlib.sha256(b"").hexdigest()
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    expected = hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    assert node_hash(b"a" * 32, b"b" * 32) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=140))
def test_roots_agree_with_the_naive_definition(leaves: list[bytes]) -> None:
    expected = naive_mth(leaves)
    hashes = [leaf_hash(d) for d in leaves]
    tree = MerkleTree(hashes)
    assert tree.root() == expected
    assert root_of(hashes) == expected
    grown = MerkleTree()
    compact = CompactRange()
    for item in hashes:
        grown.append(item)
        compact.append(item)
    assert grown.root() == expected
    assert compact.root() == expected
    for size in range(len(leaves) + 1):
        assert tree.root(size) == naive_mth(leaves[:size])


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=300).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(0, n - 1), st.integers(0, n))))
def test_random_proofs_verify(case: tuple[int, int, int]) -> None:
    n, index, old = case
    leaves = _leaves(n)
    tree = MerkleTree.from_leaves(leaves)
    verify_inclusion(leaf_hash(leaves[index]), index, n, tree.inclusion_proof(index), tree.root())
    verify_consistency(old, n, naive_mth(leaves[:old]), tree.root(),
                       tree.consistency_proof(old, n))


def test_every_inclusion_proof_up_to_33_leaves() -> None:
    leaves = _leaves(MAX)
    checked = 0
    for n in range(1, MAX + 1):
        root = naive_mth(leaves[:n])
        for m in range(n):
            path = TREE.inclusion_proof(m, n)
            assert len(path) <= (n - 1).bit_length()
            verify_inclusion(leaf_hash(leaves[m]), m, n, path, root)
            checked += 1
    assert checked == MAX * (MAX + 1) // 2


def test_every_consistency_proof_up_to_33_leaves() -> None:
    leaves = _leaves(MAX)
    for n in range(0, MAX + 1):
        for m in range(0, n + 1):
            path = TREE.consistency_proof(m, n)
            verify_consistency(m, n, naive_mth(leaves[:m]), naive_mth(leaves[:n]), path)


def _flip(item: bytes, position: int = 0) -> bytes:
    return item[:position] + bytes([item[position] ^ 1]) + item[position + 1 :]


def test_invalid_inclusion_proofs_fail() -> None:
    leaves = _leaves(MAX)
    for n in range(2, MAX):  # n + 1 leaves must exist for the wrong-size case
        root = naive_mth(leaves[:n])
        for m in range(n):
            good = TREE.inclusion_proof(m, n)
            leaf = leaf_hash(leaves[m])
            bad_cases: list[tuple[bytes, int, int, list[bytes], bytes]] = [
                # wrong size: a checkpoint binds size and root, so each comes with its own root
                (leaf, m, n + 1, good, naive_mth(leaves[: n + 1])),
                (leaf, m, n - 1, good, naive_mth(leaves[: n - 1])),
                (leaf, (m + 1) % n, n, good, root),  # wrong index
                (leaf, m, n, good[:-1], root),  # truncated
                (leaf, m, n, [*good, good[0] if good else leaf], root),  # extended
                (_flip(leaf), m, n, good, root),  # wrong leaf
                (leaf, m, n, good, _flip(root, 31)),  # wrong root
                (leaf, n, n, good, root),  # index out of range
            ]
            bad_cases += [(leaf, m, n, [*good[:i], _flip(good[i], i), *good[i + 1:]], root)
                          for i in range(len(good))]  # flipped bytes
            for args in bad_cases:
                with pytest.raises(TrustError):
                    verify_inclusion(*args)


def test_invalid_consistency_proofs_fail() -> None:
    leaves = _leaves(MAX)
    for n in range(2, MAX):
        new_root = naive_mth(leaves[:n])
        for m in range(1, n):
            good = TREE.consistency_proof(m, n)
            old_root = naive_mth(leaves[:m])
            bad_cases = [
                # wrong sizes, each with the root a checkpoint of that size would carry
                (m, n + 1, old_root, naive_mth(leaves[: n + 1]), good),
                (m + 1, n, naive_mth(leaves[: m + 1]), new_root, good),
                (m, n, old_root, new_root, good[:-1]),  # truncated
                (m, n, old_root, new_root, [*good, good[0]]),  # extended
                (m, n, _flip(old_root), new_root, good),  # other old tree
                (m, n, old_root, _flip(new_root), good),  # other new tree
                (n, m, new_root, old_root, good),  # reversed
            ]
            bad_cases += [(m, n, old_root, new_root,
                           [*good[:i], _flip(good[i], 5), *good[i + 1:]])
                          for i in range(len(good))]
            for case in bad_cases:
                with pytest.raises(TrustError):
                    verify_consistency(*case)


def test_consistency_proof_fails_when_history_is_rewritten() -> None:
    leaves = _leaves(20)
    old_root = naive_mth(leaves[:12])
    rewritten = [*leaves[:5], b"forged", *leaves[6:]]
    tree = MerkleTree.from_leaves(rewritten)
    with pytest.raises(TrustError, match="root hash mismatch at size 12"):
        verify_consistency(12, 20, old_root, tree.root(), tree.consistency_proof(12))


def test_equal_and_empty_sizes() -> None:
    root = naive_mth(_leaves(5))
    verify_consistency(5, 5, root, root, [])
    verify_consistency(0, 5, EMPTY_ROOT, root, [])
    with pytest.raises(TrustError):
        verify_consistency(5, 5, root, _flip(root), [])
    with pytest.raises(TrustError):
        verify_consistency(5, 5, root, root, [root])
    with pytest.raises(TrustError):
        verify_inclusion(leaf_hash(b"x"), 0, 0, [], EMPTY_ROOT)
    with pytest.raises(TrustError):
        TREE.inclusion_proof(MAX)
    with pytest.raises(TrustError):
        TREE.consistency_proof(4, MAX + 1)


def test_proof_sizes_are_logarithmic() -> None:
    tree = MerkleTree.from_leaves(_leaves(1000))
    assert len(tree.inclusion_proof(0)) == 10
    assert max(len(tree.inclusion_proof(i)) for i in range(1000)) == 10
    assert max(len(tree.consistency_proof(m)) for m in range(1, 1000)) <= 2 * 10


@pytest.mark.parametrize("size", [0, 1, 2, 3, 7, 8, 13, 64, 100])
def test_frontier_restores_the_range_and_extends_it(size: int) -> None:
    from parley.trust.merkle import CompactRange

    hashes = [leaf_hash(f"leaf {n}".encode()) for n in range(size + 5)]
    tree = MerkleTree(hashes[:size])
    compact = CompactRange()
    for item in hashes[:size]:
        compact.append(item)
    assert tree.frontier() == compact.frontier
    restored = CompactRange.from_frontier(size, tree.frontier())
    assert restored.root() == tree.root()
    for item in hashes[size:]:
        restored.append(item)
    assert restored.root() == MerkleTree(hashes).root()
    with pytest.raises(TrustError):
        CompactRange.from_frontier(size, [*tree.frontier(), hashes[0]])
