"""Shadow attacks (hide, replace, hide-and-replace) crafted for real, and the changes that are allowed.

Each attack document is built the way an attacker would: the payload is prepared in the revision the
judge signs (an overlay covering a sentence, a stream no page shows yet, a second page tree nobody
references), then a small incremental update after the signature activates it. The signature stays
intact and valid in every case: only the change analysis can tell, and the verdict must name the attack
in Vietnamese and English.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.signers import PdfTimeStamper
from pypdf import PdfReader

from ecourt_shared.testing.documents import blank_pdf
from ecourt_signing.adapters.dev_ca import DevCertificateAuthority
from ecourt_signing.domain.credentials import SignerIdentity
from ecourt_signing.domain.pades import sign_pdf, verify_pdf
from ecourt_signing.domain.verification import VerificationResult

pytestmark = pytest.mark.unit

JUDGE = SignerIdentity(user_id="u-judge-1", court_id="79KV01", display_name="Nguyễn Văn An")
CLERK = SignerIdentity(user_id="u-clerk-1", court_id="79KV01", display_name="Trần Thị Bình")
N = generic.NameObject

REAL = b"BT /F1 14 Tf 72 700 Td (Phat tien 100.000.000 dong) Tj ET"
COVER = b"1 1 1 rg 60 690 400 30 re f BT 0 0 0 rg /F1 14 Tf 72 700 Td (Phat tien 1.000.000 dong) Tj ET"
DORMANT = b"BT /F1 14 Tf 72 650 Td (Bi don phai tra toan bo chi phi) Tj ET"
SWAPPED = b"BT /F1 14 Tf 72 700 Td (Dinh chi giai quyet vu an) Tj ET"


@dataclass(frozen=True)
class Bait:
    """The object numbers of what the attacker planted in the revision that gets signed."""

    pdf: bytes
    page: int
    cover: int
    real: int
    dormant: int
    font: int
    other_tree: int
    hidden_note: int
    layers: int
    field_widget: int
    field_appearance: int


def revise(pdf: bytes, change: Callable[[IncrementalPdfFileWriter], None]) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stream(writer: IncrementalPdfFileWriter, data: bytes, **entries: generic.PdfObject) -> generic.IndirectObject:
    obj = generic.StreamObject({N(f"/{k}"): v for k, v in entries.items()}, stream_data=data)
    return writer.add_object(obj)


def rect(*values: float) -> generic.ArrayObject:
    return generic.ArrayObject([generic.FloatObject(v) for v in values])


def build_bait() -> Bait:
    """One page that shows 1.000.000 (the cover) over 100.000.000 (the real line), plus the dormant payloads."""
    numbers: dict[str, int] = {}

    def plant(writer: IncrementalPdfFileWriter) -> None:
        font = writer.add_object(generic.DictionaryObject({
            N("/Type"): N("/Font"), N("/Subtype"): N("/Type1"), N("/BaseFont"): N("/Helvetica")}))
        resources = generic.DictionaryObject({N("/Font"): generic.DictionaryObject({N("/F1"): font})})
        real, cover, dormant = stream(writer, REAL), stream(writer, COVER), stream(writer, DORMANT)
        page_ref = writer.root["/Pages"]["/Kids"].raw_get(0)
        page = page_ref.get_object()
        page[N("/Contents")] = generic.ArrayObject([real, cover])
        page[N("/Resources")] = resources
        # A note that is there but hidden (flag 2), waiting to be switched on.
        note = writer.add_object(generic.DictionaryObject({
            N("/Type"): N("/Annot"), N("/Subtype"): N("/FreeText"), N("/Rect"): rect(72, 600, 400, 630),
            N("/F"): generic.NumberObject(2), N("/Contents"): generic.TextStringObject("Đã thi hành xong"),
            N("/DA"): generic.TextStringObject("/Helv 12 Tf 0 g")}))
        # A text field with its own appearance stream (a form an attacker could redefine).
        appearance = stream(writer, b"BT /F1 10 Tf 2 4 Td (Ghi chu) Tj ET", Type=N("/XObject"),
                            Subtype=N("/Form"), BBox=rect(0, 0, 200, 20), Resources=resources)
        widget = writer.add_object(generic.DictionaryObject({
            N("/Type"): N("/Annot"), N("/Subtype"): N("/Widget"), N("/FT"): N("/Tx"),
            N("/T"): generic.TextStringObject("ghi_chu"), N("/Rect"): rect(72, 500, 272, 520),
            N("/F"): generic.NumberObject(4), N("/P"): page_ref,
            N("/DA"): generic.TextStringObject("/Helv 10 Tf 0 g"),
            N("/AP"): generic.DictionaryObject({N("/N"): appearance})}))
        page[N("/Annots")] = generic.ArrayObject([note, widget])
        writer.update_container(page)
        writer.root[N("/AcroForm")] = generic.DictionaryObject({N("/Fields"): generic.ArrayObject([widget])})
        # A second page tree nobody references yet: the "replace" half of hide-and-replace.
        other_page = writer.add_object(generic.DictionaryObject({
            N("/Type"): N("/Page"), N("/MediaBox"): rect(0, 0, 595, 842), N("/Resources"): resources,
            N("/Contents"): stream(writer, SWAPPED)}))
        other_tree = writer.add_object(generic.DictionaryObject({
            N("/Type"): N("/Pages"), N("/Kids"): generic.ArrayObject([other_page]),
            N("/Count"): generic.NumberObject(1)}))
        other_page.get_object()[N("/Parent")] = other_tree
        # A layer switched off by default.
        layer = writer.add_object(generic.DictionaryObject({
            N("/Type"): N("/OCG"), N("/Name"): generic.TextStringObject("Lớp ẩn")}))
        layers = writer.add_object(generic.DictionaryObject({
            N("/OCGs"): generic.ArrayObject([layer]),
            N("/D"): generic.DictionaryObject({N("/OFF"): generic.ArrayObject([layer])})}))
        writer.root[N("/OCProperties")] = layers
        writer.update_root()
        numbers.update(page=page_ref.idnum, cover=cover.idnum, real=real.idnum, dormant=dormant.idnum,
                       font=font.idnum, other_tree=other_tree.idnum, hidden_note=note.idnum, layers=layers.idnum,
                       field_widget=widget.idnum, field_appearance=appearance.idnum)

    return Bait(pdf=revise(blank_pdf(), plant), **numbers)


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> DevCertificateAuthority:
    authority = DevCertificateAuthority(tmp_path_factory.mktemp("ca"))
    authority.prepare()
    return authority


@pytest.fixture(scope="module")
def bait() -> Bait:
    return build_bait()


@pytest.fixture(scope="module")
def signed(ca: DevCertificateAuthority, bait: Bait) -> bytes:
    """The judge signs what she sees (an approval signature)."""
    return sign_pdf(bait.pdf, ca.credential_for(JUDGE))


@pytest.fixture(scope="module")
def certified(ca: DevCertificateAuthority, bait: Bait) -> bytes:
    """The judge certifies it (DocMDP: form filling and further signatures allowed), as the workflow does."""
    return sign_pdf(bait.pdf, ca.credential_for(JUDGE), certify=True)


def obj(writer: IncrementalPdfFileWriter, number: int) -> generic.PdfObject:
    return generic.IndirectObject(number, 0, writer).get_object()


def overwrite_stream(writer: IncrementalPdfFileWriter, number: int, data: bytes) -> None:
    original = obj(writer, number)
    assert isinstance(original, generic.StreamObject)
    replacement = generic.StreamObject({k: v for k, v in original.items() if k not in ("/Length", "/Filter")},
                                       stream_data=data)
    writer.objects[(0, number)] = replacement  # the same object number, new content: (generation, number)


def page_of(writer: IncrementalPdfFileWriter, bait: Bait) -> generic.DictionaryObject:
    page = obj(writer, bait.page)
    assert isinstance(page, generic.DictionaryObject)
    return page


def verdict_of(result: VerificationResult, code: str, label_en: str, label_vi: str) -> None:
    """The verdict names the attack, in Vietnamese and English, and the document is not accepted."""
    assert result.intact and result.valid and result.trusted, result.reasons  # the signature itself holds
    assert not result.ok and result.modified_after_signing
    assert result.to_dict()["reason_codes"] == [code]
    [reason] = result.reasons
    assert label_vi in reason and label_en in reason, reason
    assert result.to_dict()["changes_en"] == label_en and result.to_dict()["changes_vi"].startswith(label_vi)


def test_the_bait_itself_signs_and_verifies_clean(ca: DevCertificateAuthority, signed: bytes,
                                                  certified: bytes) -> None:
    for pdf in (signed, certified):
        result = verify_pdf(pdf, ca.trust_roots())
        assert result.ok, result.reasons
        assert result.changes == "none"
    text = PdfReader(io.BytesIO(signed)).pages[0].extract_text()
    assert "1.000.000" in text  # what the judge saw on top


# -- hide -------------------------------------------------------------------------------------------------


def drop_cover(bait: Bait) -> Callable[[IncrementalPdfFileWriter], None]:
    def change(writer: IncrementalPdfFileWriter) -> None:
        page = page_of(writer, bait)
        page[N("/Contents")] = generic.ArrayObject([generic.IndirectObject(bait.real, 0, writer)])
        writer.update_container(page)
    return change


def revive_dormant(bait: Bait) -> Callable[[IncrementalPdfFileWriter], None]:
    def change(writer: IncrementalPdfFileWriter) -> None:
        page = page_of(writer, bait)
        page[N("/Contents")] = generic.ArrayObject([generic.IndirectObject(n, 0, writer)
                                                    for n in (bait.real, bait.cover, bait.dormant)])
        writer.update_container(page)
    return change


def show_hidden_note(bait: Bait) -> Callable[[IncrementalPdfFileWriter], None]:
    def change(writer: IncrementalPdfFileWriter) -> None:
        note = obj(writer, bait.hidden_note)
        assert isinstance(note, generic.DictionaryObject)
        note[N("/F")] = generic.NumberObject(4)
        writer.update_container(note)
    return change


def switch_layer_on(bait: Bait) -> Callable[[IncrementalPdfFileWriter], None]:
    def change(writer: IncrementalPdfFileWriter) -> None:
        layers = obj(writer, bait.layers)
        assert isinstance(layers, generic.DictionaryObject)
        layers[N("/D")] = generic.DictionaryObject({N("/OFF"): generic.ArrayObject()})
        writer.update_container(layers)
    return change


def crop_away(bait: Bait) -> Callable[[IncrementalPdfFileWriter], None]:
    def change(writer: IncrementalPdfFileWriter) -> None:
        page = page_of(writer, bait)
        page[N("/CropBox")] = rect(0, 0, 595, 680)  # the line at y=700 falls outside what is shown
        writer.update_container(page)
    return change


@pytest.mark.parametrize("attack", [drop_cover, revive_dormant, show_hidden_note, switch_layer_on, crop_away])
def test_hide_attacks_are_named(ca: DevCertificateAuthority, bait: Bait, signed: bytes,
                                attack: Callable[[Bait], Callable[[IncrementalPdfFileWriter], None]]) -> None:
    result = verify_pdf(revise(signed, attack(bait)), ca.trust_roots())
    verdict_of(result, "shadow.hide", "shadow attack: hide", "Tấn công che giấu")
    assert result.changes == "shadow_hide"


def test_dropping_the_cover_really_shows_the_hidden_line(bait: Bait, signed: bytes) -> None:
    """The crafted attack is a real one: after the update a reader shows the other amount."""
    text = PdfReader(io.BytesIO(revise(signed, drop_cover(bait)))).pages[0].extract_text()
    assert "100.000.000" in text and "1.000.000 dong" not in text


# -- replace ----------------------------------------------------------------------------------------------


def rewrite_real_line(bait: Bait) -> Callable[[IncrementalPdfFileWriter], None]:
    return lambda writer: overwrite_stream(writer, bait.real, b"BT /F1 14 Tf 72 700 Td (Khong phat tien) Tj ET")


def redefine_font(bait: Bait) -> Callable[[IncrementalPdfFileWriter], None]:
    def change(writer: IncrementalPdfFileWriter) -> None:
        font = obj(writer, bait.font)
        assert isinstance(font, generic.DictionaryObject)
        font[N("/BaseFont")] = N("/Courier")
        font[N("/Encoding")] = generic.DictionaryObject({N("/Differences"): generic.ArrayObject(
            [generic.NumberObject(49), N("/zero")])})  # every "1" now draws as "0"
        writer.update_container(font)
    return change


def redraw_field_appearance(bait: Bait) -> Callable[[IncrementalPdfFileWriter], None]:
    return lambda writer: overwrite_stream(writer, bait.field_appearance,
                                           b"BT /F1 10 Tf 2 4 Td (Da nop du an phi) Tj ET")


def point_font_elsewhere(bait: Bait) -> Callable[[IncrementalPdfFileWriter], None]:
    def change(writer: IncrementalPdfFileWriter) -> None:
        other = writer.add_object(generic.DictionaryObject({
            N("/Type"): N("/Font"), N("/Subtype"): N("/Type1"), N("/BaseFont"): N("/Symbol")}))
        page = page_of(writer, bait)
        page[N("/Resources")] = generic.DictionaryObject({N("/Font"): generic.DictionaryObject({N("/F1"): other})})
        writer.update_container(page)
    return change


@pytest.mark.parametrize("attack", [rewrite_real_line, redefine_font, redraw_field_appearance, point_font_elsewhere])
def test_replace_attacks_are_named(ca: DevCertificateAuthority, bait: Bait, signed: bytes,
                                   attack: Callable[[Bait], Callable[[IncrementalPdfFileWriter], None]]) -> None:
    result = verify_pdf(revise(signed, attack(bait)), ca.trust_roots())
    verdict_of(result, "shadow.replace", "shadow attack: replace", "Tấn công thay thế")
    assert result.signatures[0].change_details  # which object, for the expert


def test_a_replace_is_named_even_where_the_certification_allows_form_filling(
        ca: DevCertificateAuthority, bait: Bait, certified: bytes) -> None:
    """Redrawing a field's existing appearance is not "filling the form": the signed object itself changed."""
    result = verify_pdf(revise(certified, redraw_field_appearance(bait)), ca.trust_roots())
    verdict_of(result, "shadow.replace", "shadow attack: replace", "Tấn công thay thế")


# -- hide-and-replace --------------------------------------------------------------------------------------


def swap_page_tree(bait: Bait) -> Callable[[IncrementalPdfFileWriter], None]:
    def change(writer: IncrementalPdfFileWriter) -> None:
        writer.root[N("/Pages")] = generic.IndirectObject(bait.other_tree, 0, writer)
        writer.update_root()
    return change


def swap_catalog(bait: Bait) -> Callable[[IncrementalPdfFileWriter], None]:
    def change(writer: IncrementalPdfFileWriter) -> None:
        catalog = writer.add_object(generic.DictionaryObject({
            N("/Type"): N("/Catalog"), N("/Pages"): generic.IndirectObject(bait.other_tree, 0, writer),
            N("/AcroForm"): writer.root.raw_get("/AcroForm")}))  # keeps the signature fields: still "signed"
        writer._root = catalog  # the trailer's /Root: pyHanko's writer has no public setter for it
    return change


@pytest.mark.parametrize("attack", [swap_page_tree, swap_catalog])
def test_hide_and_replace_attacks_are_named(ca: DevCertificateAuthority, bait: Bait, signed: bytes,
                                            attack: Callable[[Bait], Callable[[IncrementalPdfFileWriter], None]]
                                            ) -> None:
    tampered = revise(signed, attack(bait))
    assert "Dinh chi" in PdfReader(io.BytesIO(tampered)).pages[0].extract_text()  # a different document shows
    result = verify_pdf(tampered, ca.trust_roots())
    verdict_of(result, "shadow.hide_and_replace", "shadow attack: hide-and-replace",
               "Tấn công che giấu và thay thế")


# -- allowed, and plain modification -----------------------------------------------------------------------


def fill_the_field(bait: Bait) -> Callable[[IncrementalPdfFileWriter], None]:
    """Form filling as a viewer does it: a value and a *new* appearance stream."""
    def change(writer: IncrementalPdfFileWriter) -> None:
        widget = obj(writer, bait.field_widget)
        assert isinstance(widget, generic.DictionaryObject)
        fresh = stream(writer, b"BT /Helv 10 Tf 2 4 Td (Da nhan) Tj ET", Type=N("/XObject"), Subtype=N("/Form"),
                       BBox=rect(0, 0, 200, 20))
        widget[N("/V")] = generic.TextStringObject("Đã nhận")
        widget[N("/AP")] = generic.DictionaryObject({N("/N"): fresh})
        writer.update_container(widget)
    return change


def test_form_filling_is_allowed_by_the_certification(ca: DevCertificateAuthority, bait: Bait,
                                                      certified: bytes) -> None:
    result = verify_pdf(revise(certified, fill_the_field(bait)), ca.trust_roots())
    assert result.ok, (result.reasons, [s.change_details for s in result.signatures])
    assert result.changes == "allowed"
    assert result.to_dict()["signatures"][0]["changes_en"].startswith("only permitted changes")


def test_form_filling_after_an_approval_signature_is_a_modification(ca: DevCertificateAuthority, bait: Bait,
                                                                    signed: bytes) -> None:
    """Without a certification nothing but further signatures is permitted after the judge signed."""
    result = verify_pdf(revise(signed, fill_the_field(bait)), ca.trust_roots())
    assert not result.ok and result.changes == "modified"
    assert result.to_dict()["reason_codes"] == ["document.modified_after_signing"]
    assert result.to_dict()["changes_vi"] == "Cập nhật gia tăng làm thay đổi nội dung"


def test_a_later_signature_and_a_document_timestamp_are_allowed(ca: DevCertificateAuthority,
                                                                certified: bytes) -> None:
    countersigned = sign_pdf(certified, ca.credential_for(CLERK))
    out = io.BytesIO()
    PdfTimeStamper(ca.timestamper()).timestamp_pdf(IncrementalPdfFileWriter(io.BytesIO(countersigned)), "sha256",
                                                   output=out)
    result = verify_pdf(out.getvalue(), ca.trust_roots())
    assert result.ok, result.reasons
    assert [s.changes for s in result.signatures] == ["allowed", "allowed"]
    assert result.changes == "allowed"


def test_a_shadow_attack_between_two_signatures_is_not_laundered(ca: DevCertificateAuthority, bait: Bait,
                                                                 signed: bytes) -> None:
    resigned = sign_pdf(revise(signed, drop_cover(bait)), ca.credential_for(CLERK))
    result = verify_pdf(resigned, ca.trust_roots())
    assert [s.changes for s in result.signatures] == ["shadow_hide", "none"]
    assert not result.ok and "shadow.hide" in result.to_dict()["reason_codes"]


def test_a_new_page_is_a_plain_modification(ca: DevCertificateAuthority, bait: Bait, signed: bytes) -> None:
    def add_page(writer: IncrementalPdfFileWriter) -> None:
        pages = writer.root["/Pages"]
        page = writer.add_object(generic.DictionaryObject({
            N("/Type"): N("/Page"), N("/MediaBox"): rect(0, 0, 595, 842), N("/Parent"): writer.root.raw_get("/Pages"),
            N("/Contents"): stream(writer, b"BT /F1 14 Tf 72 700 Td (Trang them) Tj ET")}))
        pages[N("/Kids")] = generic.ArrayObject([*pages["/Kids"], page])
        pages[N("/Count")] = generic.NumberObject(len(pages["/Kids"]))
        writer.update_container(pages)

    result = verify_pdf(revise(signed, add_page), ca.trust_roots())
    assert result.changes == "modified" and not result.ok
    assert result.to_dict()["reason_codes"] == ["document.modified_after_signing"]
