"""Real PDFs for tests (made with pypdf, not hand-typed bytes)."""

from __future__ import annotations

import io


def blank_pdf(pages: int = 1, padding_bytes: int = 0) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if padding_bytes:
        writer.add_metadata({"/ecourtPadding": "x" * padding_bytes})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def petition(key: str, *, plaintiff_cccd: str = "079090001234", defendant_cccd: str = "079185004321",
             case_type: str = "DS") -> dict[str, object]:
    """A valid civil petition body (without the attachment), real-format identifiers."""
    return {
        "idempotency_key": key, "case_type": case_type, "subject": "Tranh chấp hợp đồng vay tài sản",
        "parties": [
            {"role": "plaintiff", "full_name": "Nguyễn Văn An", "cccd": plaintiff_cccd,
             "date_of_birth": "1990-05-01", "sex": "male", "phone": "0912345678"},
            {"role": "defendant", "full_name": "Trần Thị Bình", "cccd": defendant_cccd},
        ],
    }
