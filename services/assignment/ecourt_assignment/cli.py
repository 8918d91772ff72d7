"""``ecourt assignment …``: tools for auditors and operators.

    ecourt assignment verify DRAW_ID            replay a past draw from the assignment database
    ecourt assignment verify --file DRAW.json   replay a draw exported as JSON (no database needed)
    ecourt assignment export DRAW_ID [-o F]     write a draw's record as JSON for an outside auditor
    ecourt assignment simulate [--draws N] …    simulate draws over a court; print spread and Gini

``verify`` exits 0 when the replay confirms the record, 1 when it differs (and says where), 2 when the draw
cannot be found or read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _load_from_database(draw_id: str) -> dict[str, Any]:
    from sqlalchemy import create_engine

    from ecourt_assignment.adapters.orm import metadata
    from ecourt_assignment.service_layer.queries import draw_by_id
    from ecourt_shared.db import UnitOfWorkFactory
    from ecourt_shared.settings import get_settings

    engine = create_engine(get_settings().database_url("assignment"))
    try:
        with UnitOfWorkFactory(engine, metadata)() as uow:
            return draw_by_id(uow, None, draw_id)
    finally:
        engine.dispose()


def _load(args: argparse.Namespace) -> dict[str, Any]:
    if args.file:
        doc = json.loads(Path(args.file).read_text(encoding="utf-8"))
        if "record" not in doc:  # a bare record
            doc = {"draw_id": args.draw_id or "?", "record": doc}
        if args.draw_id and doc.get("draw_id") not in (args.draw_id, "?"):
            raise LookupError(f"{args.file} holds draw {doc.get('draw_id')}, not {args.draw_id}")
        return dict(doc)
    if not args.draw_id:
        raise LookupError("name a DRAW_ID or give --file")
    return _load_from_database(args.draw_id)


def _verify(args: argparse.Namespace) -> int:
    from ecourt_assignment.service_layer.queries import audit
    from ecourt_shared.contracts.errors import NotFound

    try:
        export = _load(args)
    except (OSError, ValueError, LookupError, NotFound) as exc:
        print(f"ecourt assignment verify: cannot read the draw: {exc}", file=sys.stderr)
        return 2
    found = audit(export)
    record = export["record"]
    print(f"draw {export.get('draw_id')} of case {record.get('case_id')} ({record.get('algorithm')})")
    print(f"  commitment {record.get('seed_commitment')}")
    for label, key in (("committed at", "committed_at"), ("seen on the bus", "seen_on_bus_at"),
                       ("drawn at", "drawn_at")):
        if export.get(key):
            print(f"  {label:<16}{export[key]}")
    if record.get("seats") is not None:  # a panel draw: one line per seat
        for seat in record["seats"]:
            sub = seat.get("record") or {}
            print(f"  seat {seat.get('seat')} ({seat.get('kind')}): eligible {', '.join(sub.get('eligible') or [])}; "
                  f"winner {sub.get('winner')}")
    else:
        print(f"  eligible {', '.join(record.get('eligible') or [])}; winner {record.get('winner')}")
    if not found:
        print("VERIFIED: the seed matches the commitment and replaying the record gives the recorded draw "
              "(Đã xác minh: bốc thăm lại cho đúng kết quả đã ghi).")
        return 0
    print("NOT VERIFIED (Không xác minh được) — where the record differs:")
    for line in found:
        print(f"  - {line}")
    return 1


def _export(args: argparse.Namespace) -> int:
    from ecourt_shared.contracts.errors import NotFound

    try:
        export = _load_from_database(args.draw_id)
    except (LookupError, NotFound) as exc:
        print(f"ecourt assignment export: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(export, ensure_ascii=False, indent=2, sort_keys=True)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from ecourt_assignment.simulation import simulate

    result = simulate(draws=args.draws, judges=args.judges, seed=args.seed)
    print(result.summary())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ecourt assignment", description="assignment tools")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    verify = sub.add_parser("verify", help="replay a past draw and confirm it, or show where it differs")
    verify.add_argument("draw_id", nargs="?", metavar="DRAW_ID")
    verify.add_argument("--file", help="a draw exported as JSON (by `export` or the `verify`/`draw` RPC)")
    export = sub.add_parser("export", help="write a draw's record as JSON")
    export.add_argument("draw_id", metavar="DRAW_ID")
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    simulate = sub.add_parser("simulate", help="simulate draws over a court with mixed capacities")
    simulate.add_argument("--draws", type=int, default=10_000)
    simulate.add_argument("--judges", type=int, default=30)
    simulate.add_argument("--seed", default="ecourt-simulation", help="makes the run repeatable")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.command == "verify":
        return _verify(args)
    if args.command == "export":
        return _export(args)
    return _simulate(args)


if __name__ == "__main__":
    sys.exit(main())
