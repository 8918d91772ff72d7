"""Signing's nameko service: a thin adapter from RPC to the signing and verification handlers."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from nameko.rpc import rpc

from ecourt_shared.auth import Role
from ecourt_shared.auth.nameko import Auth
from ecourt_shared.db.nameko import ServiceDatabase
from ecourt_shared.nameko_health import HealthEndpoints, Readiness
from ecourt_shared.settings import get_settings
from ecourt_shared.telemetry.nameko import Tracing
from ecourt_signing.adapters.orm import metadata
from ecourt_signing.dependencies import Keys, readiness_checks
from ecourt_signing.domain.pades import revision_hashes
from ecourt_signing.domain.pdf_input import decode_pdf_base64
from ecourt_signing.service_layer import documents, workflow

SIGNER_ROLES = (Role.JUDGE, Role.PRESIDENT, Role.CLERK)
STAFF_ROLES = (Role.PRESIDENT, Role.JUDGE, Role.CLERK, Role.RECEPTION, Role.IT_ADMIN)


def utc_now() -> datetime:
    return datetime.now(UTC)


class SigningService(HealthEndpoints):
    name = "signing"

    keys = Keys()
    db = ServiceDatabase("signing", metadata)
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
        return self._verify(pdf_base64)

    @rpc
    def verify_public(self, pdf_base64: str) -> dict[str, Any]:
        """Verification for anyone holding the file (the HTTP endpoint citizens use): no token.

        It says only what the file itself proves, plus which court document it is when a stored signed
        version matches a revision of the file. Example payload: ``{"pdf_base64": "JVBERi0xLjMK..."}``;
        returns what :meth:`verify_document` returns.
        """
        return self._verify(pdf_base64)

    def _verify(self, pdf_base64: str) -> dict[str, Any]:
        pdf = decode_pdf_base64(pdf_base64)
        verdict = documents.verify_document(pdf, self.keys, get_settings().max_attachment_bytes).to_dict()
        verdict["document"] = workflow.identify(self.db, revision_hashes(pdf)) if verdict["signed"] else None
        return verdict

    # -- drafting ---------------------------------------------------------------------------------

    @rpc
    def create_draft(self, token: str, case_id: str, kind: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Draft a court document from a template, filled with the dossier's header fields and typed ones.

        Example payload::

            {"token": "...", "case_id": "79KV01-2026-000001-43", "kind": "summons",
             "fields": {"court_name": "Tòa án nhân dân Khu vực 1 - Thành phố Hồ Chí Minh",
                        "case_id": "79KV01-2026-000001-43", "acceptance_number": "01/2026/TLST-DS", ...,
                        "summoned_person": "Lê Thị Hồng Nhung", "appear_at": "08 giờ 00 ngày 15/12/2026"}}

        Returns the document's state (``DocumentStateV1``): id, status ``draft``, version 1 and its sha256,
        the workflow (who signs, in order). Missing fields are refused one by one (``fields.<name>``).
        """
        actor = self.auth(token, *SIGNER_ROLES)
        return workflow.create_draft(self.db, actor, case_id, kind, fields, utc_now)

    @rpc
    def update_draft(self, token: str, document_id: str, fields: dict[str, Any], base_version: int) -> dict[str, Any]:
        """Save an edited draft as a new version. ``base_version`` is the version edited (stale edits are refused).

        Example payload: ``{"token": "...", "document_id": "VB-...", "fields": {...}, "base_version": 1}``
        """
        actor = self.auth(token, *SIGNER_ROLES)
        return workflow.update_draft(self.db, actor, document_id, fields, base_version, utc_now)

    @rpc
    def get_document(self, token: str, document_id: str, version_no: int | None = None) -> dict[str, Any]:
        """A document's state and the PDF of one version (the current one by default), for review.

        Example payload: ``{"token": "...", "document_id": "VB-..."}``; returns the state plus
        ``pdf_base64`` and ``sha256`` of the version (pass that sha256 as ``reviewed_sha256`` when signing).
        """
        actor = self.auth(token, *STAFF_ROLES)
        state, pdf = workflow.get_document(self.db, actor, document_id, version_no)
        return {**state, "pdf_base64": base64.b64encode(pdf).decode("ascii")}

    # -- the signature workflow --------------------------------------------------------------------

    @rpc
    def sign(self, token: str, document_id: str, reviewed_sha256: str) -> dict[str, Any]:
        """Sign the next step of a document's workflow, on exactly the version reviewed.

        Example payload: ``{"token": "...", "document_id": "VB-...", "reviewed_sha256": "9f2c..."}``.
        Refusals (``RequestRejected``): ``workflow.out_of_order``, ``workflow.complete``,
        ``document.changed_since_review``, ``signer.no_certificate``, ``signer.certificate_expired``.
        """
        actor = self.auth(token, *SIGNER_ROLES)
        return workflow.sign(self.db, actor, self.keys, document_id, reviewed_sha256, utc_now,
                             get_settings().max_attachment_bytes)

    @rpc
    def sign_batch(self, token: str, items: list[dict[str, Any]]) -> dict[str, Any]:
        """Sign many documents at once (a judge's summonses); each is signed or refused on its own.

        Example payload: ``{"token": "...", "items": [{"document_id": "VB-...", "reviewed_sha256": "..."}]}``;
        returns ``{"signed": 199, "refused": 1, "results": [{"index": 0, "ok": true, "document": {...}}, ...]}``.
        """
        actor = self.auth(token, *SIGNER_ROLES)
        results = workflow.sign_batch(self.db, actor, self.keys, items, utc_now, get_settings().max_attachment_bytes)
        ok = sum(1 for r in results if r["ok"])
        return {"signed": ok, "refused": len(results) - ok, "results": results}

    # -- the seal step ------------------------------------------------------------------------------

    @rpc
    def seal_queue(self, token: str) -> list[dict[str, Any]]:
        """Documents in effect that wait for the court's physical seal (clerks, the president).

        Example payload: ``{"token": "..."}``; returns ``[{"document_id": "VB-...", "case_id": "...",
        "title": "GIẤY TRIỆU TẬP", "kind": "summons", "queued_at": "2026-11-27T03:15:00+00:00"}]``.
        """
        actor = self.auth(token, Role.CLERK, Role.PRESIDENT)
        return workflow.pending_seals(self.db, actor)

    @rpc
    def record_seal(self, token: str, document_id: str, scan_pdf_base64: str) -> dict[str, Any]:
        """The clerk records that the paper copy was sealed, with a PDF scan of it (``document_sealed``).

        Example payload: ``{"token": "...", "document_id": "VB-...", "scan_pdf_base64": "JVBERi0xLjMK..."}``
        """
        actor = self.auth(token, Role.CLERK)
        scan = decode_pdf_base64(scan_pdf_base64, field="scan_pdf_base64")
        return workflow.record_seal(self.db, actor, document_id, scan, utc_now, get_settings().max_attachment_bytes)
