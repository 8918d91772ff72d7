"""How a ledger entry becomes bytes and hashes: canonical JSON, domain-separated entry hash, RFC 6962 tree hashes.

An entry's hash is SHA-256 over::

    b"ecourt.ledger.entry.v1\\x00" || field_1 || ... || field_8

where every field is ``u32 big-endian length || bytes`` in this order: court id, court index (u64 BE), case id,
case sequence (u64 BE), kind, time (``YYYY-MM-DDTHH:MM:SS.ffffffZ``, UTC), previous hash (32 bytes), canonical
JSON payload (UTF-8). The length prefixes make the encoding unambiguous; the tag keeps an entry hash from ever
being mistaken for a tree node or a checkpoint. The first entry of a case has 32 zero bytes as previous hash.

The court's Merkle tree is RFC 6962 (RFC 9162 §2.1): leaf hash ``SHA-256(0x00 || entry_hash)``, interior node
``SHA-256(0x01 || left || right)``, the empty tree's root ``SHA-256("")``.
"""

from __future__ import annotations

import hashlib
import json
import struct
from datetime import UTC, date, datetime
from typing import Any

ENTRY_TAG = b"ecourt.ledger.entry.v1\x00"
GENESIS = bytes(32)
_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"ledger payloads hold JSON values, dates and datetimes only, not {type(value).__name__}")


def canonical_json(payload: dict[str, Any]) -> str:
    """Sorted keys, no spaces, UTF-8 kept as is, no NaN: the same dict always gives the same text."""
    if not isinstance(payload, dict):
        raise TypeError("a ledger payload is a JSON object (dict)")
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False,
                      default=_json_default)


def format_time(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("ledger times are timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def entry_encoding(court_id: str, court_index: int, case_id: str, case_seq: int, kind: str, at: str,
                   prev_hash: bytes, payload: str) -> bytes:
    """The exact bytes an entry hash covers (``at`` already formatted by :func:`format_time`)."""
    parts = [ENTRY_TAG]
    for field in (court_id.encode(), _U64.pack(court_index), case_id.encode(), _U64.pack(case_seq),
                  kind.encode(), at.encode(), prev_hash, payload.encode()):
        parts.append(_U32.pack(len(field)))
        parts.append(field)
    return b"".join(parts)


def entry_hash(court_id: str, court_index: int, case_id: str, case_seq: int, kind: str, at: str,
               prev_hash: bytes, payload: str) -> bytes:
    return hashlib.sha256(entry_encoding(court_id, court_index, case_id, case_seq, kind, at, prev_hash,
                                         payload)).digest()


def leaf_hash(entry_digest: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry_digest).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()
