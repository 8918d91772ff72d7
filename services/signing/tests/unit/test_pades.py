"""PAdES signing and verification: what is valid stays valid, and every kind of tampering is reported."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader, PdfWriter

from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.testing.documents import blank_pdf
from ecourt_signing.adapters import dev_ca
from ecourt_signing.adapters.dev_ca import DevCertificateAuthority
from ecourt_signing.domain.credentials import SignerIdentity
from ecourt_signing.domain.pades import sign_pdf, verify_pdf

pytestmark = pytest.mark.unit

JUDGE = SignerIdentity(user_id="u-judge-1", court_id="79KV01", display_name="Nguyễn Văn An")
CLERK = SignerIdentity(user_id="u-clerk-1", court_id="79KV01", display_name="Trần Thị Bình")


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> DevCertificateAuthority:
    authority = DevCertificateAuthority(tmp_path_factory.mktemp("ca"))
    authority.prepare()
    return authority


@pytest.fixture(scope="module")
def signed(ca: DevCertificateAuthority) -> bytes:
    return sign_pdf(blank_pdf(pages=2), ca.credential_for(JUDGE))


def append_annotation(pdf: bytes) -> bytes:
    """An incremental update, as an editor would save it: a note on page 1, after the signature."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    note = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Annot"),
        generic.NameObject("/Subtype"): generic.NameObject("/Text"),
        generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(v) for v in (10, 10, 50, 50)]),
        generic.NameObject("/Contents"): generic.TextStringObject("Sửa lại mức bồi thường"),
    })
    kept = list(page.get("/Annots", ()))  # dropping the signature's widget would be a shadow attack (hide)
    page[generic.NameObject("/Annots")] = generic.ArrayObject([*kept, writer.add_object(note)])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def append_page_with_pypdf(pdf: bytes) -> bytes:
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_sign_then_verify_is_valid_intact_and_trusted(ca: DevCertificateAuthority, signed: bytes) -> None:
    original = blank_pdf(pages=2)
    assert signed.startswith(original)  # an incremental update: the original bytes are untouched
    result = verify_pdf(signed, ca.trust_roots())
    assert (result.signed, result.intact, result.valid, result.trusted) == (True, True, True, True)
    assert not result.modified_after_signing
    assert result.ok and result.reasons == []
    assert result.signer_name == "Nguyễn Văn An"
    assert result.signed_at is not None
    assert abs(result.signed_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert [s.field_name for s in result.signatures] == ["Signature1"]
    assert result.signatures[0].coverage == "ENTIRE_FILE"


def test_the_signature_is_pades_with_sha256(signed: bytes) -> None:
    reader = PdfFileReader(io.BytesIO(signed))
    sig = reader.embedded_signatures[0]
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert sig.field_name == "Signature1"
    assert sig.md_algorithm == "sha256"
    assert len(PdfReader(io.BytesIO(signed)).pages) == 2


def test_a_second_signature_keeps_the_first_valid(ca: DevCertificateAuthority, signed: bytes) -> None:
    twice = sign_pdf(signed, ca.credential_for(CLERK))
    result = verify_pdf(twice, ca.trust_roots())
    assert result.ok, result.reasons
    assert [s.field_name for s in result.signatures] == ["Signature1", "Signature2"]
    assert [s.signer_name for s in result.signatures] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert result.signer_name == "Trần Thị Bình"  # the latest


def test_an_annotation_appended_after_signing_is_caught(ca: DevCertificateAuthority, signed: bytes) -> None:
    result = verify_pdf(append_annotation(signed), ca.trust_roots())
    assert result.intact and result.valid and result.trusted  # the signed revision itself is untouched
    assert result.modified_after_signing
    assert not result.ok
    assert "document.modified_after_signing" in [f.code for f in result.findings]
    assert any("thay đổi sau khi" in r and "changed after" in r for r in result.reasons)


def test_a_page_appended_with_pypdf_after_signing_is_caught(ca: DevCertificateAuthority, signed: bytes) -> None:
    tampered = append_page_with_pypdf(signed)
    assert len(PdfReader(io.BytesIO(tampered)).pages) == 3
    result = verify_pdf(tampered, ca.trust_roots())
    assert result.intact and result.modified_after_signing and not result.ok


def test_a_change_between_two_signatures_is_caught(ca: DevCertificateAuthority, signed: bytes) -> None:
    """A later signature does not launder what was slipped in before it."""
    resigned = sign_pdf(append_page_with_pypdf(signed), ca.credential_for(CLERK))
    result = verify_pdf(resigned, ca.trust_roots())
    assert [s.modified_after_signing for s in result.signatures] == [True, False]
    assert result.modified_after_signing and not result.ok


def test_a_changed_byte_in_the_signed_content_breaks_integrity(ca: DevCertificateAuthority, signed: bytes) -> None:
    at = signed.index(b"/MediaBox")
    tampered = signed[:at] + signed[at:].replace(b"842", b"843", 1)
    assert len(tampered) == len(signed)
    result = verify_pdf(tampered, ca.trust_roots())
    assert result.signed and not result.intact and not result.ok
    assert "signature.not_intact" in [f.code for f in result.findings]


@pytest.mark.parametrize("root_name", ["Foreign Root CA", dev_ca.ROOT_COMMON_NAME])
def test_a_signature_from_a_foreign_ca_is_untrusted(ca: DevCertificateAuthority, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, root_name: str) -> None:
    """Another self-signed CA, with its own name or impersonating ours, is not the court's."""
    monkeypatch.setattr(dev_ca, "ROOT_COMMON_NAME", root_name)
    foreign = DevCertificateAuthority(tmp_path / "foreign")
    signed_elsewhere = sign_pdf(blank_pdf(), foreign.credential_for(JUDGE))
    result = verify_pdf(signed_elsewhere, ca.trust_roots())
    assert result.signed and result.intact and result.valid
    assert not result.trusted and not result.ok
    assert result.signer_name == "Nguyễn Văn An"
    assert "signature.untrusted" in [f.code for f in result.findings]
    assert verify_pdf(signed_elsewhere, foreign.trust_roots()).ok  # trusted by whoever trusts that root


def test_an_unsigned_pdf_is_reported_as_not_signed(ca: DevCertificateAuthority) -> None:
    result = verify_pdf(blank_pdf(), ca.trust_roots())
    assert not result.signed and not result.ok
    assert result.to_dict()["reason_codes"] == ["document.not_signed"]
    assert result.reasons == ["Tài liệu chưa được ký số. / the document carries no digital signature"]


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(blank_pdf()))
    writer.encrypt("mat-khau")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(("data", "code"), [
    (b"", "pdf.empty"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "pdf.not_pdf"),
    ("Đơn khởi kiện".encode(), "pdf.not_pdf"),
    (b"%PDF-1.7\nthis is not really a pdf", "pdf.unreadable"),
    (encrypted_pdf(), "pdf.encrypted"),
])
def test_what_is_not_a_readable_plain_pdf_is_refused(ca: DevCertificateAuthority, data: bytes, code: str) -> None:
    for attempt in (lambda: sign_pdf(data, ca.credential_for(JUDGE)), lambda: verify_pdf(data, ca.trust_roots())):
        with pytest.raises(RequestRejected) as refused:
            attempt()
        [error] = refused.value.errors
        assert (error.field, error.code) == ("pdf", code)
        assert error.message_vi and error.message_en and error.message_vi != error.message_en


def test_a_file_over_the_limit_is_refused(ca: DevCertificateAuthority) -> None:
    with pytest.raises(RequestRejected) as refused:
        sign_pdf(blank_pdf(padding_bytes=2000), ca.credential_for(JUDGE), max_bytes=1000)
    assert refused.value.errors[0].code == "pdf.too_large"
