"""Signing's nameko service: a thin adapter from RPC to the signing and verification handlers."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from nameko.rpc import ServiceRpc, rpc
from sqlalchemy import select

from ecourt_shared.auth import Principal, Role
from ecourt_shared.auth.nameko import Auth
from ecourt_shared.contracts.errors import NotFound, PermissionDenied, RequestRejected
from ecourt_shared.db.nameko import ServiceDatabase
from ecourt_shared.nameko_health import HealthEndpoints, Readiness
from ecourt_shared.settings import get_settings
from ecourt_shared.telemetry.nameko import Tracing
from ecourt_signing.adapters.orm import documents as documents_table
from ecourt_signing.adapters.orm import metadata
from ecourt_signing.dependencies import Keys, Storage, readiness_checks
from ecourt_signing.domain.access import StandingCache, require_involved
from ecourt_signing.domain.pades import revision_hashes
from ecourt_signing.domain.pdf_input import decode_pdf_base64
from ecourt_signing.service_layer import document_text as signed_text
from ecourt_signing.service_layer import documents, workflow

SIGNER_ROLES = (Role.JUDGE, Role.PRESIDENT, Role.CLERK)
STAFF_ROLES = (Role.PRESIDENT, Role.JUDGE, Role.CLERK, Role.RECEPTION, Role.IT_ADMIN)


def utc_now() -> datetime:
    return datetime.now(UTC)


class SigningService(HealthEndpoints):
    name = "signing"

    keys = Keys()
    store = Storage()  # every version's bytes, in the court's bucket
    db = ServiceDatabase("signing", metadata)
    auth = Auth()
    tracing = Tracing()
    readiness = Readiness(readiness_checks)
    casefile = ServiceRpc("casefile")  # who the people of a case are (domain/access.py says why)

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
             "modified_after_signing": true, "changes": "shadow_hide",
             "changes_vi": "Tấn công che giấu (shadow attack: hide)", "changes_en": "shadow attack: hide",
             "reasons": ["Tấn công che giấu (shadow attack: hide): sau khi Nguyễn Văn An ký (Signature1), ... /
                          shadow attack: hide — after Nguyễn Văn An signed (Signature1), ..."],
             "reason_codes": ["shadow.hide"],
             "signatures": [{"field_name": "Signature1", "signer_name": "Nguyễn Văn An", "intact": true,
                             "changes": "shadow_hide", "change_details": ["obj 4 0 (page 1): ..."], ...}]}

        ``ok`` is the bottom line: signed, intact, valid, trusted and not modified after signing.
        ``changes`` says what was appended after signing: ``none``, ``allowed`` (further signatures,
        timestamps, form filling the certification permits), ``modified`` (reason ``document.
        modified_after_signing``), or a shadow attack: ``shadow_hide``, ``shadow_replace``,
        ``shadow_hide_and_replace`` (reasons ``shadow.hide`` / ``shadow.replace`` / ``shadow.hide_and_replace``).
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
        if not isinstance(case_id, str) or not case_id.strip():
            raise RequestRejected.single("case_id", "field.required", "Thiếu mã vụ án.", "case_id is required")
        require_involved(actor, self._standings(token)(case_id))
        return workflow.create_draft(self.db, self.store, actor, case_id, kind, fields, utc_now)

    @rpc
    def update_draft(self, token: str, document_id: str, fields: dict[str, Any], base_version: int) -> dict[str, Any]:
        """Save an edited draft as a new version. ``base_version`` is the version edited (stale edits are refused).

        Example payload: ``{"token": "...", "document_id": "VB-...", "fields": {...}, "base_version": 1}``
        """
        actor = self.auth(token, *SIGNER_ROLES)
        self._require_case_access(token, actor, document_id)
        return workflow.update_draft(self.db, self.store, actor, document_id, fields, base_version, utc_now)

    @rpc
    def get_document(self, token: str, document_id: str, version_no: int | None = None) -> dict[str, Any]:
        """A document's state and the PDF of one version (the current one by default), for review.

        Example payload: ``{"token": "...", "document_id": "VB-..."}``; returns the state plus
        ``pdf_base64`` and ``sha256`` of the version (pass that sha256 as ``reviewed_sha256`` when signing).
        Like every RPC on a document, only for the people of its case (the president, the case's judge or a
        member of its panel, the clerk of the case; ``PermissionDenied`` otherwise, ``NotFound`` for
        another court): ``domain/access.py``.
        """
        actor = self.auth(token, *STAFF_ROLES)
        self._require_case_access(token, actor, document_id)
        state, pdf = workflow.get_document(self.db, self.store, actor, document_id, version_no)
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
        self._require_case_access(token, actor, document_id)
        return workflow.sign(self.db, self.store, actor, self.keys, document_id, reviewed_sha256, utc_now,
                             get_settings().max_attachment_bytes)

    @rpc
    def sign_batch(self, token: str, items: list[dict[str, Any]]) -> dict[str, Any]:
        """Sign many documents at once (a judge's summonses); each is signed or refused on its own.

        Example payload: ``{"token": "...", "items": [{"document_id": "VB-...", "reviewed_sha256": "..."}]}``;
        returns ``{"signed": 199, "refused": 1, "results": [{"index": 0, "ok": true, "document": {...}}, ...]}``.
        An item of a case the caller is not one of the people of is refused on its own
        (``case.not_involved``; another court's document: ``document.not_found``).
        """
        actor = self.auth(token, *SIGNER_ROLES)
        if not isinstance(items, list) or not items:  # the workflow refuses it, field by field
            return workflow.sign_batch(self.db, self.store, actor, self.keys, items, utc_now,
                                       get_settings().max_attachment_bytes)
        standings = self._standings(token)
        allowed: list[tuple[int, Any]] = []
        results: list[dict[str, Any]] = []
        for index, item in enumerate(items):
            document_id = item.get("document_id") if isinstance(item, dict) else None
            try:
                case_id = self._case_of(actor, document_id)
                if case_id is not None:
                    require_involved(actor, standings(case_id))
            except (NotFound, PermissionDenied) as exc:
                code = "document.not_found" if isinstance(exc, NotFound) else "case.not_involved"
                results.append({"index": index, "ok": False, "document_id": document_id,
                                "errors": [{"field": "document_id", "code": code, **exc.detail}]})
                continue
            allowed.append((index, item))
        if allowed:
            signed = workflow.sign_batch(self.db, self.store, actor, self.keys, [item for _, item in allowed],
                                         utc_now, get_settings().max_attachment_bytes)
            results += [{**r, "index": allowed[r["index"]][0]} for r in signed]
        results.sort(key=lambda r: r["index"])
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
        standings = self._standings(token)
        queue = workflow.pending_seals(self.db, actor)
        return [entry for entry in queue if self._involved(standings, entry["case_id"])]

    @rpc
    def record_seal(self, token: str, document_id: str, scan_pdf_base64: str) -> dict[str, Any]:
        """The clerk records that the paper copy was sealed, with a PDF scan of it (``document_sealed``).

        Example payload: ``{"token": "...", "document_id": "VB-...", "scan_pdf_base64": "JVBERi0xLjMK..."}``
        """
        actor = self.auth(token, Role.CLERK)
        self._require_case_access(token, actor, document_id)
        scan = decode_pdf_base64(scan_pdf_base64, field="scan_pdf_base64")
        return workflow.record_seal(self.db, self.store, actor, document_id, scan, utc_now,
                                    get_settings().max_attachment_bytes)

    # -- case-level access (domain/access.py) -------------------------------------------------------

    def _standings(self, token: str) -> StandingCache:
        """The caller's standing on a case, asked of casefile with the caller's own token (once per case)."""
        return StandingCache(lambda case_id: self.casefile.case_standing(token=token, case_id=case_id))

    def _case_of(self, actor: Principal, document_id: object) -> str | None:
        """The case of a document of the caller's court; None if there is none (the workflow then says so)."""
        if not isinstance(document_id, str):
            return None
        with self.db() as uow:
            return uow.execute(select(documents_table.c.case_id).where(
                documents_table.c.document_id == document_id,
                documents_table.c.court_id == actor.court_id)).scalar_one_or_none()

    def _require_case_access(self, token: str, actor: Principal, document_id: object) -> None:
        case_id = self._case_of(actor, document_id)
        if case_id is not None:
            require_involved(actor, self._standings(token)(case_id))

    @staticmethod
    def _involved(standings: StandingCache, case_id: str) -> bool:
        try:
            return standings(case_id).involved
        except NotFound:  # casefile no longer knows the case: nothing to show
            return False

    # -- publication (casefile encodes the text for the portal) ----------------------------------

    @rpc
    def document_text(self, token: str, document_id: str) -> dict[str, Any]:
        """The text of a document's signed version, in reading order, for publication (Resolution 03/2017).

        Example payload: ``{"token": "...", "document_id": "VB-..."}``; returns ``{"document_id": "VB-...",
        "case_id": "79KV01-2026-000001-43", "kind": "judgment", "title": "BẢN ÁN SƠ THẨM", "status": "in_effect",
        "version_no": 4, "sha256": "9f2c...", "number": "01/2026/TLST-DS", "issued_on": "2026-11-27",
        "text": "TÒA ÁN NHÂN DÂN ...\\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\n..."}``. A document not yet signed
        by every required signer is ``RequestRejected`` (``document.not_in_effect``). Like every RPC on a
        document, only for the people of its case (``domain/access.py``); another court's is ``NotFound``.
        """
        actor = self.auth(token, *STAFF_ROLES)
        self._require_case_access(token, actor, document_id)
        return signed_text.document_text(self.db, actor, document_id)
