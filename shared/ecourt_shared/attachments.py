"""Uploaded files are judged by their content, never by their file name (intake's attachments, casefile's uploads).

PDFs are opened with pypdf (encrypted or unreadable files are refused, pages counted). PNG and JPEG scans
are recognised by their signatures and their header structure (Pillow is not a dependency): a PNG must
start with its IHDR chunk and declare a non-zero size, a JPEG must have a frame header and end marker.
"""

from __future__ import annotations

import base64
import binascii
import io
import struct
from dataclasses import dataclass

from ecourt_shared.contracts.errors import FieldError


def decode_base64(content: str, field: str) -> bytes | FieldError:
    """The bytes of an uploaded file sent as base64, or the error naming ``<field>.content_base64``."""
    try:
        return base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        return FieldError(field=f"{field}.content_base64", code="attachment.bad_encoding",
                          message_vi="Nội dung tệp không phải base64 hợp lệ.",
                          message_en="the file content is not valid base64")

PDF_MAGIC = b"%PDF-"

# The types accepted, by their leading bytes. Intake passes its own table (reception_rules.yaml), which must
# name the same three types: the checks below know how to look inside exactly these.
DEFAULT_MAGIC_NUMBERS: dict[str, list[bytes]] = {
    "application/pdf": [PDF_MAGIC],
    "image/png": [b"\x89PNG\r\n\x1a\n"],
    "image/jpeg": [b"\xff\xd8\xff"],
}


@dataclass(frozen=True)
class CheckedPdf:
    data: bytes
    page_count: int


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    page_count: int


def _error(field: str, code: str, vi: str, en: str) -> FieldError:
    return FieldError(field=field, code=code, message_vi=vi, message_en=en)


def _size_error(data: bytes, max_bytes: int, field: str) -> FieldError | None:
    if len(data) == 0:
        return _error(field, "attachment.empty", "Tệp đính kèm rỗng.", "the attachment is empty")
    if len(data) > max_bytes:
        return _error(field, "attachment.too_large", f"Tệp đính kèm {len(data)} byte vượt giới hạn {max_bytes} byte.",
                      f"the attachment has {len(data)} bytes, more than the limit of {max_bytes}")
    return None


def check_pdf(data: bytes, max_bytes: int, field: str = "attachment") -> CheckedPdf | FieldError:
    too_big_or_empty = _size_error(data, max_bytes, field)
    if too_big_or_empty:
        return too_big_or_empty
    if not data[:1024].lstrip().startswith(PDF_MAGIC):
        return _error(field, "attachment.not_pdf", "Tệp đính kèm không phải PDF (kiểm tra theo nội dung tệp).",
                      "the attachment is not a PDF (judged by its content)")
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return _error(field, "attachment.encrypted", "Tệp PDF bị mã hóa.", "the PDF is encrypted")
        pages = len(reader.pages)
    except Exception as exc:  # pypdf raises many types for broken files; all mean "unreadable"
        return _error(field, "attachment.unreadable_pdf", f"Không đọc được tệp PDF: {type(exc).__name__}.",
                      f"the PDF cannot be read: {type(exc).__name__}")
    if pages < 1:
        return _error(field, "attachment.no_pages", "Tệp PDF không có trang nào.", "the PDF has no pages")
    return CheckedPdf(data=data, page_count=pages)


def _png_ok(data: bytes) -> bool:
    if len(data) < 33 or data[12:16] != b"IHDR":
        return False
    width, height = struct.unpack(">II", data[16:24])
    return width > 0 and height > 0


def _jpeg_ok(data: bytes) -> bool:
    sof_markers = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
    has_frame = any(data.find(bytes([0xFF, m])) > 1 for m in sof_markers)
    return has_frame and data.rstrip(b"\x00").endswith(b"\xff\xd9")


def check_attachment(data: bytes, max_bytes: int, field: str,
                     magic: dict[str, list[bytes]] | None = None) -> CheckedFile | FieldError:
    """A PDF, PNG or JPEG judged by content; anything else is refused with the types accepted."""
    too_big_or_empty = _size_error(data, max_bytes, field)
    if too_big_or_empty:
        return too_big_or_empty
    head = data[:1024].lstrip() if data[:1024].lstrip().startswith(PDF_MAGIC) else data[:16]
    content_type = next((ctype for ctype, magics in (magic or DEFAULT_MAGIC_NUMBERS).items()
                         if any(head.startswith(m) for m in magics)), None)
    if content_type is None:
        return _error(field, "attachment.unsupported_type",
                      "Tệp đính kèm không phải PDF, PNG hay JPEG (kiểm tra theo nội dung tệp).",
                      "the attachment is not a PDF, PNG or JPEG (judged by its content)")
    if content_type == "application/pdf":
        pdf = check_pdf(data, max_bytes, field)
        return pdf if isinstance(pdf, FieldError) else CheckedFile(data, content_type, pdf.page_count)
    if not (_png_ok(data) if content_type == "image/png" else _jpeg_ok(data)):
        return _error(field, "attachment.corrupt_image", f"Tệp ảnh {content_type} bị hỏng hoặc không đầy đủ.",
                      f"the {content_type} image is corrupt or truncated")
    return CheckedFile(data, content_type, 1)
