"""Attachments are judged by their content, never by their file name.

The checks live in ``ecourt_shared.attachments`` (casefile checks its uploads with the same code); intake
uses them with the accepted types of its reception rules (``data/reception_rules.yaml``).
"""

from __future__ import annotations

from ecourt_intake.domain.rules import magic_numbers
from ecourt_shared.attachments import PDF_MAGIC, CheckedFile, CheckedPdf, check_pdf, decode_base64
from ecourt_shared.attachments import check_attachment as _check_attachment
from ecourt_shared.contracts.errors import FieldError

__all__ = ["PDF_MAGIC", "CheckedFile", "CheckedPdf", "check_attachment", "check_pdf", "decode_base64"]


def check_attachment(data: bytes, max_bytes: int, field: str) -> CheckedFile | FieldError:
    """A PDF, PNG or JPEG judged by content (types as reception_rules.yaml lists them)."""
    return _check_attachment(data, max_bytes, field, magic_numbers())
