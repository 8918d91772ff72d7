"""Attachments are judged by their content, never by their file name."""

from __future__ import annotations

import io
from dataclasses import dataclass

from ecourt_shared.contracts.errors import FieldError

PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class CheckedPdf:
    data: bytes
    page_count: int


def check_pdf(data: bytes, max_bytes: int, field: str = "attachment") -> CheckedPdf | FieldError:
    if len(data) == 0:
        return FieldError(field=field, code="attachment.empty", message_vi="Tệp đính kèm rỗng.",
                          message_en="the attachment is empty")
    if len(data) > max_bytes:
        return FieldError(field=field, code="attachment.too_large",
                          message_vi=f"Tệp đính kèm {len(data)} byte vượt giới hạn {max_bytes} byte.",
                          message_en=f"the attachment has {len(data)} bytes, more than the limit of {max_bytes}")
    if not data[:1024].lstrip().startswith(PDF_MAGIC):
        return FieldError(field=field, code="attachment.not_pdf",
                          message_vi="Tệp đính kèm không phải PDF (kiểm tra theo nội dung tệp).",
                          message_en="the attachment is not a PDF (judged by its content)")
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return FieldError(field=field, code="attachment.encrypted", message_vi="Tệp PDF bị mã hóa.",
                              message_en="the PDF is encrypted")
        pages = len(reader.pages)
    except Exception as exc:  # pypdf raises many types for broken files; all mean "unreadable"
        return FieldError(field=field, code="attachment.unreadable_pdf",
                          message_vi=f"Không đọc được tệp PDF: {type(exc).__name__}.",
                          message_en=f"the PDF cannot be read: {type(exc).__name__}")
    if pages < 1:
        return FieldError(field=field, code="attachment.no_pages", message_vi="Tệp PDF không có trang nào.",
                          message_en="the PDF has no pages")
    return CheckedPdf(data=data, page_count=pages)
