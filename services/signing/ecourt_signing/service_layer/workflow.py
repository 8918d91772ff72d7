"""Drafting, the signature workflow and the seal step, each use case one transaction.

A document is drafted from a template (versions 1..n, each a rendered PDF), then signed step by step in
the template's order; the first signature certifies (locks) the content. A step is signed only by the
role it names, only on the exact version the signer reviewed (``reviewed_sha256``), only with a valid
certificate; the signed PDF, the step, the document's status and the ``document_signed`` event commit
together, so a refused or failed signature leaves nothing behind. The document is *in effect* when its
last required signature is stored; if it needs the court's seal it then waits in the seal queue until
the clerk records the physical seal with a scan.

The bytes of every version (drafts, signed PDFs, the seal scan) are uploaded to the court's bucket before
the transaction that records them commits (``stored_bytes``); PostgreSQL keeps the reference and the hash.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ecourt_shared.auth import Principal, Role
from ecourt_shared.contracts.errors import NotFound, PermissionDenied, RequestRejected
from ecourt_shared.contracts.signing import DocumentSealedV1, DocumentSignedV1
from ecourt_shared.db import UnitOfWork, UnitOfWorkFactory
from ecourt_shared.storage import ObjectStore
from ecourt_signing.adapters.dev_ca import NoCertificate
from ecourt_signing.adapters.keystore import KeyStore
from ecourt_signing.adapters.orm import document_versions, documents, seal_queue, workflow_steps
from ecourt_signing.domain.credentials import SignerIdentity
from ecourt_signing.domain.pades import sign_pdf, timestamp_of
from ecourt_signing.domain.pdf_input import open_pdf
from ecourt_signing.domain.stamp import StampText
from ecourt_signing.domain.templates import clean_fields, render_pdf, template
from ecourt_signing.service_layer.stored_bytes import upload_pdf, version_columns, version_pdf

ROLE_OF = {"judge": Role.JUDGE, "president": Role.PRESIDENT, "clerk": Role.CLERK}
DRAFTERS = (Role.JUDGE, Role.PRESIDENT, Role.CLERK)
Clock = Callable[[], datetime]


def _load(uow: UnitOfWork, actor: Principal, document_id: object, *, lock: bool = False) -> Any:
    if not isinstance(document_id, str):
        raise RequestRejected.single("document_id", "field.required", "Thiếu mã văn bản.", "document_id is required")
    query = select(documents).where(documents.c.document_id == document_id,
                                    documents.c.court_id == actor.court_id)
    row = uow.execute(query.with_for_update() if lock else query).first()
    if row is None:  # another court's document is "not found", never "forbidden": no probing
        raise NotFound({"message_vi": "Không tìm thấy văn bản.", "message_en": f"no document {document_id}"})
    return row


def _version(uow: UnitOfWork, document_id: str, version_no: int) -> Any:
    return uow.execute(select(document_versions).where(document_versions.c.document_id == document_id,
                                                       document_versions.c.version_no == version_no)).one()


def _steps(uow: UnitOfWork, document_id: str) -> list[Any]:
    return list(uow.execute(select(workflow_steps).where(workflow_steps.c.document_id == document_id)
                            .order_by(workflow_steps.c.step)))


def state(uow: UnitOfWork, doc: Any) -> dict[str, Any]:
    tpl = template(doc.kind)
    steps = _steps(uow, doc.document_id)
    current = _version(uow, doc.document_id, doc.current_version)
    pending = [s for s in steps if s.signed_by is None]
    return {"document_id": doc.document_id, "case_id": doc.case_id, "kind": doc.kind, "title": doc.title,
            "status": doc.status, "current_version": doc.current_version, "current_sha256": current.sha256,
            "needs_seal": doc.needs_seal, "legal_basis_vi": tpl.legal_basis_vi, "legal_basis_en": tpl.legal_basis_en,
            "workflow": [{"step": s.step, "role": s.role, "certify": s.certify, "signed_by": s.signed_by,
                          "signer_name": s.signer_name,
                          "signed_at": s.signed_at.isoformat() if s.signed_at else None} for s in steps],
            "next_role": pending[0].role if pending else None}


def _court_name(uow: UnitOfWork, doc: Any) -> str:
    """The court's name as the latest draft states it (the signature stamp's court line), else the court's id."""
    fields = uow.execute(select(document_versions.c.fields)
                         .where(document_versions.c.document_id == doc.document_id,
                                document_versions.c.kind == "draft")
                         .order_by(document_versions.c.version_no.desc()).limit(1)).scalar()
    return str((fields or {}).get("court_name") or doc.court_id)


def create_draft(uows: UnitOfWorkFactory, store: ObjectStore, actor: Principal, case_id: object, kind: object,
                 fields: object, now: Clock) -> dict[str, Any]:
    tpl = template(kind)
    values = clean_fields(tpl.kind, fields)
    if values["case_id"] != case_id:
        raise RequestRejected.single("fields.case_id", "field.mismatch", "Mã vụ án trong nội dung khác mã vụ án "
                                     "của văn bản.", "fields.case_id differs from the document's case_id")
    document_id = f"VB-{uuid.uuid4().hex[:20]}"
    pdf = render_pdf(tpl.kind, values, document_id=document_id, version=1)
    stored = upload_pdf(store, actor.court_id, pdf)
    moment = now()
    with uows() as uow:
        uow.execute(documents.insert().values(
            document_id=document_id, court_id=actor.court_id, case_id=values["case_id"], kind=tpl.kind,
            title=tpl.title_vi, status="draft", current_version=1, needs_seal=tpl.needs_seal,
            created_by=actor.user_id, created_at=moment, updated_at=moment))
        uow.execute(document_versions.insert().values(
            document_id=document_id, version_no=1, kind="draft", fields=values, **version_columns(stored),
            created_by=actor.user_id, created_at=moment))
        for i, role in enumerate(tpl.signers, start=1):
            uow.execute(workflow_steps.insert().values(document_id=document_id, step=i, role=role,
                                                       certify=tpl.certify_first and i == 1))
        result = state(uow, _load(uow, actor, document_id))
        uow.commit()
    return result


def update_draft(uows: UnitOfWorkFactory, store: ObjectStore, actor: Principal, document_id: object,
                 fields: object, base_version: object, now: Clock) -> dict[str, Any]:
    with uows() as uow:
        doc = _load(uow, actor, document_id, lock=True)
        if doc.status != "draft":
            raise RequestRejected.single("document_id", "document.not_draft", "Văn bản đã bắt đầu được ký; không "
                                         "sửa được nữa.", "signing has started: the draft can no longer be edited")
        if base_version != doc.current_version:
            raise RequestRejected.single("base_version", "draft.stale", f"Bản nháp đã có phiên bản mới hơn "
                                         f"({doc.current_version}).", f"the draft has a newer version "
                                         f"({doc.current_version}) than the one edited")
        values = clean_fields(doc.kind, fields)
        if values["case_id"] != doc.case_id:
            raise RequestRejected.single("fields.case_id", "field.mismatch", "Không được đổi mã vụ án của văn bản.",
                                         "the document's case_id cannot change")
        version_no = doc.current_version + 1
        pdf = render_pdf(doc.kind, values, document_id=doc.document_id, version=version_no)
        stored = upload_pdf(store, doc.court_id, pdf)  # before the row: a failed upload leaves no version
        moment = now()
        uow.execute(document_versions.insert().values(
            document_id=doc.document_id, version_no=version_no, kind="draft", fields=values,
            **version_columns(stored), created_by=actor.user_id, created_at=moment))
        uow.execute(documents.update().where(documents.c.document_id == doc.document_id)
                    .values(current_version=version_no, updated_at=moment))
        result = state(uow, _load(uow, actor, doc.document_id))
        uow.commit()
    return result


def get_document(uows: UnitOfWorkFactory, store: ObjectStore, actor: Principal, document_id: object,
                 version_no: object = None) -> tuple[dict[str, Any], bytes]:
    with uows() as uow:
        doc = _load(uow, actor, document_id)
        wanted = doc.current_version if version_no is None else version_no
        if not isinstance(wanted, int) or not 1 <= wanted <= doc.current_version:
            raise RequestRejected.single("version_no", "version.unknown", "Không có phiên bản này.",
                                         f"no version {version_no}")
        return state(uow, doc), version_pdf(store, _version(uow, doc.document_id, wanted))


def sign(uows: UnitOfWorkFactory, store: ObjectStore, actor: Principal, keys: KeyStore, document_id: object,
         reviewed_sha256: object, now: Clock, max_bytes: int) -> dict[str, Any]:
    """Sign the document's next step as ``actor``; everything or nothing is stored."""
    with uows() as uow:
        doc = _load(uow, actor, document_id, lock=True)  # concurrent signers of one document queue here
        steps = _steps(uow, doc.document_id)
        pending = [s for s in steps if s.signed_by is None]
        if not pending:
            raise RequestRejected.single("document_id", "workflow.complete", "Văn bản đã đủ chữ ký.",
                                         "the document already carries every required signature")
        step = pending[0]
        if ROLE_OF[step.role] not in actor.roles:
            raise RequestRejected.single(
                "document_id", "workflow.out_of_order",
                f"Chưa đến lượt ký của bạn: bước {step.step} dành cho {step.role}.",
                f"not your turn: step {step.step} is for the {step.role}")
        if any(s.signed_by == actor.user_id for s in steps):
            raise RequestRejected.single("document_id", "workflow.same_signer", "Một người không ký hai bước.",
                                         "one person may not sign two steps of the same document")
        current = _version(uow, doc.document_id, doc.current_version)
        if reviewed_sha256 != current.sha256:
            raise RequestRejected.single(
                "reviewed_sha256", "document.changed_since_review",
                "Văn bản đã thay đổi kể từ khi bạn xem; hãy xem lại phiên bản hiện tại trước khi ký.",
                "the document changed since you reviewed it; review the current version before signing")
        identity = SignerIdentity(user_id=actor.user_id, court_id=actor.court_id, display_name=actor.display_name)
        try:
            credential = keys.credential_for(identity)
        except NoCertificate:
            raise RequestRejected.single("signer", "signer.no_certificate", "Bạn chưa được cấp chứng thư số để ký.",
                                         "you have no signing certificate") from None
        moment = now()
        if not credential.not_before <= moment <= credential.not_after:
            raise RequestRejected.single(
                "signer", "signer.certificate_expired",
                f"Chứng thư số của bạn không còn hiệu lực (hết hạn {credential.not_after:%d/%m/%Y}).",
                f"your signing certificate is not valid now (valid until {credential.not_after:%Y-%m-%d})")
        signed = sign_pdf(version_pdf(store, current), credential, max_bytes=max_bytes, location=actor.court_id,
                          timestamper=keys.timestamper(), certify=step.certify,
                          stamp=StampText(credential.subject_name, step.role, _court_name(uow, doc), moment))
        signed_at = timestamp_of(signed) or moment
        version_no = doc.current_version + 1
        in_effect = len(pending) == 1
        status = "in_effect" if in_effect else "signing"
        stored = upload_pdf(store, doc.court_id, signed)  # before the row: a failed upload leaves no version
        uow.execute(document_versions.insert().values(
            document_id=doc.document_id, version_no=version_no, kind="signed", fields=None,
            **version_columns(stored), created_by=actor.user_id, created_at=moment))
        uow.execute(workflow_steps.update().where(workflow_steps.c.document_id == doc.document_id,
                                                  workflow_steps.c.step == step.step)
                    .values(signed_by=actor.user_id, signer_name=credential.subject_name,
                            certificate_serial=credential.serial_hex, signed_at=signed_at, version_no=version_no))
        uow.execute(documents.update().where(documents.c.document_id == doc.document_id)
                    .values(current_version=version_no, status=status, updated_at=moment))
        if in_effect and doc.needs_seal:
            uow.execute(seal_queue.insert().values(document_id=doc.document_id, court_id=doc.court_id,
                                                   queued_at=moment))
        uow.emit(DocumentSignedV1(
            court_id=doc.court_id, case_id=doc.case_id, document_id=doc.document_id, kind=doc.kind, title=doc.title,
            version_no=version_no, sha256=stored.sha256, size_bytes=stored.size, step=step.step,
            signer_user_id=actor.user_id, signer_role=step.role, signer_name=credential.subject_name,
            certificate_serial=credential.serial_hex, signed_at=signed_at, in_effect=in_effect,
            needs_seal=doc.needs_seal, bucket=stored.bucket, object_key=stored.key))
        result = state(uow, _load(uow, actor, doc.document_id))
        uow.commit()
    return result


def sign_batch(uows: UnitOfWorkFactory, store: ObjectStore, actor: Principal, keys: KeyStore, items: object,
               now: Clock, max_bytes: int) -> list[dict[str, Any]]:
    """Sign many documents (a judge's 200 summonses): each in its own transaction, each result reported."""
    if not isinstance(items, list) or not items or len(items) > 500:
        raise RequestRejected.single("items", "batch.size", "Danh sách ký phải có từ 1 đến 500 văn bản.",
                                     "items must list 1 to 500 documents")
    results: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            results.append({"index": i, "ok": False, "errors": [{"field": f"items.{i}", "code": "field.not_object"}]})
            continue
        try:
            done = sign(uows, store, actor, keys, item.get("document_id"), item.get("reviewed_sha256"), now, max_bytes)
            results.append({"index": i, "ok": True, "document": done})
        except (RequestRejected, NotFound) as exc:
            errors = ([e.model_dump() for e in exc.errors] if isinstance(exc, RequestRejected)
                      else [{"field": "document_id", "code": "document.not_found"}])
            results.append({"index": i, "ok": False, "document_id": item.get("document_id"), "errors": errors})
    return results


def pending_seals(uows: UnitOfWorkFactory, actor: Principal) -> list[dict[str, Any]]:
    with uows() as uow:
        rows = uow.execute(select(seal_queue, documents.c.case_id, documents.c.title, documents.c.kind)
                           .join(documents, documents.c.document_id == seal_queue.c.document_id)
                           .where(seal_queue.c.court_id == actor.court_id, seal_queue.c.sealed_at.is_(None))
                           .order_by(seal_queue.c.queued_at)).all()
        return [{"document_id": r.document_id, "case_id": r.case_id, "title": r.title, "kind": r.kind,
                 "queued_at": r.queued_at.isoformat()} for r in rows]


def record_seal(uows: UnitOfWorkFactory, store: ObjectStore, actor: Principal, document_id: object, scan: bytes,
                now: Clock, max_bytes: int) -> dict[str, Any]:
    if Role.CLERK not in actor.roles:
        raise PermissionDenied({"message_vi": "Chỉ thư ký ghi nhận việc đóng dấu.",
                                "message_en": "only a clerk records the seal"})
    open_pdf(scan, max_bytes)  # the scan of the sealed paper is a PDF, judged by content
    with uows() as uow:
        doc = _load(uow, actor, document_id, lock=True)
        queued = uow.execute(select(seal_queue).where(seal_queue.c.document_id == doc.document_id)).first()
        if queued is None or queued.sealed_at is not None:
            raise RequestRejected.single("document_id", "seal.not_queued", "Văn bản không chờ đóng dấu.",
                                         "the document is not waiting for the seal")
        stored = upload_pdf(store, doc.court_id, scan)  # before the row: a failed upload records no seal
        moment = now()
        uow.execute(seal_queue.update().where(seal_queue.c.document_id == doc.document_id)
                    .values(sealed_at=moment, sealed_by=actor.user_id, scan=None, scan_sha256=stored.sha256,
                            scan_bucket=stored.bucket, scan_object_key=stored.key))
        uow.execute(documents.update().where(documents.c.document_id == doc.document_id)
                    .values(status="sealed", updated_at=moment))
        uow.emit(DocumentSealedV1(court_id=doc.court_id, case_id=doc.case_id, document_id=doc.document_id,
                                  kind=doc.kind, title=doc.title, sealed_by=actor.user_id, sealed_at=moment,
                                  scan_sha256=stored.sha256, sealed_by_name=actor.display_name,
                                  scan_bucket=stored.bucket, scan_object_key=stored.key,
                                  scan_size_bytes=stored.size))
        result = state(uow, _load(uow, actor, doc.document_id))
        uow.commit()
    return result


def identify(uows: UnitOfWorkFactory, revision_hashes: list[str]) -> dict[str, Any] | None:
    """Which stored signed version one of these revision hashes is (latest first): case, document, status."""
    if not revision_hashes:
        return None
    with uows() as uow:
        rows = uow.execute(select(document_versions.c.document_id, document_versions.c.version_no,
                                  document_versions.c.sha256, documents.c.case_id, documents.c.court_id,
                                  documents.c.kind, documents.c.title, documents.c.status,
                                  documents.c.current_version)
                           .join(documents, documents.c.document_id == document_versions.c.document_id)
                           .where(document_versions.c.sha256.in_(revision_hashes),
                                  document_versions.c.kind == "signed")).all()
    if not rows:
        return None
    best = min(rows, key=lambda r: revision_hashes.index(r.sha256))
    return {"document_id": best.document_id, "case_id": best.case_id, "court_id": best.court_id, "kind": best.kind,
            "title": best.title, "version_no": best.version_no, "status": best.status,
            "latest_version": best.version_no == best.current_version}
