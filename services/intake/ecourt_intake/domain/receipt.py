"""The receipt secret: printed on the filer's receipt, asked for by the portal with the case code.

Only its hash leaves intake, so the portal can check a secret without ever holding one.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: it is read aloud and typed by citizens


def new_receipt_secret() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def receipt_secret_hash(secret: str) -> str:
    normalized = secret.replace("-", "").replace(" ", "").upper()
    return hashlib.sha256(f"ecourt-receipt:{normalized}".encode()).hexdigest()
