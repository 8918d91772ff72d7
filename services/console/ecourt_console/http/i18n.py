"""The console's words, Vietnamese first and English alongside.

English pages keep the Vietnamese name of legal terms with the English gloss after it
(``Chánh án (President)``, ``số thụ lý (acceptance number)``), because those names are what staff,
parties and documents use.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ecourt_console.domain.roles import ROLE_NAMES
from ecourt_console.http import dossier_words, panel_words, register_words
from ecourt_shared.auth import Role
from ecourt_shared.identifiers import case_type_names, stage_names

COURT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

MESSAGES: dict[str, tuple[str, str]] = {
    "app.name": ("ecourt · Bàn làm việc cán bộ", "ecourt · Staff console"),
    "lang.switch": ("English", "Tiếng Việt"),
    "nav.dashboard": ("Trang chính", "Home"),
    "nav.inbox": ("Hộp thư Chánh án", "Chánh án (President) inbox"),
    "nav.cases": ("Vụ án được phân công", "My cases (Thẩm phán)"),
    "nav.reception": ("Tiếp nhận đơn khởi kiện", "Tiếp nhận đơn (Reception)"),
    "nav.logout": ("Đăng xuất", "Log out"),
    "court": ("Tòa án", "Court"),
    "login.title": ("Đăng nhập", "Log in"),
    "login.username": ("Tên đăng nhập", "Username"),
    "login.password": ("Mật khẩu", "Password"),
    "login.submit": ("Đăng nhập", "Log in"),
    "login.invalid": ("Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong username or password."),
    "login.throttled": ("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {at}.",
                        "Too many failed logins. Please try again after {at}."),
    "login.logged_out": ("Bạn đã đăng xuất.", "You have logged out."),
    "dashboard.title": ("Xin chào, {name}", "Welcome, {name}"),
    "dashboard.roles": ("Vai trò", "Roles"),
    "dashboard.inbox": ("Vụ án chờ phân công Thẩm phán.", "Cases awaiting assignment of a Thẩm phán (judge)."),
    "dashboard.cases": ("Các vụ án bạn được phân công giải quyết.", "The cases assigned to you."),
    "dashboard.reception": ("Nhập đơn khởi kiện dân sự và cấp biên nhận.",
                            "Enter a civil petition and give the receipt."),
    "dashboard.nothing": ("Tài khoản của bạn chưa có chức năng nào trong bàn làm việc này.",
                          "Your account has no pages in this console yet."),
    "col.acceptance_number": ("Số thụ lý", "Số thụ lý (acceptance number)"),
    "col.case_code": ("Mã vụ án", "Case code"),
    "col.case_type": ("Loại vụ án", "Case type"),
    "col.stage": ("Cấp xét xử", "Stage"),
    "col.subject": ("Quan hệ tranh chấp / nội dung", "Subject"),
    "col.received_at": ("Ngày nhận", "Received"),
    "col.assigned_at": ("Ngày phân công", "Assigned"),
    "col.action": ("Thao tác", "Action"),
    "col.judge": ("Thẩm phán", "Thẩm phán (judge)"),
    "inbox.related_case": ("Vụ án có liên quan:", "Related case:"),
    "inbox.shared_parties": ("chung {n} đương sự", "{n} party/parties in common"),
    "inbox.same_subject": ("Cùng quan hệ tranh chấp: có thể là vụ việc đã được giải quyết hoặc cần nhập vụ án",
                           "Same subject: possibly a dispute already decided, or cases to join"),
    "inbox.title": ("Hộp thư Chánh án: vụ án chờ phân công", "Chánh án (President) inbox: cases awaiting assignment"),
    "inbox.empty": ("Không có vụ án nào chờ phân công.", "No case is awaiting assignment."),
    "inbox.assign": ("Phân công ngẫu nhiên", "Phân công ngẫu nhiên (Assign at random)"),
    "assign.done": ("Đã phân công ngẫu nhiên vụ án {number} cho Thẩm phán {judge}.",
                    "Case {number} was assigned at random to Thẩm phán (judge) {judge}."),
    "assign.judge": ("Thẩm phán", "Thẩm phán (judge)"),
    "assign.draw_id": ("Mã lượt bốc thăm", "Draw id"),
    "assign.seed_commitment": ("Cam kết hạt giống (kiểm chứng công khai)", "Seed commitment (public verification)"),
    "assign.method": ("Phương thức", "Method"),
    "method.random": ("Ngẫu nhiên", "Random"),
    "method.designation": ("Chỉ định", "Designation"),
    "cases.title": ("Vụ án được phân công", "Cases assigned to me"),
    "cases.empty": ("Bạn chưa được phân công vụ án nào.", "No case is assigned to you yet."),
    "cases.no_judge_id": ("Tài khoản chưa gắn mã thẩm phán; liên hệ quản trị hệ thống.",
                          "This account has no judge id; contact the IT administrator."),
    "dossier.title": ("Hồ sơ vụ án", "Case file (hồ sơ vụ án)"),
    "dossier.view.full": ("Hồ sơ đầy đủ", "Full case file"),
    "dossier.view.essentials": ("Thông tin thiết yếu: bạn chỉ xem được những thông tin cần cho công việc.",
                                "Essentials only: you see what your work needs."),
    "dossier.header": ("Thông tin vụ án", "Case"),
    "dossier.deadline": ("Thời hạn", "Deadline"),
    "dossier.due_on": ("Hạn cuối", "Due on"),
    "dossier.legal_basis": ("Căn cứ pháp lý", "Legal basis"),
    "dossier.no_deadline": ("Chưa có thời hạn đang chạy.", "No running deadline."),
    "dossier.documents": ("Tài liệu", "Documents"),
    "dossier.no_documents": ("Chưa có tài liệu.", "No documents yet."),
    "dossier.timeline": ("Diễn biến", "Timeline"),
    "dossier.no_timeline": ("Chưa có diễn biến.", "Nothing recorded yet."),
    "dossier.pages": ("trang", "pages"),
    "dossier.published": ("Đã công khai", "Published"),
    "dossier.parties": ("Đương sự", "Đương sự (parties)"),
    "dossier.minor": ("Người chưa thành niên", "minor (người chưa thành niên)"),
    "dossier.how_counted": ("Cách tính", "How it was counted"),
    "dossier.needs_verification": ("Một phần căn cứ hoặc ngày nghỉ đang được đánh dấu cần kiểm chứng.",
                                   "Part of the legal basis or a day off on the way is marked for verification."),
    "dossier.no_legal_basis": ("Xem căn cứ pháp lý trong hồ sơ đầy đủ.", "The legal basis is in the full case file."),
    "col.method": ("Phương thức phân công", "Assignment method"),
    "field.status": ("Trạng thái", "Status"),
    "field.judge_name": ("Thẩm phán giải quyết", "Thẩm phán (judge)"),
    "field.court_id": ("Tòa án", "Court"),
    "field.accepted_on": ("Ngày thụ lý", "Ngày thụ lý (accepted on)"),
    "reception.title": ("Tiếp nhận đơn khởi kiện dân sự", "Civil petition (đơn khởi kiện) at reception"),
    "reception.subject": ("Quan hệ tranh chấp / yêu cầu", "Subject of the dispute"),
    "reception.case_type": ("Loại vụ việc", "Case type"),
    "reception.plaintiff": ("Nguyên đơn", "Nguyên đơn (plaintiff)"),
    "reception.defendant": ("Bị đơn", "Bị đơn (defendant)"),
    "reception.full_name": ("Họ và tên", "Full name"),
    "reception.cccd": ("Số CCCD / định danh cá nhân", "CCCD (citizen ID number)"),
    "reception.date_of_birth": ("Ngày sinh", "Date of birth"),
    "reception.phone": ("Số điện thoại", "Phone"),
    "reception.attachment": ("Đơn khởi kiện (tệp PDF)", "The petition (PDF file)"),
    "reception.submit": ("Nộp và thụ lý", "File and accept (thụ lý)"),
    "reception.reattach": ("Vui lòng chọn lại tệp PDF trước khi gửi lại.",
                           "Please choose the PDF file again before resubmitting."),
    "reception.fix": ("Đơn chưa hợp lệ, vui lòng sửa các mục được đánh dấu.",
                      "The petition is not valid yet; please correct the marked fields."),
    "receipt.title": ("Biên nhận đơn khởi kiện", "Petition receipt (biên nhận)"),
    "receipt.case_code": ("Mã vụ án", "Case code"),
    "receipt.secret": ("Mã bí mật tra cứu", "Receipt secret"),
    "receipt.accepted_on": ("Ngày thụ lý", "Ngày thụ lý (accepted on)"),
    "receipt.replayed": ("Đơn này đã được ghi nhận trước đó; đây là biên nhận đã cấp.",
                         "This petition was already recorded; this is the receipt issued then."),
    "receipt.portal_note": ("Người nộp đơn dùng mã vụ án và mã bí mật này để tra cứu tiến độ trên Cổng thông tin "
                            "điện tử của Tòa án. Mã bí mật chỉ hiển thị một lần: hãy in hoặc giao cho người nộp đơn.",
                            "The filer uses the case code and this secret to follow the case on the court's "
                            "portal. The secret is shown only once: print it or hand it to the filer."),
    "receipt.portal_link": ("Cổng thông tin", "Portal"),
    "receipt.another": ("Tiếp nhận đơn khác", "Enter another petition"),
    "error.title": ("Có lỗi", "Error"),
    "error.home": ("Về trang chính", "Back to the home page"),
    "error.retry": ("Thử lại", "Try again"),
    "common.none": ("—", "—"),
}

MESSAGES |= register_words.REGISTER_MESSAGES
MESSAGES |= panel_words.PANEL_MESSAGES
MESSAGES |= dossier_words.DOSSIER_MESSAGES

STATUS_NAMES: dict[str, tuple[str, str]] = {
    "accepted": ("Đã thụ lý", "Accepted"),
    "preparing": ("Đang chuẩn bị xét xử", "Preparing for trial"),
    "suspended": ("Tạm đình chỉ", "Suspended"),
    "hearing_scheduled": ("Đã đưa ra xét xử", "Hearing scheduled"),
    "decided": ("Đã xét xử", "Decided"),
    "in_effect": ("Đã có hiệu lực pháp luật", "In legal effect"),
    "closed": ("Đã kết thúc", "Closed"),
}

PARTY_ROLE_NAMES: dict[str, tuple[str, str]] = {
    "plaintiff": ("Nguyên đơn", "plaintiff"),
    "defendant": ("Bị đơn", "defendant"),
    "related": ("Người có quyền lợi, nghĩa vụ liên quan", "related party"),
}

# Errors shown in both languages at once (status pages, RPC failures): (vi, en).
BILINGUAL: dict[str, tuple[str, str]] = {
    "forbidden": ("Bạn không có quyền mở trang này. Trang dành cho: {roles}.",
                  "You may not open this page. It is for: {roles}."),
    "not_found": ("Không tìm thấy trang hoặc vụ án.", "The page or case was not found."),
    "csrf": ("Biểu mẫu đã hết hạn hoặc không hợp lệ (bảo vệ CSRF). Vui lòng tải lại trang và gửi lại.",
             "The form expired or is not valid (CSRF protection). Please reload the page and submit again."),
    "bad_request": ("Yêu cầu không hợp lệ.", "The request is not valid."),
    "server_error": ("Hệ thống gặp lỗi ngoài dự kiến; lỗi đã được ghi lại.",
                     "Something unexpected went wrong; it has been logged."),
    "too_large": ("Tệp đính kèm vượt giới hạn {limit} MB.", "The attachment exceeds the limit of {limit} MB."),
}


def translate(lang: str, key: str, **values: Any) -> str:
    vi, en = MESSAGES.get(key, (key, key))
    text = en if lang == "en" else vi
    return text.format(**values) if values else text


def both(key: str, **values: Any) -> tuple[str, str]:
    """A catalog message in both languages: (vi, en)."""
    vi, en = MESSAGES[key]
    return (vi.format(**values), en.format(**values)) if values else (vi, en)


def bilingual(key: str, **values: Any) -> tuple[str, str]:
    vi, en = BILINGUAL[key]
    return (vi.format(**values), en.format(**values)) if values else (vi, en)


def forbidden(roles: frozenset[Role]) -> tuple[str, str]:
    """The 403 message in both languages, naming the roles the page is for."""
    roles_vi, roles_en = roles_both(roles)
    return BILINGUAL["forbidden"][0].format(roles=roles_vi), BILINGUAL["forbidden"][1].format(roles=roles_en)


def _legal_term(lang: str, vi: str, en: str) -> str:
    return f"{vi} ({en})" if lang == "en" else vi


def role_label(lang: str, role: str | Role) -> str:
    try:
        vi, en = ROLE_NAMES[Role(role)]
    except ValueError:
        return str(role)
    return _legal_term(lang, vi, en)


def roles_both(roles: list[Role] | frozenset[Role]) -> tuple[str, str]:
    ordered = [r for r in ROLE_NAMES if r in roles]
    return (", ".join(ROLE_NAMES[r][0] for r in ordered),
            ", ".join(f"{ROLE_NAMES[r][0]} ({ROLE_NAMES[r][1]})" for r in ordered))


def case_type_label(lang: str, code: Any) -> str:
    if not code:
        return ""
    try:
        vi, en = case_type_names(str(code))
    except Exception:  # an unknown code is shown as it came
        return str(code)
    return _legal_term(lang, vi, en)


def stage_label(lang: str, code: Any) -> str:
    if not code:
        return ""
    try:
        vi, en = stage_names(str(code))
    except Exception:  # an unknown code is shown as it came
        return str(code)
    return _legal_term(lang, vi, en)


def status_label(lang: str, code: Any) -> str:
    vi, en = STATUS_NAMES.get(str(code), (str(code or ""), str(code or "")))
    return en if lang == "en" else vi


def party_role_label(lang: str, code: Any) -> str:
    names = PARTY_ROLE_NAMES.get(str(code))
    return _legal_term(lang, *names) if names else str(code or "")


def file_size(value: Any) -> str:
    try:
        size = int(value)
    except (TypeError, ValueError):
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _parse_instant(value: Any) -> datetime | date | None:
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(text) if ("T" in text or " " in text) else date.fromisoformat(text)
    except ValueError:
        return None


def court_datetime(value: Any) -> str:
    """An instant as the court reads it: ``27/11/2026 14:05`` in Asia/Ho_Chi_Minh (UTC if no zone given)."""
    parsed = _parse_instant(value)
    if parsed is None:
        return "" if value is None else str(value)
    if not isinstance(parsed, datetime):
        return parsed.strftime("%d/%m/%Y")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(COURT_TZ).strftime("%d/%m/%Y %H:%M")


def court_date(value: Any) -> str:
    """A legal day: ``27/11/2026`` (an instant is first taken to the court's time zone)."""
    parsed = _parse_instant(value)
    if parsed is None:
        return "" if value is None else str(value)
    if isinstance(parsed, datetime):
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(COURT_TZ).strftime("%d/%m/%Y")
    return parsed.strftime("%d/%m/%Y")


def pick(data: Any, *keys: str) -> Any:
    """The first non-empty value among ``keys`` of a dict (RPC results are read defensively)."""
    if not isinstance(data, dict):
        return None
    for key in keys:
        value = data.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def localized(lang: str, data: Any, base: str) -> Any:
    """``base_vi`` / ``base_en`` of a dict in the page's language, falling back to the other and to ``base``."""
    if not isinstance(data, dict):
        return None
    first, second = (f"{base}_en", f"{base}_vi") if lang == "en" else (f"{base}_vi", f"{base}_en")
    return pick(data, first, second, base)


REGISTER_TABLES: dict[str, dict[str, tuple[str, str]]] = {
    "kind": register_words.KIND_NAMES, "channel": register_words.CHANNEL_NAMES,
    "basis": register_words.BASIS_NAMES, "reception_status": register_words.RECEPTION_STATUS_NAMES,
    "decision": register_words.DECISION_NAMES, "reception_role": register_words.RECEPTION_ROLE_NAMES,
    "party_kind": register_words.PARTY_KIND_NAMES,
    "lodging_step": register_words.LODGING_STEP_NAMES, "protest_level": register_words.PROTEST_LEVEL_NAMES,
}


def register_label(lang: str, table: str, code: Any) -> str:
    """A register code as staff read it: ``register_label("en", "channel", "post")`` -> ``Gửi qua ... (by post)``.

    The basis of a counting date is a sentence with its citation, so English pages get the English sentence.
    """
    names = REGISTER_TABLES[table].get(str(code))
    if names is None:
        return str(code or "")
    if table == "basis":
        return names[1] if lang == "en" else names[0]
    return _legal_term(lang, *names)
