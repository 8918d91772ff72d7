"""The receipt secret: printed on the filer's receipt, asked for by the portal with the case code.

Intake issues it and publishes only its hash (``CaseReceivedV1.receipt_secret_hash``); the portal
checks a citizen's secret against that hash, so no service but intake ever holds a secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: it is read aloud and typed by citizens
# Compared against when there is no case (or no receipt yet), so a miss costs the same as a mismatch.
_UNMATCHABLE = "x" * 64


def new_receipt_secret() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def receipt_secret_hash(secret: str) -> str:
    normalized = secret.replace("-", "").replace(" ", "").upper()
    return hashlib.sha256(f"ecourt-receipt:{normalized}".encode()).hexdigest()


def secret_matches(stored_hash: str | None, offered_hash: str) -> bool:
    """Constant-time comparison; False when nothing is stored, after the same amount of work."""
    expected = stored_hash or _UNMATCHABLE
    same = hmac.compare_digest(expected.encode(), offered_hash.encode())
    return same and stored_hash is not None
