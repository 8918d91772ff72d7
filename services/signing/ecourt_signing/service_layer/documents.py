"""Signing and verifying a document for a person of the court.

No state of its own yet: the document comes in, the signed document goes back (the dossier in casefile
keeps it). Recording signatures, the ``document_signed`` event and the signature workflows come with the
database in a later slice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from ecourt_shared.auth import Principal
from ecourt_signing.adapters.keystore import KeyStore
from ecourt_signing.domain.credentials import SignerIdentity
from ecourt_signing.domain.pades import sign_pdf, verify_pdf
from ecourt_signing.domain.verification import VerificationResult


@dataclass(frozen=True)
class SignedDocument:
    pdf: bytes
    signer: dict[str, Any]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def sign_document(actor: Principal, pdf: bytes, keys: KeyStore, max_bytes: int) -> SignedDocument:
    """Sign ``pdf`` as ``actor``, with their own certificate (issued on first use by a development CA)."""
    identity = SignerIdentity(user_id=actor.user_id, court_id=actor.court_id, display_name=actor.display_name)
    credential = keys.credential_for(identity)
    signed = sign_pdf(pdf, credential, max_bytes=max_bytes, location=actor.court_id,
                      timestamper=keys.timestamper())
    return SignedDocument(pdf=signed, signer={
        "user_id": actor.user_id, "court_id": actor.court_id, "name": credential.subject_name,
        "certificate_serial": credential.serial_hex,
        "certificate_sha256": credential.fingerprint_sha256})


def verify_document(pdf: bytes, keys: KeyStore, max_bytes: int) -> VerificationResult:
    return verify_pdf(pdf, keys.trust_roots(), max_bytes=max_bytes)
