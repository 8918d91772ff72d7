"""ecourt command line: argparse front for the commands."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence

from .common import CliError, data_dir

# nameko imports eventlet, which announces its own deprecation on every command; operators can't act on it.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")


# Commands that belong to one service: `ecourt <name> ...` hands the rest of the arguments to that service's
# own command-line module (`main(argv) -> int`), so the service keeps its rules and its options together.
DELEGATED: dict[str, tuple[str, str]] = {
    "import": ("ecourt_intake.archive.cli", "import historical cases from a folder or manifest (resumable)"),
    "assignment": ("ecourt_assignment.cli", "assignment tools, e.g. `verify DRAW_ID` replays a past draw"),
    "ledger": ("ecourt_casefile.ledger.cli", "the tamper-evident ledger, e.g. `verify`"),
    "courts": ("ecourt_casefile.courts_cli", "court mergers, e.g. `merge 79Q005 --into 79KV01 --on 2026-07-01`"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ecourt", description="ecourt developer commands")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    up = sub.add_parser("up", help="start the whole system with demo data (Ctrl-C stops it)")
    up.add_argument("--data-dir", help="state folder (default: $ECOURT_DATA_DIR or <repo>/.data)")
    up.add_argument("--no-demo", action="store_true", help="do not load demo data")

    test = sub.add_parser(
        "test",
        help="run the test suite (arguments go to pytest)",
        description="Run pytest with chromium and fresh MongoDB/S3 stand-ins. All arguments go to pytest.",
    )
    test.add_argument("pytest_args", nargs=argparse.REMAINDER, help="arguments for pytest")

    migrate = sub.add_parser("migrate", help="run every service's migrations and declare the bus topology")
    migrate.add_argument("--data-dir", help="state folder (default: $ECOURT_DATA_DIR or <repo>/.data)")

    dlq = sub.add_parser("dlq", help="dead-letter queues")
    dlq_sub = dlq.add_subparsers(dest="dlq_command", required=True, metavar="ACTION")
    dlq_sub.add_parser("list", help="list dead-lettered messages")
    replay = dlq_sub.add_parser("replay", help="send dead-lettered messages back to their queue")
    replay.add_argument("queue", metavar="QUEUE")
    which = replay.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="replay every message of QUEUE")
    which.add_argument("--id", dest="ids", nargs="+", action="extend", metavar="MESSAGE_ID", help="message ids")
    for name, (_, help_text) in DELEGATED.items():
        sub.add_parser(name, help=help_text, add_help=False)
    return parser


def run_delegated(name: str, argv: list[str]) -> int:
    import importlib

    module_name = DELEGATED[name][0]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise CliError(f"`ecourt {name}` needs {module_name}, which is not installed here ({exc})") from None
    return int(module.main(argv))


def run(argv: Sequence[str]) -> int:
    argv = list(argv)
    # Everything after `test` belongs to pytest, options included (argparse would take -h or -x for itself).
    if argv and argv[0] == "test":
        from .testcmd import run_tests

        return run_tests(argv[1:])
    if argv and argv[0] in DELEGATED:
        return run_delegated(argv[0], argv[1:])
    args = build_parser().parse_args(argv)
    if args.command == "up":
        from .up import run_up

        return run_up(data_dir(args.data_dir), demo=not args.no_demo)
    if args.command == "migrate":
        from .migrate import run_migrate

        return run_migrate(data_dir(args.data_dir))
    if args.command == "dlq":
        from . import dlq

        if args.dlq_command == "list":
            return dlq.run_list()
        return dlq.run_replay(args.queue, None if args.all else list(args.ids))
    raise AssertionError(args.command)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except CliError as exc:
        print(f"ecourt: error: {exc}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
