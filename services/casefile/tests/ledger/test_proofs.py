"""A case's history proven to an outside auditor: round trips, and forged proofs rejected."""

import copy
import json
import os
import subprocess
import sys

import pytest

from ecourt_casefile.ledger.checkpoints import load_or_create_key, public_pem
from ecourt_casefile.ledger.merkle import ProofError
from ecourt_casefile.ledger.proofs import (
    ProofUnavailable,
    build_case_proof,
    build_consistency_proof,
    check_case_proof,
    check_consistency,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def two_checkpoints(book):
    book.append(cases=5, per_case=3)
    first = book.checkpoint()
    book.append(cases=5, per_case=4)
    second = book.checkpoint()
    assert (first.checkpoint.tree_size, second.checkpoint.tree_size) == (15, 35)
    return book


def test_a_case_proof_checks_with_the_public_key_alone_and_is_short(two_checkpoints):
    book = two_checkpoints
    proof = build_case_proof(book.uows, book.store, book.case(2), old_size=15)
    proven = check_case_proof(json.loads(json.dumps(proof)), book.key.public_key())
    assert (proven.case_id, proven.entries, proven.tree_size) == (book.case(2), 7, 35)
    assert len(proof["inclusion"]["path"]) <= 6  # log2(35) rounded up


@pytest.mark.parametrize("forgery", ["edited payload", "dropped entry", "reordered entries", "other path",
                                     "other root", "moved leaf", "other old root"])
def test_a_forged_case_proof_is_rejected(two_checkpoints, forgery):
    book = two_checkpoints
    proof = copy.deepcopy(build_case_proof(book.uows, book.store, book.case(1), old_size=15))
    entries = proof["entries"]
    if forgery == "edited payload":
        entries[2]["payload"] = entries[2]["payload"].replace("bước", "buoc")
    elif forgery == "dropped entry":
        del entries[3]
    elif forgery == "reordered entries":
        entries[1], entries[2] = entries[2], entries[1]
    elif forgery == "other path":
        proof["inclusion"]["path"][0] = "00" * 32
    elif forgery == "other root":
        proof["checkpoint"]["root"] = "11" * 32
    elif forgery == "moved leaf":
        proof["inclusion"]["leaf_index"] -= 1
    else:
        proof["consistency"]["old_checkpoint"]["root"] = "22" * 32
    with pytest.raises(ProofError):
        check_case_proof(proof, book.key.public_key())


def test_a_proof_signed_by_another_key_is_rejected(two_checkpoints, tmp_path):
    proof = build_case_proof(two_checkpoints.uows, two_checkpoints.store, two_checkpoints.case(0))
    with pytest.raises(ProofError, match="signature"):
        check_case_proof(proof, load_or_create_key(tmp_path / "k.pem").public_key())


def test_consistency_between_two_checkpoints_proves_the_log_only_grew(two_checkpoints):
    book = two_checkpoints
    proof = build_consistency_proof(book.store, book.court, 15, 35)
    check_consistency(proof, book.key.public_key())
    proof["path"][0] = "33" * 32
    with pytest.raises(ProofError):
        check_consistency(proof, book.key.public_key())


def test_a_case_not_yet_checkpointed_has_no_proof(book):
    book.append(cases=1, per_case=2)
    with pytest.raises(ProofUnavailable):
        build_case_proof(book.uows, book.store, book.case(0))


def test_ecourt_ledger_prove_then_check_proof_round_trip(two_checkpoints, ecourt_env, tmp_path):
    from cryptography.hazmat.primitives import serialization

    book = two_checkpoints
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(book.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption()))
    env = {**os.environ, **ecourt_env.env, "ECOURT_LEDGER_CHECKPOINT_DIR": str(book.store.root),
           "ECOURT_LEDGER_KEY_FILE": str(key_file)}
    ledger = [sys.executable, "-m", "ecourt_cli", "ledger"]
    proved = subprocess.run([*ledger, "prove", "--case", book.case(3)], env=env, capture_output=True, text=True,
                            timeout=120)
    assert proved.returncode == 0, proved.stderr
    (tmp_path / "proof.json").write_text(proved.stdout)
    public = subprocess.run([*ledger, "public-key"], env=env, capture_output=True, timeout=120).stdout
    assert public == public_pem(book.key.public_key())
    (tmp_path / "pub.pem").write_bytes(public)
    check = [*ledger, "check-proof", str(tmp_path / "proof.json"), "--public-key", str(tmp_path / "pub.pem")]
    ok = subprocess.run(check, env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and "PROOF OK" in ok.stdout, ok.stdout + ok.stderr
    forged = json.loads(proved.stdout)
    forged["entries"][0]["kind"] = "test.forged"
    (tmp_path / "proof.json").write_text(json.dumps(forged))
    bad = subprocess.run(check, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "REJECTED" in bad.stdout and "entry 1" in bad.stdout
