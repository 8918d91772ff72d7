"""Who signs, and the key material they sign with, whatever holds the key (files, PKCS#11 token, HSM)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from asn1crypto import x509
from pyhanko.sign.signers import Signer


@dataclass(frozen=True)
class SignerIdentity:
    """The person signing, as the verified token says: the certificate is issued to exactly this."""

    user_id: str
    court_id: str
    display_name: str


@dataclass(frozen=True)
class SigningCredential:
    """A pyHanko signer (it holds or reaches the private key) and the certificate it signs as.

    ``signer`` is a :class:`~pyhanko.sign.signers.SimpleSigner` for keys in memory; an HSM key store
    returns a ``PKCS11Signer`` instead, and nothing else changes.
    """

    signer: Signer
    certificate: x509.Certificate

    @property
    def subject_name(self) -> str:
        return str(self.certificate.subject.native.get("common_name", ""))

    @property
    def serial_hex(self) -> str:
        return format(self.certificate.serial_number, "x")

    @property
    def fingerprint_sha256(self) -> str:
        return hashlib.sha256(self.certificate.dump()).hexdigest()
