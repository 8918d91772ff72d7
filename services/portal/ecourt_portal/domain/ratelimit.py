"""Failed lookups are limited per client, so a receipt secret cannot be guessed by brute force.

Only failures count (a citizen checking their case every day is never slowed down), but once a
client has ``max_failures`` failures inside the sliding ``window`` EVERY lookup from it is refused,
a correct one too: otherwise the answer to a guess would still tell right from wrong.

Clients are keyed by a hash of their address, never the address itself; IPv6 clients by their /64
network, because one subscriber usually holds a whole /64.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ecourt_portal.domain.text import Text


@dataclass(frozen=True)
class RateLimitPolicy:
    max_failures: int = 10
    window: timedelta = timedelta(minutes=10)

    def retry_after(self, failures: Sequence[datetime], now: datetime) -> int | None:
        """Seconds until this client may try again, or None if it may try now.

        ``failures`` are the client's failure times (any order, older ones are ignored).
        """
        recent = sorted(f for f in failures if f > now - self.window)
        if len(recent) < self.max_failures:
            return None
        # Allowed again when so many of the oldest have left the window that fewer than max remain.
        must_expire = recent[len(recent) - self.max_failures]
        return max(1, math.ceil((must_expire + self.window - now).total_seconds()))


def client_key(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        group = address
    else:
        group = str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)
    return hashlib.sha256(f"ecourt-portal-client:{group}".encode()).hexdigest()


def too_many_attempts(retry_after_seconds: int) -> Text:
    minutes = max(1, math.ceil(retry_after_seconds / 60))
    return Text(f"Bạn đã tra cứu không thành công quá nhiều lần. Vui lòng thử lại sau {minutes} phút.",
                f"Too many unsuccessful lookups. Please try again in {minutes} minute"
                f"{'s' if minutes > 1 else ''}.")
