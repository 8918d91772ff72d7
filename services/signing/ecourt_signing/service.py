"""Signing's nameko service: a thin adapter from RPC to the signing and verification handlers."""

from __future__ import annotations

import base64
from typing import Any

from nameko.rpc import rpc

from ecourt_shared.auth import Role
from ecourt_shared.auth.nameko import Auth
from ecourt_shared.nameko_health import HealthEndpoints, Readiness
from ecourt_shared.settings import get_settings
from ecourt_shared.telemetry.nameko import Tracing
from ecourt_signing.dependencies import Keys, readiness_checks
from ecourt_signing.domain.pdf_input import decode_pdf_base64
from ecourt_signing.service_layer import documents

SIGNER_ROLES = (Role.JUDGE, Role.PRESIDENT, Role.CLERK)
STAFF_ROLES = (Role.PRESIDENT, Role.JUDGE, Role.CLERK, Role.RECEPTION, Role.IT_ADMIN)


class SigningService(HealthEndpoints):
    name = "signing"

    keys = Keys()
    auth = Auth()
    tracing = Tracing()
    readiness = Readiness(readiness_checks)

    @rpc
    def sign_document(self, token: str, pdf_base64: str) -> dict[str, Any]:
        """Sign a PDF (PAdES baseline) as the caller: a judge, the president or a clerk.

        The caller's own signing certificate is used; the development CA issues it on first use.
        Example payload::

            {"token": "eyJhbGciOiJFZERTQSJ9...", "pdf_base64": "JVBERi0xLjMK..."}

        Returns::

            {"pdf_base64": "JVBERi0xLjMK...", "sha256": "9f2c...",
             "signer": {"user_id": "u-judge-1", "court_id": "79KV01", "name": "Nguyễn Văn An",
                        "certificate_serial": "4f1a...", "certificate_sha256": "c0de..."}}

        A file that is not a readable, unencrypted PDF is refused with ``RequestRejected`` (field ``pdf``).
        """
        actor = self.auth(token, *SIGNER_ROLES)
        pdf = decode_pdf_base64(pdf_base64)
        signed = documents.sign_document(actor, pdf, self.keys, get_settings().max_attachment_bytes)
        return {"pdf_base64": base64.b64encode(signed.pdf).decode("ascii"), "sha256": signed.sha256,
                "signer": signed.signer}

    @rpc
    def verify_document(self, token: str, pdf_base64: str) -> dict[str, Any]:
        """Verify every signature of a PDF against the roots the court trusts (any staff member).

        Example payload::

            {"token": "eyJhbGciOiJFZERTQSJ9...", "pdf_base64": "JVBERi0xLjMK..."}

        Returns::

            {"ok": false, "signed": true, "intact": true, "valid": true, "trusted": true,
             "signer_name": "Nguyễn Văn An", "signed_at": "2026-11-27T03:15:00+00:00",
             "modified_after_signing": true,
             "reasons": ["Tài liệu đã bị thay đổi sau khi Nguyễn Văn An ký (Signature1): ... / the document
                          was changed after Nguyễn Văn An signed it (Signature1): ..."],
             "reason_codes": ["document.modified_after_signing"],
             "signatures": [{"field_name": "Signature1", "signer_name": "Nguyễn Văn An", "intact": true, ...}]}

        ``ok`` is the bottom line: signed, intact, valid, trusted and not modified after signing.
        """
        self.auth(token, *STAFF_ROLES)
        pdf = decode_pdf_base64(pdf_base64)
        return documents.verify_document(pdf, self.keys, get_settings().max_attachment_bytes).to_dict()
