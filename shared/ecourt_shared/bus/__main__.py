"""``python -m ecourt_shared.bus declare``: declare the durable topology before producers start."""

from __future__ import annotations

import sys

from ecourt_shared.bus.topology import declare_topology
from ecourt_shared.settings import get_settings


def main(argv: list[str]) -> int:
    if argv[:1] != ["declare"]:
        print("usage: python -m ecourt_shared.bus declare", file=sys.stderr)
        return 2
    count = declare_topology(get_settings().amqp_uri)
    print(f"declared {count} durable queues")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
