"""The ledger's pure core: entry encoding, RFC 6962 tree hashing, inclusion and consistency proofs."""

import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest

from ecourt_casefile.ledger.hashing import (
    EMPTY_ROOT,
    GENESIS,
    canonical_json,
    entry_encoding,
    entry_hash,
    format_time,
    leaf_hash,
    node_hash,
)
from ecourt_casefile.ledger.merkle import (
    ProofError,
    TreeBuilder,
    consistency_path,
    inclusion_path,
    root_of,
    verify_consistency,
    verify_inclusion,
)

pytestmark = pytest.mark.unit


def reference_mth(leaves):
    """RFC 6962 §2.1 written literally, recursively: the reference the fast code is held against."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(reference_mth(leaves[:k]), reference_mth(leaves[k:]))


LEAVES = [leaf_hash(hashlib.sha256(str(i).encode()).digest()) for i in range(70)]


def test_tree_root_equals_the_rfc_6962_definition_for_every_size_up_to_70():
    builder = TreeBuilder()
    assert builder.root() == EMPTY_ROOT == reference_mth([])
    for n in range(1, 71):
        builder.append(LEAVES[n - 1])
        assert root_of(LEAVES[:n]) == reference_mth(LEAVES[:n]) == builder.root(), n


def test_a_builder_resumed_from_its_frontier_continues_to_the_same_root():
    first = TreeBuilder()
    for leaf in LEAVES[:37]:
        first.append(leaf)
    resumed = TreeBuilder.resume(first.size, first.frontier())
    for leaf in LEAVES[37:]:
        resumed.append(leaf)
    assert resumed.root() == root_of(LEAVES)


def test_every_inclusion_proof_verifies_and_a_changed_one_never_does():
    for size in range(1, 34):
        root = root_of(LEAVES[:size])
        for index in range(size):
            path = inclusion_path(LEAVES, index, size)
            assert len(path) <= size.bit_length()
            verify_inclusion(LEAVES[index], index, size, path, root)
            with pytest.raises(ProofError):
                verify_inclusion(LEAVES[index + 1], index, size, path, root)  # another leaf
            if path:
                forged = [path[0][:-1] + bytes([path[0][-1] ^ 1]), *path[1:]]
                with pytest.raises(ProofError):
                    verify_inclusion(LEAVES[index], index, size, forged, root)
                with pytest.raises(ProofError):
                    verify_inclusion(LEAVES[index], index, size, path[:-1], root)  # truncated path
            if size > 1:
                with pytest.raises(ProofError):
                    verify_inclusion(LEAVES[index], (index + 1) % size, size, path, root)  # wrong position


def test_every_consistency_proof_verifies_and_a_rewritten_history_never_does():
    for new in range(1, 34):
        new_root = root_of(LEAVES[:new])
        for old in range(1, new + 1):
            old_root = root_of(LEAVES[:old])
            path = consistency_path(LEAVES, old, new)
            verify_consistency(old, new, old_root, new_root, path)
            rewritten = [LEAVES[0][::-1], *LEAVES[1:old]]  # the old tree with its first entry changed
            with pytest.raises(ProofError):
                verify_consistency(old, new, root_of(rewritten), new_root, path)
            if path:
                with pytest.raises(ProofError):
                    verify_consistency(old, new, old_root, new_root, path[:-1])


def test_canonical_json_is_the_same_text_whatever_the_key_order_and_keeps_vietnamese_as_utf8():
    a = canonical_json({"b": 1, "a": {"y": [1, 2], "x": "Nguyễn Văn A"}, "on": datetime(2026, 1, 15, tzinfo=UTC)})
    b = canonical_json({"on": datetime(2026, 1, 15, 7, tzinfo=timezone(timedelta(hours=7))),
                        "a": {"x": "Nguyễn Văn A", "y": [1, 2]}, "b": 1})
    assert a == b == '{"a":{"x":"Nguyễn Văn A","y":[1,2]},"b":1,"on":"2026-01-15T00:00:00.000000Z"}'
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})
    with pytest.raises(TypeError):
        canonical_json({"x": object()})


def test_every_field_of_an_entry_changes_its_hash_and_fields_cannot_slide_into_each_other():
    at = format_time(datetime(2026, 1, 15, 2, 30, tzinfo=UTC))
    base = ("79KV01", 5, "79KV01202600012365", 2, "case.assigned", at, GENESIS, '{"judge_id":"J-1"}')
    digest = entry_hash(*base)
    for position in range(len(base)):
        changed = list(base)
        value = changed[position]
        changed[position] = value + 1 if isinstance(value, int) else (
            bytes([1]) + value[1:] if isinstance(value, bytes) else value + "x")
        assert entry_hash(*changed) != digest, position
    # the length prefixes: "79KV01" + "1…" is not "79KV011" + "…"
    assert entry_encoding("AB", 0, "C", 1, "k", at, GENESIS, "{}") != entry_encoding("A", 0, "BC", 1, "k", at,
                                                                                       GENESIS, "{}")
    assert leaf_hash(digest) != digest and leaf_hash(digest) == hashlib.sha256(b"\x00" + digest).digest()
