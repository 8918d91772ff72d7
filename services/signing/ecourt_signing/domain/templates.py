"""The core documents of a case as templates: data with legal citations, rendered to PDF with an embedded font.

Each template names the fields it needs (the header fields come from casefile's dossier RPC; the rest are
typed by the judge or clerk), the legal provision it implements, who signs it and in what order, whether
the first signature certifies (locks) it, and whether it needs the court's physical seal.

Text is rendered with Source Serif Pro (SIL OFL, from the pinned ``font-source-serif-pro`` package, so no
machine font is needed), embedded as a TrueType subset with a ToUnicode map: Vietnamese diacritics survive
copy-paste and text extraction. Input is normalised to NFC first (precomposed letters have their own
glyphs; combining marks would be placed by no shaper).
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date
from pathlib import Path
from typing import Any

from ecourt_shared.contracts.errors import FieldError, RequestRejected

HEADER_FIELDS = ("court_name", "case_id", "acceptance_number", "subject", "plaintiff", "defendant", "judge_name",
                 "place", "issued_on")


@dataclass(frozen=True)
class Template:
    kind: str
    title_vi: str
    title_en: str
    legal_basis_vi: str
    legal_basis_en: str
    signers: tuple[str, ...]  # roles, in signing order
    certify_first: bool  # the first signature is a certification signature (DocMDP): content locked
    needs_seal: bool
    fields: tuple[str, ...]  # required, besides HEADER_FIELDS
    body: tuple[str, ...]  # paragraphs with {field} placeholders


_COMMON_TOP = "Căn cứ {legal_basis};"
TEMPLATES: dict[str, Template] = {t.kind: t for t in (
    Template("notice_of_acceptance", "THÔNG BÁO VỀ VIỆC THỤ LÝ VỤ ÁN", "Notice of acceptance of the case",
             "Điều 196 Bộ luật Tố tụng dân sự 2015", "Article 196, Civil Procedure Code 2015",
             ("judge",), True, True, ("deadline_days",),
             ("{court_name} đã thụ lý vụ án số {acceptance_number} về việc {subject}.",
              "Người khởi kiện: {plaintiff}. Người bị kiện: {defendant}.",
              "Trong thời hạn {deadline_days} ngày kể từ ngày nhận được thông báo này, người được thông báo phải nộp "
              "cho Tòa án văn bản ghi ý kiến của mình đối với yêu cầu của người khởi kiện và tài liệu, chứng cứ "
              "kèm theo, yêu cầu phản tố (nếu có).")),
    Template("summons", "GIẤY TRIỆU TẬP", "Summons",
             "Điều 170 Bộ luật Tố tụng dân sự 2015", "Article 170, Civil Procedure Code 2015",
             ("judge",), True, True, ("summoned_person", "summoned_role", "appear_at", "purpose"),
             ("{court_name} triệu tập: {summoned_person}, với tư cách {summoned_role} trong vụ án số "
              "{acceptance_number} về việc {subject}.",
              "Có mặt vào hồi {appear_at} tại {place} để {purpose}.",
              "Khi đến mang theo giấy triệu tập này và Căn cước công dân. Thẩm phán: {judge_name}.")),
    Template("trial_decision", "QUYẾT ĐỊNH ĐƯA VỤ ÁN RA XÉT XỬ", "Decision to bring the case to trial",
             "Điều 220 Bộ luật Tố tụng dân sự 2015", "Article 220, Civil Procedure Code 2015",
             ("judge",), True, True, ("hearing_at", "panel"),
             ("Đưa ra xét xử sơ thẩm vụ án số {acceptance_number} về việc {subject} giữa nguyên đơn {plaintiff} "
              "và bị đơn {defendant}.",
              "Thời gian mở phiên tòa: {hearing_at}; địa điểm: {place}.",
              "Thành phần Hội đồng xét xử: {panel}. Thẩm phán chủ tọa phiên tòa: {judge_name}.")),
    Template("suspension_decision", "QUYẾT ĐỊNH TẠM ĐÌNH CHỈ GIẢI QUYẾT VỤ ÁN DÂN SỰ",
             "Decision to suspend the resolution of the civil case",
             "Điều 214 Bộ luật Tố tụng dân sự 2015", "Article 214, Civil Procedure Code 2015",
             ("judge",), True, True, ("suspension_ground",),
             ("Tạm đình chỉ giải quyết vụ án số {acceptance_number} về việc {subject} giữa {plaintiff} và "
              "{defendant}.",
              "Lý do: {suspension_ground}.",
              "Tòa án tiếp tục giải quyết vụ án khi lý do tạm đình chỉ không còn.")),
    # Court practice (a configurable rule, not a statute): the president reviews judgments before release,
    # the clerk countersigns as the keeper of the record.
    Template("judgment", "BẢN ÁN SƠ THẨM", "First-instance judgment (skeleton)",
             "Điều 266 Bộ luật Tố tụng dân sự 2015", "Article 266, Civil Procedure Code 2015",
             ("judge", "president", "clerk"), True, True, ("hearing_at", "reasoning", "ruling"),
             ("Ngày {hearing_at}, tại {place}, {court_name} xét xử sơ thẩm công khai vụ án số {acceptance_number} "
              "về việc {subject} giữa nguyên đơn {plaintiff} và bị đơn {defendant}.",
              "NHẬN ĐỊNH CỦA TÒA ÁN: {reasoning}",
              "QUYẾT ĐỊNH: {ruling}")),
    Template("appeal_acceptance", "THÔNG BÁO VỀ VIỆC THỤ LÝ VỤ ÁN ĐỂ XÉT XỬ PHÚC THẨM",
             "Notice of acceptance of the appeal", "Điều 285 Bộ luật Tố tụng dân sự 2015",
             "Article 285, Civil Procedure Code 2015",
             ("judge",), True, True, ("appellant", "appeal_number"),
             ("{court_name} đã thụ lý vụ án số {appeal_number} để xét xử phúc thẩm theo kháng cáo của {appellant} "
              "đối với bản án sơ thẩm trong vụ án số {acceptance_number} về việc {subject}.",)),
)}


def template(kind: object) -> Template:
    if not isinstance(kind, str) or kind not in TEMPLATES:
        names = ", ".join(TEMPLATES)
        raise RequestRejected.single("kind", "template.unknown", f"Không có mẫu văn bản '{kind}'. Các mẫu: {names}.",
                                     f"no template '{kind}'; templates: {names}")
    return TEMPLATES[kind]


def clean_fields(kind: str, fields: object) -> dict[str, str]:
    """The fields as NFC strings, or :class:`RequestRejected` naming each missing or malformed one."""
    tpl = template(kind)
    if not isinstance(fields, dict):
        raise RequestRejected.single("fields", "fields.not_object", "Trường 'fields' phải là một đối tượng.",
                                     "'fields' must be an object")
    errors: list[FieldError] = []
    cleaned: dict[str, str] = {}
    for name in (*HEADER_FIELDS, *tpl.fields):
        value = fields.get(name)
        if not isinstance(value, str | int) or not str(value).strip():
            errors.append(FieldError(field=f"fields.{name}", code="field.required",
                                     message_vi=f"Thiếu trường '{name}' của mẫu {tpl.title_vi}.",
                                     message_en=f"the {kind} template needs the field '{name}'"))
            continue
        text = unicodedata.normalize("NFC", " ".join(str(value).split()) if name != "reasoning" else str(value))
        if len(text) > 200_000:
            errors.append(FieldError(field=f"fields.{name}", code="field.too_long",
                                     message_vi=f"Trường '{name}' quá dài.",
                                     message_en=f"the field '{name}' is too long"))
        cleaned[name] = text
    if errors:
        raise RequestRejected.of(errors)
    return cleaned


def paragraphs(kind: str, fields: dict[str, str]) -> list[str]:
    tpl = template(kind)
    values = {**fields, "legal_basis": tpl.legal_basis_vi}
    fmt = string.Formatter()
    return [unicodedata.normalize("NFC", fmt.vformat(p, (), values)) for p in (_COMMON_TOP, *tpl.body)]


def font_dir() -> Path:
    """Where the embedded Source Serif Pro files are (the templates' and the signature stamp's font)."""
    import font_source_serif_pro

    return Path(font_source_serif_pro.__file__).parent / "files"


def render_pdf(kind: str, fields: dict[str, Any], *, document_id: str = "", version: int = 1) -> bytes:
    """The document as PDF: national motto, court, number, title, body, signature block."""
    from fpdf import FPDF

    tpl = template(kind)
    values = clean_fields(kind, fields)
    pdf = FPDF(format="A4")
    pdf.set_compression(True)
    pdf.set_creation_date(_creation_moment(values["issued_on"]))
    fonts = font_dir()
    pdf.add_font("serif", "", str(fonts / "SourceSerifPro-Regular.ttf"))
    pdf.add_font("serif", "B", str(fonts / "SourceSerifPro-Bold.ttf"))
    pdf.set_title(tpl.title_vi)
    pdf.set_subject(f"{values['case_id']} {tpl.kind}")
    pdf.set_keywords(f"ecourt:case={values['case_id']};document={document_id};kind={tpl.kind};version={version}")
    pdf.set_creator("ecourt signing")
    pdf.set_margins(25, 20, 20)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font("serif", "B", 12)
    pdf.cell(width / 2, 6, values["court_name"].upper(), align="C")
    pdf.cell(width / 2, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("serif", "", 12)
    pdf.cell(width / 2, 6, f"Số: {values['acceptance_number']}", align="C")
    pdf.cell(width / 2, 6, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, f"{values['place']}, ngày {values['issued_on']}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("serif", "B", 14)
    pdf.multi_cell(0, 8, tpl.title_vi, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("serif", "", 12)
    pdf.cell(0, 6, f"Mã vụ án: {values['case_id']}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for para in paragraphs(kind, values):
        for line in para.split("\n"):
            pdf.multi_cell(0, 6.5, line, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(6)
    pdf.set_font("serif", "B", 12)
    pdf.cell(0, 6, "THẨM PHÁN", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("serif", "", 12)
    pdf.cell(0, 6, "(Ký số)", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, values["judge_name"], align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _creation_moment(issued_on: str) -> Any:
    """A fixed creation date (the issue date if it parses), so the same draft renders to the same bytes."""
    from datetime import datetime, time

    try:
        day = date.fromisoformat(issued_on)
    except ValueError:
        day = date(2026, 1, 1)
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def sample_fields(kind: str) -> dict[str, str]:
    """Realistic fields for a template (demo data, tests and the benchmark)."""
    base = {"court_name": "Tòa án nhân dân Khu vực 1 - Thành phố Hồ Chí Minh", "case_id": "79KV01-2026-000001-43",
            "acceptance_number": "01/2026/TLST-DS", "subject": "Tranh chấp hợp đồng vay tài sản",
            "plaintiff": "Nguyễn Văn An", "defendant": "Trần Thị Bình", "judge_name": "Phạm Minh Tuấn",
            "place": "Thành phố Hồ Chí Minh", "issued_on": "2026-11-27"}
    extra = {"deadline_days": "15", "summoned_person": "Lê Thị Hồng Nhung", "summoned_role": "người làm chứng",
             "appear_at": "08 giờ 00 ngày 15/12/2026", "purpose": "lấy lời khai",
             "hearing_at": "08 giờ 00 ngày 20/01/2027", "panel": "Thẩm phán Phạm Minh Tuấn; Hội thẩm nhân dân "
             "Đỗ Văn Hải, Vũ Thị Thủy", "suspension_ground": "cần đợi kết quả giải quyết vụ việc khác có liên quan",
             "reasoning": "Xét yêu cầu của nguyên đơn về việc đòi lại số tiền đã cho vay là có căn cứ.",
             "ruling": "Chấp nhận yêu cầu khởi kiện của nguyên đơn.", "appellant": "bị đơn Trần Thị Bình",
             "appeal_number": "05/2027/TLPT-DS"}
    return {**base, **{k: extra[k] for k in TEMPLATES[kind].fields}}
