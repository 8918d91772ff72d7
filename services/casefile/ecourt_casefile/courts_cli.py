"""``ecourt courts …``: court mergers (sáp nhập) and where an old court code leads.

    ecourt courts merge 79Q005 --into 79KV01 --on 2026-07-01 [--dry-run]
    ecourt courts resolve 79Q001

``merge`` is resumable: run it again after a crash and it moves only the cases still at the old court.
Exit codes: 0 done, 1 refused (unknown court, a court into itself, a different merger already recorded),
2 the command could not run (bad arguments, no database).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date

OK, REFUSED, CANNOT = 0, 1, 2


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"ngày phải có dạng YYYY-MM-DD / a date must be YYYY-MM-DD: {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ecourt courts", description="court registry operations of casefile")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    merge = sub.add_parser("merge", help="move every case of a dissolved court to its successor (resumable)")
    merge.add_argument("old", metavar="OLD_COURT", help="the court being dissolved, e.g. 79Q005")
    merge.add_argument("--into", required=True, metavar="SUCCESSOR", help="the court that takes over its cases")
    merge.add_argument("--on", required=True, type=_day, metavar="YYYY-MM-DD", help="the day the merger takes effect")
    merge.add_argument("--dry-run", action="store_true", help="only count what would move")
    resolve = sub.add_parser("resolve", help="the court that holds an (old) court code's cases today")
    resolve.add_argument("court", metavar="COURT")
    return parser


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    from ecourt_casefile.adapters.orm import metadata
    from ecourt_casefile.domain.clock import utc_now
    from ecourt_casefile.domain.courts import UnknownCourt
    from ecourt_casefile.service_layer import merging
    from ecourt_shared.contracts.errors import RequestRejected
    from ecourt_shared.db import UnitOfWorkFactory, make_engine
    from ecourt_shared.settings import get_settings

    engine = make_engine(get_settings().database_url("casefile"), pool_size=1)
    uows = UnitOfWorkFactory(engine, metadata)
    try:
        if args.action == "resolve":
            holder = merging.holding_court(uows, args.court.upper())
            print(f"{args.court.upper()} -> {holder}")
            return OK
        report = merging.merge_court(uows, args.old.upper(), args.into.upper(), args.on, utc_now,
                                     dry_run=args.dry_run)
        print(report.summary())
        return OK
    except RequestRejected as exc:
        for error in exc.errors:
            print(f"courts: {error.field}: {error.message_vi} / {error.message_en}", file=sys.stderr)
        return REFUSED
    except UnknownCourt as exc:
        print(f"courts: {exc.message_vi} / {exc.message_en}", file=sys.stderr)
        return REFUSED
    finally:
        engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
