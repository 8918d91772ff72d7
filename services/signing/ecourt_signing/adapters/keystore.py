"""Where signing keys live is a configuration choice; the service only sees a :class:`KeyStore`.

Today there is one implementation, the development CA (:mod:`ecourt_signing.adapters.dev_ca`), which
keeps its keys as files. A PKCS#11 store (an HSM, or the USB tokens the national CA issues) implements
the same protocol and returns a ``pyhanko.sign.pkcs11.PKCS11Signer`` in its credentials.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol, runtime_checkable

from asn1crypto import x509
from pyhanko.sign.timestamps import TimeStamper

from ecourt_shared.settings import Settings
from ecourt_signing.domain.credentials import SignerIdentity, SigningCredential

KEYS_DIR_ENV = "ECOURT_SIGNING_KEYS_DIR"
ISSUE_ON_DEMAND_ENV = "ECOURT_SIGNING_ISSUE_ON_DEMAND"  # false: only enrolled people have certificates


@runtime_checkable
class KeyStore(Protocol):
    def prepare(self) -> None:
        """Make the store usable (create the development CA, open the HSM session); called at startup."""

    def credential_for(self, identity: SignerIdentity) -> SigningCredential:
        """The credential this person signs with; a store may issue it on first use."""

    def timestamper(self) -> TimeStamper:
        """The timestamp authority every signature gets its time from (PAdES B-T)."""

    def trust_roots(self) -> list[x509.Certificate]:
        """The roots a signature must chain to, to be reported as trusted."""

    def check(self) -> None:
        """Raise if the key material cannot be used right now (readiness)."""


def keys_dir(settings: Settings) -> Path:
    """``ECOURT_SIGNING_KEYS_DIR`` if set (Kubernetes mounts keys there), else ``<data_dir>/signing``."""
    explicit = os.environ.get(KEYS_DIR_ENV, "").strip()
    return Path(explicit) if explicit else settings.data_dir / "signing"


def open_key_store(settings: Settings) -> KeyStore:
    from ecourt_signing.adapters.dev_ca import DevCertificateAuthority

    on_demand = os.environ.get(ISSUE_ON_DEMAND_ENV, "true").strip().lower() not in ("0", "false", "no")
    return DevCertificateAuthority(keys_dir(settings), issue_on_demand=on_demand)
