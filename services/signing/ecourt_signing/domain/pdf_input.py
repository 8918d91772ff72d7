"""What may be signed or verified: a readable, unencrypted PDF, judged by its content."""

from __future__ import annotations

import base64
import binascii
import io

from pyhanko.pdf_utils.reader import PdfFileReader

from ecourt_shared.contracts.errors import FieldError, RequestRejected

PDF_MAGIC = b"%PDF-"
FIELD = "pdf"


def _error(code: str, message_vi: str, message_en: str, field: str = FIELD) -> RequestRejected:
    return RequestRejected.of([FieldError(field=field, code=code, message_vi=message_vi, message_en=message_en)])


def decode_pdf_base64(raw: object, field: str = "pdf_base64") -> bytes:
    if not isinstance(raw, str):
        raise _error("pdf.bad_encoding", "Nội dung tệp phải là chuỗi base64.",
                     "the file content must be a base64 string", field)
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise _error("pdf.bad_encoding", "Nội dung tệp không phải base64 hợp lệ.",
                     "the file content is not valid base64", field) from None


def open_pdf(data: bytes, max_bytes: int) -> PdfFileReader:
    """A pyHanko reader on ``data``, or :class:`RequestRejected` (field ``pdf``) saying what is wrong."""
    if len(data) == 0:
        raise _error("pdf.empty", "Tệp rỗng.", "the file is empty")
    if len(data) > max_bytes:
        raise _error("pdf.too_large", f"Tệp {len(data)} byte vượt giới hạn {max_bytes} byte.",
                     f"the file has {len(data)} bytes, more than the limit of {max_bytes}")
    if not data[:1024].lstrip().startswith(PDF_MAGIC):
        raise _error("pdf.not_pdf", "Tệp không phải PDF (kiểm tra theo nội dung tệp).",
                     "the file is not a PDF (judged by its content)")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        encrypted = reader.encrypted
        if not encrypted:
            reader.root  # noqa: B018 - resolving the catalog proves the cross-reference table is usable
    except Exception as exc:  # a broken file raises many types; all mean "unreadable"
        raise _error("pdf.unreadable", f"Không đọc được tệp PDF: {type(exc).__name__}.",
                     f"the PDF cannot be read: {type(exc).__name__}") from None
    if encrypted:
        raise _error("pdf.encrypted", "Tệp PDF bị mã hóa; hãy gửi bản không đặt mật khẩu.",
                     "the PDF is encrypted; send a copy without a password")
    return reader
