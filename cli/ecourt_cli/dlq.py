"""`ecourt dlq list` and `ecourt dlq replay`: dead-letter queues, through ecourt_shared.bus.operator."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from . import preflight
from .common import CliError

MAX_CELL = 60


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def format_table(rows: Sequence[dict[str, object]]) -> str:
    """A plain text table; columns are the keys of the rows in order of first appearance."""
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    cells = [[_cell(row.get(col)) for col in columns] for row in rows]
    widths = [max([len(col), *(len(r[i]) for r in cells)]) for i, col in enumerate(columns)]
    lines = ["  ".join(col.upper().ljust(w) for col, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


@contextmanager
def _operator_errors(uri: str) -> Iterator[None]:
    """Known failures as one-line messages: an unknown queue, an unreachable broker."""
    from amqp.exceptions import AMQPError
    from kombu.exceptions import KombuError

    try:
        yield
    except LookupError as exc:
        raise CliError(str(exc).strip("'\"")) from exc
    except (OSError, AMQPError, KombuError) as exc:
        raise CliError(
            f"RabbitMQ at {preflight.redact(uri)} failed: {type(exc).__name__}: {exc} (set ECOURT_AMQP_URI?)"
        ) from exc


def run_list(out: Callable[[str], None] = print) -> int:
    from ecourt_shared.bus.operator import list_dead_letters

    uri = preflight.amqp_uri()
    with _operator_errors(uri):
        rows = list_dead_letters(uri)
    if not rows:
        out("no dead letters")
        return 0
    out(format_table(rows))
    out(f"{len(rows)} dead letter(s)")
    return 0


def run_replay(queue: str, message_ids: list[str] | None, out: Callable[[str], None] = print) -> int:
    from ecourt_shared.bus.operator import replay_dead_letters

    uri = preflight.amqp_uri()
    with _operator_errors(uri):
        count = replay_dead_letters(uri, queue, message_ids)
    what = "all messages" if message_ids is None else f"{len(message_ids)} requested message(s)"
    out(f"replayed {count} message(s) from {queue} ({what})")
    return 0
