"""``ecourt ledger …``: verify, checkpoint, prove, check-proof, public-key.

Exit codes: 0 all good, 1 the ledger or the proof is bad (the first bad entry is named), 2 the command could not
run (bad arguments, no database, no key).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ecourt_casefile.ledger.checkpoints import (
    CheckpointError,
    LedgerSettings,
    key_path,
    load_or_create_key,
    load_public_key,
    public_pem,
    store_from_settings,
)

OK, BAD, CANNOT = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ecourt ledger", description="the tamper-evident ledger of casefile")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = sub.add_parser("verify", help="recompute chains and trees, check them against the signed checkpoints")
    verify.add_argument("--court", help="only this court (default: every court)")
    verify.add_argument("--case", help="only this case's chain (and its courts' continuity)")
    verify.add_argument("--json", action="store_true", help="print the reports as JSON")
    checkpoint = sub.add_parser("checkpoint", help="sign and store a checkpoint of each grown court tree now")
    checkpoint.add_argument("--court", help="only this court")
    prove = sub.add_parser("prove", help="print a proof of a case's history (JSON) for an outside auditor")
    prove.add_argument("--case", required=True)
    prove.add_argument("--old-size", type=int, help="add a consistency proof from the checkpoint of this size")
    check = sub.add_parser("check-proof", help="check a proof with the public key only (no database)")
    check.add_argument("proof", type=Path)
    check.add_argument("--public-key", type=Path, required=True, help="the ledger's public key (PEM)")
    sub.add_parser("public-key", help="print the checkpoint public key (PEM) to give to auditors")
    return parser


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    try:
        if args.action == "check-proof":
            return _check_proof(args.proof, args.public_key)
        return _with_database(args)
    except CheckpointError as exc:
        print(f"ledger: {exc}", file=sys.stderr)
        return CANNOT


def _check_proof(path: Path, public_key_path: Path) -> int:
    from ecourt_casefile.ledger.merkle import ProofError
    from ecourt_casefile.ledger.proofs import check_case_proof

    try:
        proof = json.loads(path.read_text())
        public_key = load_public_key(public_key_path)
    except (OSError, ValueError) as exc:
        print(f"ledger: cannot read the proof or the key: {exc}", file=sys.stderr)
        return CANNOT
    try:
        proven = check_case_proof(proof, public_key)
    except ProofError as exc:
        print(f"PROOF REJECTED / BẰNG CHỨNG KHÔNG HỢP LỆ: {exc}")
        return BAD
    print(f"PROOF OK / BẰNG CHỨNG HỢP LỆ: case {proven.case_id}: {proven.entries} entries "
          f"({', '.join(proven.kinds)}) are in the signed tree of court {proven.court_id} "
          f"(size {proven.tree_size}, signed {proven.checkpoint_time})")
    return OK


def _with_database(args: argparse.Namespace) -> int:
    from ecourt_casefile.adapters.orm import metadata
    from ecourt_shared.db import UnitOfWorkFactory, make_engine
    from ecourt_shared.identifiers import IdentifierError, parse_case_id
    from ecourt_shared.settings import get_settings

    settings, ledger_settings = get_settings(), LedgerSettings()
    key = load_or_create_key(key_path(settings, ledger_settings))
    if args.action == "public-key":
        sys.stdout.write(public_pem(key.public_key()).decode())
        return OK
    store = store_from_settings(settings, ledger_settings)
    engine = make_engine(settings.database_url("casefile"), pool_size=1)
    try:
        case_id = getattr(args, "case", None)
        if case_id:
            try:
                case_id = parse_case_id(case_id).canonical
            except IdentifierError as exc:
                print(f"ledger: --case: {exc.message_en}", file=sys.stderr)
                return CANNOT
        if args.action == "verify":
            return _verify(engine, store, key.public_key(), args.court, case_id, args.json)
        if args.action == "checkpoint":
            return _checkpoint(engine, store, key, args.court)
        if args.action == "prove":
            from ecourt_casefile.ledger.proofs import ProofUnavailable, build_case_proof

            try:
                proof = build_case_proof(UnitOfWorkFactory(engine, metadata), store, case_id, args.old_size)
            except ProofUnavailable as exc:
                print(f"ledger: {exc}", file=sys.stderr)
                return CANNOT
            json.dump(proof, sys.stdout, indent=1, ensure_ascii=False)
            sys.stdout.write("\n")
            return OK
    finally:
        engine.dispose()
    return CANNOT


def _verify(engine, store, public_key, court: str | None, case_id: str | None, as_json: bool) -> int:
    from ecourt_casefile.ledger.verifying import courts_to_verify, verify_case, verify_court

    if case_id:
        reports = [verify_case(engine, case_id, store, public_key)]
    else:
        reports = [verify_court(engine, c, store, public_key) for c in ([court] if court else
                                                                         courts_to_verify(engine, store))]
    if as_json:
        print(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=1))
    else:
        for r in reports:
            rate = r.entries / r.seconds if r.seconds else 0.0
            head = (f"{r.scope}: {r.entries} entries, {r.checkpoints} checkpoints (signed size "
                    f"{r.checkpointed_size}), {r.seconds:.2f}s ({rate:,.0f} entries/s)")
            if r.ok:
                print(f"OK   {head}")
            else:
                assert r.problem is not None
                print(f"BAD  {head}\n     first bad entry / bản ghi sai đầu tiên: {r.problem.describe()}")
            for note in r.notes:
                print(f"     note: {note}")
        if not reports:
            print("no ledger yet")
    return OK if all(r.ok for r in reports) else BAD


def _checkpoint(engine, store, key, court: str | None) -> int:
    from ecourt_casefile.domain.clock import utc_now
    from ecourt_casefile.ledger.checkpointing import LedgerDamaged, ledger_courts, write_checkpoint

    status = OK
    for court_id in [court] if court else ledger_courts(engine):
        try:
            record = write_checkpoint(engine, court_id, store, key, utc_now)
        except LedgerDamaged as exc:
            print(f"BAD  court {court_id}: not signed, {exc}")
            status = BAD
            continue
        if record is None:
            print(f"--   court {court_id}: nothing new since the last checkpoint")
        else:
            cp = record.checkpoint
            print(f"OK   court {court_id}: checkpoint size {cp.tree_size} root {cp.root.hex()} at {cp.time}")
    return status
