"""Tampering with ledger rows directly in PostgreSQL is caught every time, and the first bad entry is named.

Each test builds a court ledger of 4 cases x 6 entries (24 entries, interleaved), signs a checkpoint, tampers as
a database superuser would (triggers off), and runs the court-wide and the case verification.
"""

import hashlib
import os
import subprocess
import sys

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ecourt_casefile.ledger.checkpointing import LedgerDamaged
from ecourt_casefile.ledger.hashing import entry_hash, format_time
from ecourt_casefile.ledger.verifying import verify_case, verify_court

pytestmark = pytest.mark.integration


@pytest.fixture
def signed(book):
    book.append(cases=4, per_case=6)
    record = book.checkpoint()
    assert record is not None and record.checkpoint.tree_size == 24
    return book


def court_problem(book):
    report = verify_court(book.uows.engine, book.court, book.store, book.key.public_key())
    assert report.problem is not None, "tampering went unnoticed"
    return report.problem


def case_problem(book, case_id):
    report = verify_case(book.uows.engine, case_id, book.store, book.key.public_key())
    assert report.problem is not None, "tampering went unnoticed"
    return report.problem


def test_an_untouched_ledger_verifies_for_the_court_and_for_each_case(signed):
    report = verify_court(signed.uows.engine, signed.court, signed.store, signed.key.public_key())
    assert report.ok and report.entries == 24 and report.checkpoints == 1 and report.checkpointed_size == 24
    for n in range(4):
        case = verify_case(signed.uows.engine, signed.case(n), signed.store, signed.key.public_key())
        assert case.ok and case.entries == 6


def test_the_application_can_neither_update_nor_delete_ledger_rows(signed):
    for sql in ("UPDATE ledger_entries SET payload = '{}' WHERE court_id = :court",
                "DELETE FROM ledger_entries WHERE court_id = :court", "TRUNCATE ledger_entries"):
        with pytest.raises(DBAPIError, match="append-only"), signed.uows.engine.begin() as conn:
            conn.execute(text(sql), {"court": signed.court})


def test_an_edited_payload_is_named(signed):
    victim = signed.row(9)
    signed.tamper("UPDATE ledger_entries SET payload = replace(payload, 'bước', 'buoc') "
                  "WHERE court_id = :court AND court_index = 9")
    problem = court_problem(signed)
    assert (problem.code, problem.court_index, problem.case_id, problem.case_seq) == \
        ("edited", 9, victim.case_id, victim.case_seq)
    assert case_problem(signed, victim.case_id).court_index == 9


def test_an_edit_whose_hashes_were_all_recomputed_is_still_named_from_the_checkpointed_leaves(signed):
    """The attacker rewrites entry 9 and recomputes its hash and every later hash of its case chain."""
    victim = signed.row(9)
    with signed.uows.engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        rows = conn.execute(text("SELECT * FROM ledger_entries WHERE case_id = :c AND case_seq >= :s "
                                 "ORDER BY case_seq"), {"c": victim.case_id, "s": victim.case_seq}).all()
        prev = bytes(rows[0].prev_hash)
        for i, r in enumerate(rows):
            payload = r.payload.replace("bước", "buoc") if i == 0 else r.payload
            digest = entry_hash(r.court_id, r.court_index, r.case_id, r.case_seq, r.kind, format_time(r.at), prev,
                                payload)
            conn.execute(text("UPDATE ledger_entries SET payload = :p, prev_hash = :ph, entry_hash = :h "
                              "WHERE court_id = :c AND court_index = :i"),
                         {"p": payload, "ph": prev, "h": digest, "c": r.court_id, "i": r.court_index})
            prev = digest
    problem = court_problem(signed)
    assert (problem.code, problem.court_index, problem.case_id) == ("edited", 9, victim.case_id)
    assert "checkpoint" in problem.detail
    assert case_problem(signed, victim.case_id).court_index == 9


def test_a_deleted_entry_is_named_by_its_place(signed):
    victim = signed.row(13)
    signed.tamper("DELETE FROM ledger_entries WHERE court_id = :court AND court_index = 13")
    problem = court_problem(signed)
    assert (problem.code, problem.court_index) == ("missing", 13)
    case = case_problem(signed, victim.case_id)  # the next entry of its case no longer links
    assert case.code == "chain" and case.case_seq == victim.case_seq + 1


@pytest.mark.parametrize("how", ["swap places", "swap contents", "swap case order"])
def test_reordered_entries_are_named_at_the_first_moved_one(signed, how):
    if how == "swap places":
        for a, b in ((5, -1), (17, 5), (-1, 17)):  # the primary key is checked row by row
            signed.tamper("UPDATE ledger_entries SET court_index = :b WHERE court_id = :court AND court_index = :a",
                          a=a, b=b)
        first = 5
    elif how == "swap contents":
        signed.tamper("""
            UPDATE ledger_entries e SET payload = o.payload, at = o.at, entry_hash = o.entry_hash
            FROM ledger_entries o WHERE e.court_id = :court AND o.court_id = :court
              AND ((e.court_index = 6 AND o.court_index = 11) OR (e.court_index = 11 AND o.court_index = 6))""")
        first = 6
    else:  # the 2nd and 3rd entries of case 0 (indexes 4 and 8) exchange their sequence numbers
        for a, b in ((2, -1), (3, 2), (-1, 3)):
            signed.tamper("UPDATE ledger_entries SET case_seq = :b WHERE case_id = :case AND case_seq = :a",
                          case=signed.case(0), a=a, b=b)
        first = 4
    problem = court_problem(signed)
    assert (problem.code, problem.court_index) == ("edited", first)


def test_truncation_after_a_checkpoint_is_caught_even_when_the_counter_was_rolled_back(signed):
    signed.tamper("DELETE FROM ledger_entries WHERE court_id = :court AND court_index >= 21")
    signed.tamper("UPDATE ledger_courts SET size = 21 WHERE court_id = :court")
    problem = court_problem(signed)
    assert (problem.code, problem.court_index) == ("missing", 21)
    assert "truncated" in problem.detail and "24" in problem.detail
    assert case_problem(signed, signed.case(1)).court_index == 21  # a case view sees its court shrank too


def test_truncation_of_entries_not_yet_checkpointed_is_caught_by_the_court_counter(signed):
    signed.append(cases=2, per_case=2)  # entries 24..27, after the checkpoint
    signed.tamper("DELETE FROM ledger_entries WHERE court_id = :court AND court_index >= 26")
    problem = court_problem(signed)
    assert (problem.code, problem.court_index) == ("missing", 26)


def test_an_edit_after_the_last_checkpoint_is_caught_by_the_hash_chain(signed):
    signed.append(cases=2, per_case=2)
    signed.tamper("UPDATE ledger_entries SET kind = 'test.forged' WHERE court_id = :court AND court_index = 25")
    problem = court_problem(signed)
    assert (problem.code, problem.court_index) == ("edited", 25)


def test_a_forged_checkpoint_signature_is_refused(signed, tmp_path):
    from ecourt_casefile.ledger.checkpoints import load_or_create_key

    other_key = load_or_create_key(tmp_path / "other.pem")
    report = verify_court(signed.uows.engine, signed.court, signed.store, other_key.public_key())
    assert report.problem is not None and report.problem.code == "signature"


def test_a_damaged_ledger_is_never_signed(signed):
    signed.append(cases=1, per_case=3)
    signed.tamper("UPDATE ledger_entries SET payload = '{}' WHERE court_id = :court AND court_index = 25")
    with pytest.raises(LedgerDamaged) as failure:
        signed.checkpoint()
    assert failure.value.problem.court_index == 25
    assert signed.store.records(signed.court)[-1].checkpoint.tree_size == 24


def test_ecourt_ledger_verify_exits_non_zero_and_names_the_first_bad_entry(signed, ecourt_env):
    env = {**os.environ, **ecourt_env.env, "ECOURT_LEDGER_CHECKPOINT_DIR": str(signed.store.root),
           "ECOURT_LEDGER_KEY_FILE": str(ecourt_env.data_dir / "cli-ledger-key.pem")}
    # the CLI signs with its own key file: give it the module's key
    key_file = ecourt_env.data_dir / "cli-ledger-key.pem"
    if not key_file.exists():
        from cryptography.hazmat.primitives import serialization

        key_file.write_bytes(signed.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()))
    command = [sys.executable, "-m", "ecourt_cli", "ledger", "verify", "--court", signed.court]
    good = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "OK" in good.stdout and "24 entries" in good.stdout
    signed.tamper("UPDATE ledger_entries SET at = at + interval '1 second' "
                  "WHERE court_id = :court AND court_index = 3")
    bad = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert f"entry #3 of court {signed.court}" in bad.stdout and "edited" in bad.stdout
    assert hashlib.sha256(b"").hexdigest() not in bad.stdout
