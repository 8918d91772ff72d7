"""The words of the portal's pages. English labels keep the Vietnamese term alongside."""

from __future__ import annotations

from ecourt_portal.domain.text import Text

UI: dict[str, Text] = {
    "site_name": Text("Cổng thông tin Tòa án nhân dân", "People's Court public portal"),
    "skip": Text("Bỏ qua, đến nội dung chính", "Skip to main content"),
    "language": Text("Ngôn ngữ", "Language"),
    "lookup_title": Text("Tra cứu vụ án", "Case lookup (tra cứu vụ án)"),
    "lookup_intro": Text(
        "Nhập mã vụ án và mã bí mật in trên giấy biên nhận Tòa án đã cấp khi thụ lý đơn của bạn.",
        "Enter the case code and the secret printed on the receipt the court gave you when it accepted "
        "(thụ lý) your filing."),
    "case_code": Text("Mã vụ án", "Case code (mã vụ án)"),
    "case_code_hint": Text("Ví dụ: 79KV01-2026-000001-43. Có thể nhập liền, không cần dấu gạch ngang.",
                           "For example 79KV01-2026-000001-43. Hyphens are optional."),
    "receipt_secret": Text("Mã bí mật trên giấy biên nhận", "Receipt secret (mã bí mật)"),
    "receipt_secret_hint": Text("12 ký tự, ví dụ ABCD-EFGH-JKLM. Không chia sẻ mã này với người khác.",
                                "12 characters, for example ABCD-EFGH-JKLM. Do not share it with anyone."),
    "submit": Text("Tra cứu", "Look up"),
    "errors_title": Text("Vui lòng kiểm tra lại thông tin", "Please check what you entered"),
    "not_found_title": Text("Không tìm thấy", "Not found"),
    "rate_limited_title": Text("Tạm thời không tra cứu được", "Lookups temporarily blocked"),
    "result_title": Text("Thông tin vụ án", "Case information (thông tin vụ án)"),
    "acceptance_number": Text("Số thụ lý", "Acceptance number (số thụ lý)"),
    "accepted_on": Text("Ngày thụ lý", "Accepted on (ngày thụ lý)"),
    "case_type": Text("Loại vụ án", "Case type (loại vụ án)"),
    "stage": Text("Cấp xét xử", "Stage (cấp xét xử)"),
    "status": Text("Tình trạng giải quyết", "Status (tình trạng)"),
    "judge": Text("Thẩm phán được phân công", "Assigned judge (thẩm phán)"),
    "deadline_title": Text("Thời hạn tố tụng tiếp theo", "Next procedural deadline (thời hạn tố tụng)"),
    "deadline_on": Text("Hạn cuối", "Due on (hạn cuối)"),
    "legal_basis": Text("Căn cứ pháp lý", "Legal basis (căn cứ pháp lý)"),
    "days_remaining": Text("Số ngày còn lại", "Days remaining"),
    "no_deadline": Text("Hiện không có thời hạn tố tụng nào đang chạy.",
                        "No procedural deadline is running at the moment."),
    "dates_note": Text("Ngày ghi theo dạng ngày/tháng/năm.", "Dates are written day/month/year."),
    "not_recorded": Text("Chưa có thông tin", "Not yet recorded"),
    "another": Text("Tra cứu vụ án khác", "Look up another case"),
    "footer": Text("Trang này chỉ hiển thị thông tin công khai; thông tin cá nhân của đương sự không được lưu "
                   "hay hiển thị.",
                   "This site shows public information only; personal data of the parties is neither stored "
                   "nor shown."),
}


# Published judgments (Resolution 03/2017/NQ-HĐTP): labels of the search form, the list and one judgment.
UI.update({
    "judgments_title": Text("Bản án, quyết định đã công bố", "Published judgments and decisions (công bố bản án)"),
    "judgments_intro": Text(
        "Bản án, quyết định đã có hiệu lực pháp luật được công bố theo Nghị quyết 03/2017/NQ-HĐTP. Họ tên, địa chỉ "
        "và thông tin cá nhân của người tham gia tố tụng đã được mã hóa.",
        "Judgments and decisions in legal effect, published under Resolution 03/2017/NQ-HĐTP. Names, addresses "
        "and personal details of the participants are encoded (mã hóa)."),
    "court": Text("Mã Tòa án", "Court code (mã Tòa án)"),
    "kind": Text("Loại văn bản", "Kind (loại văn bản)"),
    "any": Text("Tất cả", "Any"),
    "date_from": Text("Từ ngày", "From (từ ngày)"),
    "date_to": Text("Đến ngày", "To (đến ngày)"),
    "search": Text("Tìm kiếm", "Search"),
    "number": Text("Số bản án, quyết định", "Number (số)"),
    "dated_on": Text("Ngày ban hành", "Dated (ngày ban hành)"),
    "legal_effect_on": Text("Ngày có hiệu lực pháp luật", "In legal effect since (ngày có hiệu lực)"),
    "no_judgments": Text("Không có bản án, quyết định nào phù hợp.", "No judgment or decision matches."),
    "next_page": Text("Trang sau", "Next page"),
    "back_to_list": Text("Về danh sách bản án", "Back to the list"),
    "encoded_note": Text("Văn bản đã được mã hóa thông tin cá nhân theo Điều 7 Nghị quyết 03/2017/NQ-HĐTP.",
                         "Personal data in this text is encoded under Resolution 03/2017/NQ-HĐTP, art. 7."),
})

JUDGMENT_KINDS: dict[str, Text] = {
    "judgment": Text("Bản án", "Bản án (judgment)"),
    "decision": Text("Quyết định", "Quyết định (decision)"),
}

def ui_texts(lang: str) -> dict[str, str]:
    return {key: text.in_(lang) for key, text in UI.items()}


# Transfers, court mergers (sáp nhập) and deadline alerts on the case page.
UI.update({
    "court_now": Text("Tòa án đang giải quyết", "Court handling the case (Tòa án đang giải quyết)"),
})
