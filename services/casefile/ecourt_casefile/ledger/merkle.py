"""RFC 6962 / RFC 9162 Merkle tree: roots, inclusion and consistency proofs, and their verifiers.

Everything here works on leaf hashes (see :mod:`hashing`) and is pure: no database, no files. The verifiers
(:func:`verify_inclusion`, :func:`verify_consistency`) are the algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2, so
an auditor can re-implement them from the RFC alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from ecourt_casefile.ledger.hashing import EMPTY_ROOT, node_hash


class ProofError(ValueError):
    """A proof that does not prove what it claims."""


def _largest_power_of_two_below(n: int) -> int:
    return 1 << ((n - 1).bit_length() - 1)


def root_of(leaves: Sequence[bytes], lo: int = 0, hi: int | None = None) -> bytes:
    """MTH(leaves[lo:hi]): level by level, an odd last node moves up unchanged (same tree as RFC 6962's)."""
    hi = len(leaves) if hi is None else hi
    if hi <= lo:
        return EMPTY_ROOT
    level = list(leaves[lo:hi])
    sha = hashlib.sha256
    while len(level) > 1:
        paired = [sha(b"\x01" + a + b).digest() for a, b in zip(level[0::2], level[1::2], strict=False)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


class TreeBuilder:
    """Appends leaves one at a time and gives the root of the tree so far (O(log n) memory)."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (height, hash) of the complete subtrees, left to right

    def append(self, leaf: bytes) -> None:
        height, digest = 0, leaf
        stack = self._stack
        while stack and stack[-1][0] == height:
            _, left = stack.pop()
            digest = node_hash(left, digest)
            height += 1
        stack.append((height, digest))
        self.size += 1

    @classmethod
    def resume(cls, size: int, frontier: Sequence[tuple[int, bytes]]) -> TreeBuilder:
        builder = cls()
        builder.size = size
        builder._stack = list(frontier)
        return builder

    def frontier(self) -> list[tuple[int, bytes]]:
        return list(self._stack)

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        digest = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            digest = node_hash(left, digest)
        return digest


def inclusion_path(leaves: Sequence[bytes], index: int, size: int) -> list[bytes]:
    """PATH(index, leaves[0:size]) of RFC 9162 §2.1.3.1."""
    if not 0 <= index < size <= len(leaves):
        raise ValueError(f"no leaf {index} in a tree of {size}")
    path: list[bytes] = []
    lo, hi, m = 0, size, index
    while hi - lo > 1:
        k = _largest_power_of_two_below(hi - lo)
        if m < k:
            path.append(root_of(leaves, lo + k, hi))
            hi = lo + k
        else:
            path.append(root_of(leaves, lo, lo + k))
            lo, m = lo + k, m - k
    path.reverse()
    return path


def consistency_path(leaves: Sequence[bytes], old_size: int, new_size: int) -> list[bytes]:
    """PROOF(old_size, leaves[0:new_size]) of RFC 9162 §2.1.4.1 (empty when the sizes are equal)."""
    if not 0 < old_size <= new_size <= len(leaves):
        raise ValueError(f"no consistency proof from {old_size} to {new_size}")
    path: list[bytes] = []
    lo, hi, m, complete = 0, new_size, old_size, True
    while m != hi - lo:
        k = _largest_power_of_two_below(hi - lo)
        if m <= k:
            path.append(root_of(leaves, lo + k, hi))
            hi = lo + k
        else:
            path.append(root_of(leaves, lo, lo + k))
            lo, m, complete = lo + k, m - k, False
    if not complete:
        path.append(root_of(leaves, lo, hi))
    path.reverse()
    return path


def verify_inclusion(leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes) -> None:
    """Raise :class:`ProofError` unless ``path`` proves ``leaf`` is leaf ``index`` of the tree (``size``, ``root``)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of {size}")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise ProofError("the inclusion path is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the inclusion path is too short")
    if r != root:
        raise ProofError("the inclusion path does not lead to the checkpoint's root")


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       path: Sequence[bytes]) -> None:
    """Raise :class:`ProofError` unless ``path`` proves the tree (old) is a prefix of the tree (new)."""
    if not 0 < old_size <= new_size:
        raise ProofError(f"no consistency between sizes {old_size} and {new_size}")
    if old_size == new_size:
        if path or old_root != new_root:
            raise ProofError("two checkpoints of the same size must have the same root and an empty proof")
        return
    proof = list(path)
    if old_size & (old_size - 1) == 0:
        proof.insert(0, old_root)
    if not proof:
        raise ProofError("the consistency proof is empty")
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            raise ProofError("the consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the consistency proof is too short")
    if fr != old_root:
        raise ProofError("the consistency proof does not rebuild the older checkpoint's root")
    if sr != new_root:
        raise ProofError("the consistency proof does not rebuild the newer checkpoint's root")
