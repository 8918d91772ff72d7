"""The text of a document's signed version, for publication on the portal (casefile encodes it).

A signed version is the last draft, rendered, with signatures added: the draft's fields are the words of the
signed PDF. The text is read back from those fields in the order the PDF shows them (``templates.render_pdf``):
the court and the national motto, the number, place and date, the title, the case, the body paragraphs, the
signature block. Only a document whose every required signature is stored (``in_effect`` or ``sealed``) has a
text to publish; a draft or a document still being signed is refused, naming why.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ecourt_shared.auth import Principal
from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_signing.adapters.orm import document_versions
from ecourt_signing.domain.templates import paragraphs, template
from ecourt_signing.service_layer.workflow import _load

EFFECTIVE = ("in_effect", "sealed")


def reading_order(kind: str, fields: dict[str, str]) -> list[str]:
    """The lines of the rendered document, top to bottom (as ``render_pdf`` lays them out)."""
    tpl = template(kind)
    return [fields["court_name"].upper(), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
            f"Số: {fields['acceptance_number']}", f"{fields['place']}, ngày {fields['issued_on']}", tpl.title_vi,
            f"Mã vụ án: {fields['case_id']}", *paragraphs(kind, fields), "THẨM PHÁN", "(Ký số)",
            fields["judge_name"]]


def document_text(uows: UnitOfWorkFactory, actor: Principal, document_id: object) -> dict[str, Any]:
    """The signed version's text and what identifies it (its number, sha256, the case), or why there is none."""
    with uows() as uow:
        doc = _load(uow, actor, document_id)
        if doc.status not in EFFECTIVE:
            raise RequestRejected.single(
                "document_id", "document.not_in_effect",
                "Văn bản chưa được ký đủ bởi những người phải ký; chưa có bản để công bố.",
                "the document does not yet carry every required signature: there is no signed text to publish")
        versions = uow.execute(select(document_versions.c.version_no, document_versions.c.kind,
                                      document_versions.c.fields, document_versions.c.sha256)
                               .where(document_versions.c.document_id == doc.document_id)
                               .order_by(document_versions.c.version_no)).all()
    signed = versions[-1]  # once signing starts no draft follows: the latest version is the last signature's
    draft = next(v for v in reversed(versions) if v.kind == "draft")  # the content every signature covers
    fields: dict[str, str] = dict(draft.fields)
    return {"document_id": doc.document_id, "case_id": doc.case_id, "kind": doc.kind, "title": doc.title,
            "status": doc.status, "version_no": signed.version_no, "sha256": signed.sha256,
            "number": fields["acceptance_number"], "issued_on": fields["issued_on"],
            "text": "\n".join(reading_order(doc.kind, fields))}
