"""PAdES baseline signatures on PDFs, and their verification, with pyHanko.

Signing always appends an incremental update, so earlier signatures on the document stay valid; each
signature gets its own field (``Signature1``, ``Signature2``, ...), invisible, or visible with a stamp
whose box is chosen by the field's number.

Verification answers separately: is it signed, are the signed bytes unchanged (*intact*), does the
cryptographic signature hold (*valid*), does the certificate chain to a root the court trusts
(*trusted*), and was anything but a further signature appended after signing (*modified after
signing* — an incremental update leaves the signature intact, so it must be checked on its own).
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from asn1crypto import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import (
    CatalogModificationRule,
    DiffResult,
    DocInfoRule,
    DSSCompareRule,
    FormUpdatingRule,
    GenericFieldModificationRule,
    MetadataUpdateRule,
    ModificationLevel,
    ObjectStreamRule,
    SigFieldCreationRule,
    SigFieldModificationRule,
    StandardDiffPolicy,
    XrefStreamRule,
)
from pyhanko.sign.fields import MDPPerm, SigFieldSpec, SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext

from ecourt_shared.contracts.errors import RequestRejected
from ecourt_signing.domain.credentials import SigningCredential
from ecourt_signing.domain.pdf_input import open_pdf
from ecourt_signing.domain.shadow import find_shadow_attacks
from ecourt_signing.domain.stamp import StampAppearance, StampText, stamp_box
from ecourt_signing.domain.verification import Finding, SignatureReport, VerificationResult

FIELD_PREFIX = "Signature"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_TOKEN_BYTES = 8192  # a timestamp token from a TSA whose certificate chain we do not know
DEFAULT_REASON = "Ký số văn bản tố tụng / Digital signature on a court document"
# Appending these after a signature is not a change of the signed document (PAdES: DSS, document timestamps).
_HARMLESS_LEVELS = {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES}

# pyHanko's DEFAULT_DIFF_POLICY, except that a *visible* signature field may be created after a certification
# signature: ISO 32000-1 § 12.8.2.2 (Table 254, P = 2) permits "filling in forms, instantiating page templates,
# and signing", and Acrobat accepts a new visible signature there; pyHanko's default is stricter than both.
# Without this, the president's and the clerk's stamps would void the judge's certification. An *unsigned*
# visible signature field (an overlay disguised as one) is still refused by ``_changes_after``.
COURT_DIFF_POLICY = StandardDiffPolicy(
    global_rules=[
        CatalogModificationRule(),
        DocInfoRule().as_qualified(ModificationLevel.LTA_UPDATES),
        XrefStreamRule().as_qualified(ModificationLevel.LTA_UPDATES),
        ObjectStreamRule().as_qualified(ModificationLevel.LTA_UPDATES),
        DSSCompareRule().as_qualified(ModificationLevel.LTA_UPDATES),
        MetadataUpdateRule().as_qualified(ModificationLevel.LTA_UPDATES),
    ],
    form_rule=FormUpdatingRule(field_rules=[SigFieldCreationRule(allow_new_visible_after_certify=True),
                                            SigFieldModificationRule(), GenericFieldModificationRule()]),
)

# pyHanko's synchronous API runs ``asyncio.run`` inside. In a nameko worker every greenthread shares one OS
# thread, and with it asyncio's "running loop" slot: two overlapping calls would collide. One call at a time;
# the lock is made at first use, after the runner's eventlet.monkey_patch(), so that it is a green lock there.
_guard_lock: threading.Lock | None = None
_guard_init = threading.Lock()


@contextmanager
def _one_at_a_time() -> Iterator[None]:
    global _guard_lock
    if _guard_lock is None:
        with _guard_init:
            if _guard_lock is None:
                _guard_lock = threading.Lock()
    with _guard_lock:
        yield


def sign_pdf(pdf_bytes: bytes, signer: SigningCredential, *, max_bytes: int = DEFAULT_MAX_BYTES,
             reason: str = DEFAULT_REASON, location: str | None = None, timestamper: TimeStamper | None = None,
             certify: bool = False, field_name: str | None = None, stamp: StampText | None = None) -> bytes:
    """Return ``pdf_bytes`` with a PAdES signature appended by ``signer``.

    Baseline B-B, or B-T when ``timestamper`` is given (a trusted time in the signature: ``signed_at``).
    ``certify`` makes it the document's certification signature (DocMDP, ISO 32000 § 12.8.2.2): it locks
    the content, and only further signatures may be added afterwards. ``stamp`` makes the signature
    visible: a stamp with the signer's name, role, court and time in the field's own box at the foot of
    the last page (:mod:`ecourt_signing.domain.stamp`; one box per field, so signers never overlap).

    The fast path, compared with pyHanko's default usage (``signers.sign_pdf(writer, meta, signer=...)``):
    the signer keeps its key loaded (:class:`~ecourt_signing.domain.credentials.LoadedKeySigner`) and the
    signature container is sized from the certificates it will embed, so pyHanko makes no dry-run
    signature (and asks the TSA for no dummy token) to measure it.

    Raises :class:`~ecourt_shared.contracts.errors.RequestRejected` (field ``pdf``) for anything that is
    not a readable, unencrypted PDF, or a document whose certification forbids further signatures.
    """
    reader = open_pdf(pdf_bytes, max_bytes)
    if certify and reader.embedded_signatures:
        raise _rejected("document.already_signed", "Chỉ chữ ký đầu tiên mới được là chữ ký chứng thực (khóa tài liệu).",
                        "only the first signature may be a certification signature (it locks the document)")
    locked = _docmdp_of(reader)
    if locked == MDPPerm.NO_CHANGES:
        raise _rejected("document.locked", "Tài liệu đã bị khóa bởi chữ ký chứng thực; không thể ký thêm.",
                        "the document is locked by its certification signature; no further signature is allowed")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), prev=reader)
    field = field_name or next_signature_field(reader)
    meta = PdfSignatureMetadata(field_name=field, md_algorithm="sha256",
                                subfilter=SigSeedSubFilter.PADES, reason=reason, location=location,
                                name=signer.subject_name or None, certify=certify,
                                docmdp_permissions=MDPPerm.FILL_FORMS)
    der_size = signer.signature_size() + (_token_size(timestamper) if timestamper is not None else 0)
    visible = _visible(reader, field, stamp) if stamp is not None else {}
    with _one_at_a_time():  # pyHanko's bytes_reserved counts the hex digits of /Contents: two per byte
        out = PdfSigner(meta, signer=signer.signer, timestamper=timestamper, **visible).sign_pdf(
            writer, bytes_reserved=2 * der_size)
    return bytes(out.getvalue())


def _visible(reader: PdfFileReader, field: str, stamp: StampText) -> dict[str, Any]:
    """PdfSigner's arguments for a visible stamp in a new field on the last page, boxed by the field's number."""
    suffix = field.removeprefix(FIELD_PREFIX)
    index = int(suffix) if suffix.isdigit() else len(list(enumerate_sig_fields(reader))) + 1
    try:
        page = reader.find_page_for_modification(-1)[0].get_object()
        box = page.get("/MediaBox") or reader.root["/Pages"].get("/MediaBox")
        width = float(box[2]) - float(box[0])
    except (KeyError, TypeError, ValueError, IndexError):
        width = 595.0  # A4
    style = StaticStampStyle(background=StampAppearance(stamp), border_width=0, background_opacity=1.0,
                             background_layout=SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MID,
                                                                   y_align=AxisAlignment.ALIGN_MID,
                                                                   margins=Margins()))
    spec = SigFieldSpec(sig_field_name=field, on_page=-1, box=stamp_box(index, width))
    return {"stamp_style": style, "new_field_spec": spec}


def _token_size(timestamper: TimeStamper) -> int:
    size = getattr(timestamper, "token_size", None)
    return int(size()) if callable(size) else DEFAULT_TOKEN_BYTES


def _docmdp_of(reader: PdfFileReader) -> MDPPerm | None:
    """The DocMDP permission of the document's certification signature, if it has one."""
    try:
        perms = reader.root.get("/Perms")
        if perms is None or "/DocMDP" not in perms:
            return None
        sig = perms["/DocMDP"]
        for ref in sig.get("/Reference", ()):
            ref = ref.get_object()
            if ref.get("/TransformMethod") == "/DocMDP":
                return MDPPerm(int(ref["/TransformParams"].get("/P", 2)))
    except (KeyError, ValueError, TypeError):
        return None
    return None


def _rejected(code: str, message_vi: str, message_en: str) -> RequestRejected:
    return RequestRejected.single("pdf", code, message_vi, message_en)


def next_signature_field(reader: PdfFileReader) -> str:
    """The first ``SignatureN`` that names no field yet (filled or not: never fill someone else's placeholder)."""
    taken = {name for name, _value, _ref in enumerate_sig_fields(reader)}
    n = 1
    while f"{FIELD_PREFIX}{n}" in taken:
        n += 1
    return f"{FIELD_PREFIX}{n}"


def verify_pdf(pdf_bytes: bytes, trust_roots: list[x509.Certificate], *,
               max_bytes: int = DEFAULT_MAX_BYTES, moment: datetime | None = None) -> VerificationResult:
    """Check every signature of the document against ``trust_roots`` (nothing is fetched from the network)."""
    reader = open_pdf(pdf_bytes, max_bytes)
    try:
        embedded = list(reader.embedded_regular_signatures)
    except Exception as exc:  # a malformed signature dictionary: report it, do not crash
        finding = Finding("signature.unreadable", f"Không đọc được chữ ký số trong tệp: {type(exc).__name__}.",
                          f"the signatures in the file cannot be read: {type(exc).__name__}")
        return VerificationResult(signed=True, intact=False, valid=False, trusted=False, signer_name=None,
                                  signed_at=None, modified_after_signing=False, findings=[finding])
    if not embedded:
        return VerificationResult(
            signed=False, intact=False, valid=False, trusted=False, signer_name=None, signed_at=None,
            modified_after_signing=False,
            findings=[Finding("document.not_signed", "Tài liệu chưa được ký số.",
                              "the document carries no digital signature")])

    reports: list[SignatureReport] = []
    findings: list[Finding] = []
    names = [str(sig.field_name) for sig in embedded]
    for i, sig in enumerate(embedded):
        report, problems = _check_signature(sig, trust_roots, moment, later_fields=set(names[i + 1:]))
        reports.append(report)
        findings.extend(problems)
    latest = reports[-1]
    return VerificationResult(
        signed=True, intact=all(r.intact for r in reports), valid=all(r.valid for r in reports),
        trusted=all(r.trusted for r in reports), signer_name=latest.signer_name, signed_at=latest.signed_at,
        modified_after_signing=any(r.modified_after_signing for r in reports), findings=findings,
        signatures=reports)


def _check_signature(sig: EmbeddedPdfSignature, trust_roots: list[x509.Certificate], moment: datetime | None,
                     later_fields: set[str]) -> tuple[SignatureReport, list[Finding]]:
    name = str(sig.field_name)
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False, moment=moment)
    try:
        with _one_at_a_time():
            status = validate_pdf_signature(sig, signer_validation_context=context, diff_policy=COURT_DIFF_POLICY)
    except Exception as exc:  # pyHanko raises for malformed CMS, unsupported algorithms, broken byte ranges
        report = SignatureReport(field_name=name, signer_name=None, signed_at=None, intact=False, valid=False,
                                 trusted=False, modified_after_signing=False, coverage="UNCLEAR",
                                 modification_level=None)
        return report, [Finding("signature.unreadable",
                                f"Không kiểm tra được chữ ký số {name}: {type(exc).__name__}: {exc}"[:300],
                                f"signature {name} cannot be checked: {type(exc).__name__}: {exc}"[:300])]
    signer_name = _common_name(status.signing_cert)
    changes, details = _changes_after(sig, status, later_fields)
    level = status.modification_level
    report = SignatureReport(
        field_name=name, signer_name=signer_name, signed_at=_signed_at(status), intact=status.intact,
        valid=status.valid, trusted=status.trusted, modified_after_signing=changes not in ("none", "allowed"),
        coverage=status.coverage.name if status.coverage is not None else "UNCLEAR",
        modification_level=level.name if level is not None else None, changes=changes,
        change_details=tuple(details))
    return report, _findings(report, status)


def _changes_after(sig: EmbeddedPdfSignature, status: PdfSignatureStatus,
                   later_fields: set[str]) -> tuple[str, list[str]]:
    """Classify what was appended after the signature: ``none``, ``allowed``, ``modified`` or a shadow attack.

    Our object-graph check (:mod:`ecourt_signing.domain.shadow`) runs first: a change pyHanko would accept
    in kind (a form fill) may still redefine a signed object. Then pyHanko's difference analysis and the
    certification (DocMDP, ISO 32000-1 § 12.8.2.2) decide whether the kind of change is permitted.
    """
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return "none", []
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return "modified", ["the byte range skips more than the signature itself"]
    try:
        shadow = find_shadow_attacks(sig.reader, sig.signed_revision)
    except Exception as exc:  # a structure too broken to walk cannot be vouched for
        return "modified", [f"the revisions after signing cannot be analysed: {type(exc).__name__}"]
    if shadow.attack is not None:
        return f"shadow_{shadow.attack.value}", shadow.details
    level = status.modification_level
    if level is None or status.docmdp_ok is False:
        return "modified", [f"pyHanko modification level {getattr(level, 'name', None)}, not permitted"]
    if level in _HARMLESS_LEVELS:
        return "allowed", []
    diff = status.diff_result
    if level == ModificationLevel.FORM_FILLING and isinstance(diff, DiffResult):
        if diff.changed_form_fields <= later_fields:
            return "allowed", []  # only the signature fields of later signers changed
        unsigned = {name for name, value, _ref in enumerate_sig_fields(sig.reader) if value is None}
        if diff.changed_form_fields & unsigned:  # an empty signature field drawn over the page: an overlay
            return "modified", [f"unsigned signature fields added or changed: "
                                f"{', '.join(sorted(diff.changed_form_fields & unsigned))}"]
        if _docmdp_of(sig.reader) in (MDPPerm.FILL_FORMS, MDPPerm.ANNOTATE):
            return "allowed", [f"form fields filled: {', '.join(sorted(diff.changed_form_fields))}"]
    if level == ModificationLevel.ANNOTATIONS and _docmdp_of(sig.reader) == MDPPerm.ANNOTATE:
        return "allowed", ["annotations added, as the certification permits"]
    return "modified", [f"pyHanko modification level {level.name}"]


def _findings(report: SignatureReport, status: PdfSignatureStatus) -> list[Finding]:
    name, who = report.field_name, report.signer_name or "?"
    found: list[Finding] = []
    if not report.intact:
        found.append(Finding("signature.not_intact",
                             f"Nội dung đã ký ({name}) bị thay đổi: chữ ký số không còn khớp với tài liệu.",
                             f"the signed content ({name}) was altered: the signature no longer matches"))
    elif not report.valid:
        found.append(Finding("signature.invalid", f"Chữ ký số {name} không hợp lệ về mật mã.",
                             f"signature {name} is cryptographically invalid"))
    if report.intact and report.valid and not report.trusted:
        indic = status.trust_problem_indic
        problem = getattr(indic, "name", str(indic)) if indic is not None else "UNKNOWN"  # an AdES sub-indication
        if status.revoked:
            found.append(Finding("signature.revoked", f"Chứng thư số của {who} ({name}) đã bị thu hồi.",
                                 f"the certificate of {who} ({name}) was revoked"))
        else:
            found.append(Finding(
                "signature.untrusted",
                f"Chứng thư số của {who} ({name}) không do tổ chức chứng thực mà Tòa án tin cậy cấp, "
                f"hoặc đã hết hiệu lực ({problem}).",
                f"the certificate of {who} ({name}) does not chain to a root the court trusts, or is no longer "
                f"valid ({problem})"))
    if report.changes in _SHADOW_TEXT:
        found.append(_SHADOW_TEXT[report.changes](who, name))
    elif report.modified_after_signing:
        found.append(Finding(
            "document.modified_after_signing",
            f"Tài liệu đã bị thay đổi sau khi {who} ký ({name}): có nội dung được thêm vào sau chữ ký.",
            f"the document was changed after {who} signed it ({name}): content was appended after the signature"))
    return found


_SHADOW_TEXT = {
    "shadow_hide": lambda who, name: Finding(
        "shadow.hide",
        f"Tấn công che giấu (shadow attack: hide): sau khi {who} ký ({name}), nội dung đã có sẵn trong bản được "
        f"ký bị làm hiện ra hoặc bị che đi (lớp phủ, lớp nội dung, cờ ẩn/hiện). Nội dung đang hiển thị có thể "
        f"khác nội dung đã ký.",
        f"shadow attack: hide — after {who} signed ({name}), content already in the signed revision was made "
        f"visible or hidden (overlay, layer, visibility flags); what is displayed may differ from what was signed"),
    "shadow_replace": lambda who, name: Finding(
        "shadow.replace",
        f"Tấn công thay thế (shadow attack: replace): sau khi {who} ký ({name}), một đối tượng của bản được ký "
        f"(nội dung trang, phông chữ, hình ảnh, hình thức hiển thị của trường biểu mẫu) bị định nghĩa lại.",
        f"shadow attack: replace — after {who} signed ({name}), an object of the signed revision (page content, "
        f"font, image, form field appearance) was redefined"),
    "shadow_hide_and_replace": lambda who, name: Finding(
        "shadow.hide_and_replace",
        f"Tấn công che giấu và thay thế (shadow attack: hide-and-replace): sau khi {who} ký ({name}), danh mục "
        f"hoặc cây trang của tài liệu bị thay: toàn bộ nội dung đang hiển thị không phải nội dung đã ký.",
        f"shadow attack: hide-and-replace — after {who} signed ({name}), the document catalog or page tree was "
        f"replaced: what is displayed is not what was signed"),
}


def _signed_at(status: PdfSignatureStatus) -> datetime | None:
    """A trusted timestamp if there is one, else the time the signer's software declared."""
    tst = status.timestamp_validity
    if tst is not None and tst.valid and tst.trusted:
        return tst.timestamp
    return status.signer_reported_dt


def _common_name(cert: x509.Certificate) -> str | None:
    value = cert.subject.native.get("common_name")
    return str(value) if value else None


def timestamp_of(pdf_bytes: bytes) -> datetime | None:
    """The time in the latest signature's RFC 3161 token (as the TSA vouched for it), if it has one."""
    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    signatures = reader.embedded_regular_signatures
    if not signatures:
        return None
    unsigned = signatures[-1].signer_info["unsigned_attrs"]
    tokens = [a["values"][0] for a in ((unsigned.native and unsigned) or [])
              if a["type"].native == "signature_time_stamp_token"]
    if not tokens:
        return None
    gen_time = tokens[0]["content"]["encap_content_info"]["content"].parsed["gen_time"].native
    return gen_time if isinstance(gen_time, datetime) else None


def revision_hashes(pdf_bytes: bytes) -> list[str]:
    """SHA-256 of the file as each signature left it (latest signature first).

    A signature covers the file up to the end of its own revision; those bytes are what was stored when it
    was made, so they identify the signed version even after something was appended to the file.
    """
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = list(reader.embedded_regular_signatures)
    except Exception:
        return []
    hashes: list[str] = []
    for sig in reversed(signatures):
        try:
            byte_range = [int(v) for v in sig.sig_object["/ByteRange"]]
        except (KeyError, TypeError, ValueError):
            continue
        end = byte_range[2] + byte_range[3]
        if 0 < end <= len(pdf_bytes):
            hashes.append(hashlib.sha256(pdf_bytes[:end]).hexdigest())
    return hashes
