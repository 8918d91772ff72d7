"""The visible signature stamp: Vietnamese intact, one box per signer, signatures still valid."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pypdf import PdfReader

from ecourt_signing.adapters.dev_ca import DevCertificateAuthority
from ecourt_signing.domain import stamp as stamp_module
from ecourt_signing.domain.credentials import SignerIdentity
from ecourt_signing.domain.pades import sign_pdf, verify_pdf
from ecourt_signing.domain.stamp import StampText, stamp_box, stamp_texts
from ecourt_signing.domain.templates import render_pdf, sample_fields

pytestmark = pytest.mark.unit

COURT = "Tòa án nhân dân Khu vực 1 - Thành phố Hồ Chí Minh"
SIGNERS = [("u-judge", "Phạm Minh Tuấn", "judge"), ("u-pres", "Đặng Thị Hương", "president"),
           ("u-clerk", "Vũ Ngọc Ánh", "clerk")]
AT = datetime(2026, 11, 27, 3, 15, 30, tzinfo=UTC)  # 10:15:30 in Vietnam


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> DevCertificateAuthority:
    authority = DevCertificateAuthority(tmp_path_factory.mktemp("ca"))
    authority.prepare()
    return authority


def sign_as(ca: DevCertificateAuthority, pdf: bytes, who: tuple[str, str, str], *, certify: bool = False) -> bytes:
    user_id, name, role = who
    credential = ca.credential_for(SignerIdentity(user_id=user_id, court_id="79KV01", display_name=name))
    return sign_pdf(pdf, credential, certify=certify, stamp=StampText(name, role, COURT, AT))


@pytest.fixture(scope="module")
def judgment(ca: DevCertificateAuthority) -> bytes:
    """A judgment signed as the workflow does: the judge certifies, the president and the clerk follow."""
    pdf = render_pdf("judgment", sample_fields("judgment"))
    for i, who in enumerate(SIGNERS):
        pdf = sign_as(ca, pdf, who, certify=i == 0)
    return pdf


def test_three_stamped_signatures_verify_and_are_all_allowed(ca: DevCertificateAuthority, judgment: bytes) -> None:
    result = verify_pdf(judgment, ca.trust_roots())
    assert result.ok, result.reasons
    assert [s.signer_name for s in result.signatures] == [name for _, name, _ in SIGNERS]
    assert [s.changes for s in result.signatures] == ["allowed", "allowed", "none"]


def test_each_stamp_says_who_in_what_capacity_for_which_court_and_when(judgment: bytes) -> None:
    texts = stamp_texts(judgment)
    assert list(texts) == ["Signature1", "Signature2", "Signature3"]
    judge = texts["Signature1"]
    assert judge[0] == "Đã ký số bởi / Digitally signed by"
    assert judge[1] == "PHẠM MINH TUẤN"  # diacritics intact through the embedded font's ToUnicode map
    assert judge[2] == "Thẩm phán / Judge"
    assert " ".join(judge[3:-1]) == COURT  # a long court name wraps, it is not cut
    assert judge[-1] == "Thời gian ký / Signed: 27/11/2026 10:15:30 (UTC+7)"
    assert texts["Signature2"][1:3] == ["ĐẶNG THỊ HƯƠNG", "Chánh án / President of the court"]
    assert texts["Signature3"][1:3] == ["VŨ NGỌC ÁNH", "Thư ký Tòa án / Court clerk"]
    assert all("\ufffd" not in line for lines in texts.values() for line in lines)


def widgets(pdf: bytes) -> list[tuple[str, tuple[float, ...], int]]:
    """(field, rect, page index) of each signature widget."""
    reader = PdfFileReader(io.BytesIO(pdf))
    pages = [ref.idnum for ref in (reader.find_page_for_modification(i)[0] for i in range(
        len(PdfReader(io.BytesIO(pdf)).pages)))]
    out = []
    for name, _value, ref in enumerate_sig_fields(reader):
        widget = ref.get_object()
        out.append((str(name), tuple(float(v) for v in widget["/Rect"]), pages.index(widget.raw_get("/P").idnum)))
    return out


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_stamps_sit_side_by_side_on_the_last_page_and_never_overlap(judgment: bytes) -> None:
    found = widgets(judgment)
    last = len(PdfReader(io.BytesIO(judgment)).pages) - 1
    assert [page for _, _, page in found] == [last] * 3
    rects = [rect for _, rect, _ in found]
    assert all(not overlap(a, b) for i, a in enumerate(rects) for b in rects[i + 1:])
    assert all(r[0] >= 0 and r[2] <= 595.28 and r[1] >= 0 and r[3] <= 841.89 for r in rects)


def test_boxes_wrap_to_a_new_row_and_stay_disjoint_for_many_signers() -> None:
    rects = [stamp_box(n, 595.28) for n in range(1, 10)]
    assert all(not overlap(a, b) for i, a in enumerate(rects) for b in rects[i + 1:])
    assert rects[3][1] > rects[0][3]  # the fourth starts a row above the first three


def test_the_stamp_font_is_embedded_not_left_to_the_readers_machine(judgment: bytes) -> None:
    reader = PdfFileReader(io.BytesIO(judgment))
    _name, _value, ref = next(iter(enumerate_sig_fields(reader)))
    fonts = ref.get_object()["/AP"]["/N"]["/Resources"]["/Font"]
    for key in list(fonts):
        font = fonts[key]
        assert font["/Subtype"] == "/Type0" and font["/Encoding"] == "/Identity-H"
        descriptor = font["/DescendantFonts"][0]["/FontDescriptor"]
        assert "/FontFile2" in descriptor and str(descriptor["/FontName"]).endswith(("Regular", "Bold"))


def test_a_batch_by_one_signer_subsets_the_font_once(ca: DevCertificateAuthority) -> None:
    """Same signer, role and court, different times: one font subset serves the whole batch."""
    who = ("u-judge-batch", "Trương Thị Ngọc Hà", "judge")
    sign_as(ca, render_pdf("summons", sample_fields("summons"), document_id="b-0"), who)
    cached = len(stamp_module._subsets)
    for i in range(1, 6):
        signed = sign_as(ca, render_pdf("summons", sample_fields("summons"), document_id=f"b-{i}"), who)
        assert verify_pdf(signed, ca.trust_roots()).ok
    assert len(stamp_module._subsets) == cached


def test_redrawing_a_stamp_after_signing_is_a_replace_attack(ca: DevCertificateAuthority, judgment: bytes) -> None:
    """The judge's stamp is part of what the judge signed: painting another name over it is caught."""
    reader = PdfFileReader(io.BytesIO(judgment))
    _name, _value, ref = next(iter(enumerate_sig_fields(reader)))
    appearance_ref = ref.get_object()["/AP"].raw_get("/N")
    writer = IncrementalPdfFileWriter(io.BytesIO(judgment))
    original = appearance_ref.get_object()
    writer.objects[(0, appearance_ref.idnum)] = generic.StreamObject(
        {k: v for k, v in original.items() if k not in ("/Length", "/Filter")},
        stream_data=b"BT /StB 9 Tf 10 40 Td <0001> Tj ET")
    out = io.BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue(), ca.trust_roots())
    assert not result.ok and "shadow.replace" in result.to_dict()["reason_codes"]


def test_a_thirty_page_judgment_gets_its_stamp_on_the_last_page(ca: DevCertificateAuthority) -> None:
    paragraph = "Hội đồng xét xử nhận định yêu cầu khởi kiện của nguyên đơn là có căn cứ một phần. " * 3
    fields = {**sample_fields("judgment"), "reasoning": "\n".join(f"{n}. {paragraph}" for n in range(1, 280))}
    pdf = render_pdf("judgment", fields)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages > 20
    signed = sign_as(ca, pdf, SIGNERS[0], certify=True)
    assert verify_pdf(signed, ca.trust_roots()).ok
    assert widgets(signed)[0][2] == pages - 1
