"""Words of the reception register (sổ tiếp nhận) and party registry pages: Vietnamese first, English gloss.

The codes are intake's contract (``ecourt_shared.contracts.reception``); the names and citations follow
intake's ``reception_rules.yaml`` so staff read the same legal basis the worker applied.
"""

from __future__ import annotations

# (vi, en) per kind of item that reaches reception.
KIND_NAMES: dict[str, tuple[str, str]] = {
    "petition": ("Đơn khởi kiện (dân sự, HNGĐ, KDTM, lao động)", "civil petition"),
    "administrative_petition": ("Đơn khởi kiện vụ án hành chính", "administrative petition"),
    "indictment": ("Cáo trạng và hồ sơ vụ án hình sự", "indictment"),
    "appeal": ("Đơn kháng cáo", "appeal"),
    "protest": ("Quyết định kháng nghị phúc thẩm", "procuracy protest"),
    "cassation_petition": ("Đơn đề nghị giám đốc thẩm", "cassation petition"),
    "retrial_request": ("Đơn đề nghị tái thẩm", "retrial request"),
    "supplement": ("Tài liệu, chứng cứ bổ sung", "supplementary documents"),
    "dispatch": ("Công văn", "official dispatch"),
}

CHANNEL_NAMES: dict[str, tuple[str, str]] = {
    "counter": ("Nộp trực tiếp tại Tòa án", "over the counter"),
    "post": ("Gửi qua dịch vụ bưu chính", "by post"),
    "online": ("Gửi trực tuyến", "online"),
    "detention_facility": ("Qua cơ sở giam giữ", "through the detention facility"),
}

# The legal counting date's basis, with the provision it comes from (reception_rules.yaml).
BASIS_NAMES: dict[str, tuple[str, str]] = {
    "reception_date": ("Ngày Tòa án nhận trực tiếp đơn (khoản 1 Điều 191, điểm a khoản 2 Điều 190 BLTTDS 2015)",
                       "the day the court received it over the counter (Điều 190, 191 BLTTDS 2015)"),
    "postmark": ("Ngày ghi trên dấu bưu chính nơi gửi (khoản 2 Điều 190, khoản 3 Điều 273 BLTTDS 2015)",
                 "the sending post office's postmark (Điều 190, 273 BLTTDS 2015)"),
    "detention_certified": ("Ngày người đứng đầu cơ sở giam giữ xác nhận (khoản 3 Điều 273 BLTTDS 2015; "
                            "Điều 333 BLTTHS 2015)",
                            "the date certified by the head of the detention facility (Điều 273 BLTTDS 2015; "
                            "Điều 333 BLTTHS 2015)"),
    "online_submission": ("Ngày gửi đơn trực tuyến (điểm c khoản 2 Điều 190 BLTTDS 2015)",
                          "the day it was submitted online (Điều 190 BLTTDS 2015)"),
}

RECEPTION_STATUS_NAMES: dict[str, tuple[str, str]] = {
    "received": ("Chờ xử lý", "awaiting a decision"),
    "amendment_requested": ("Đã yêu cầu sửa đổi, bổ sung", "amendment requested"),
    "accepted": ("Đã thụ lý / tiếp nhận", "accepted"),
    "returned": ("Đã trả lại", "returned"),
    "transferred": ("Đã chuyển Tòa án khác", "transferred"),
}

DECISION_NAMES: dict[str, tuple[str, str]] = {
    "accept": ("Thụ lý / tiếp nhận", "accept"),
    "request_amendment": ("Yêu cầu sửa đổi, bổ sung (Điều 193 BLTTDS 2015)", "request amendment"),
    "return": ("Trả lại đơn (Điều 192 BLTTDS 2015)", "return"),
    "transfer": ("Chuyển đơn cho Tòa án có thẩm quyền (Điều 191 BLTTDS 2015)", "transfer to the competent court"),
}

RECEPTION_ROLE_NAMES: dict[str, tuple[str, str]] = {
    "plaintiff": ("Nguyên đơn / người khởi kiện", "plaintiff"),
    "defendant": ("Bị đơn / người bị kiện", "defendant"),
    "related": ("Người có quyền lợi, nghĩa vụ liên quan", "related party"),
    "appellant": ("Người kháng cáo", "appellant"),
    "accused": ("Bị can, bị cáo", "accused"),
    "petitioner": ("Người đề nghị", "petitioner"),
    "representative": ("Người đại diện", "representative"),
    "procuracy": ("Viện kiểm sát", "procuracy"),
    "sender": ("Người gửi", "sender"),
}

# What casefile recorded when reception accepted an appeal, protest or review petition (casefile's step names).
LODGING_STEP_NAMES: dict[str, tuple[str, str]] = {
    "lodge_appeal": ("Kháng cáo đầu tiên: mở giai đoạn phúc thẩm", "first appeal: the appellate stage opened"),
    "join_appeal": ("Kháng cáo bổ sung vào vụ án đã kháng cáo", "a further appeal joined to the appeal"),
    "lodge_protest": ("Kháng nghị: mở giai đoạn phúc thẩm", "protest: the appellate stage opened"),
    "join_protest": ("Kháng nghị bổ sung vào vụ án đã kháng cáo, kháng nghị", "a protest joined to the appeal"),
    "receive_cassation_petition": ("Nhận đơn đề nghị giám đốc thẩm", "cassation petition received"),
    "receive_retrial_request": ("Nhận đơn đề nghị tái thẩm", "retrial request received"),
}

# The procuracy's level decides its protest period (the form explains it under the choice).
PROTEST_LEVEL_NAMES: dict[str, tuple[str, str]] = {
    "same_level": ("Viện kiểm sát cùng cấp", "procuracy of the same level"),
    "higher_level": ("Viện kiểm sát cấp trên trực tiếp", "procuracy directly above"),
}

PARTY_KIND_NAMES: dict[str, tuple[str, str]] = {
    "person": ("Cá nhân", "person"),
    "organization": ("Cơ quan, tổ chức", "organization"),
    "lawyer": ("Luật sư", "lawyer"),
    "procuracy": ("Viện kiểm sát", "procuracy"),
}

REGISTER_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.register": ("Sổ tiếp nhận", "Sổ tiếp nhận (reception register)"),
    "nav.parties": ("Tra cứu đương sự", "Đương sự (party registry)"),
    "dashboard.register": ("Vào sổ mọi đơn, công văn, tài liệu gửi đến và quyết định xử lý.",
                           "Register everything that arrives and decide on it."),
    "dashboard.parties": ("Tìm đương sự (không cần dấu), xem các phiên bản thông tin.",
                          "Find a party (diacritics optional) and see its versions."),
    "register.title": ("Sổ tiếp nhận", "Sổ tiếp nhận (reception register)"),
    "register.new": ("Vào sổ mục mới", "Register a new item"),
    "register.filter": ("Lọc theo trạng thái", "Filter by status"),
    "register.all": ("Tất cả", "All"),
    "register.apply": ("Lọc", "Filter"),
    "register.empty": ("Không có mục nào.", "No item."),
    "register.number": ("Số tiếp nhận", "Số tiếp nhận (reception number)"),
    "register.kind": ("Loại", "Kind"),
    "register.channel": ("Kênh gửi", "Channel"),
    "register.counts_from": ("Ngày tính thời hạn", "Counting date"),
    "register.basis": ("Căn cứ", "Basis"),
    "register.status": ("Trạng thái", "Status"),
    "register.received_at": ("Thời điểm nhận", "Received"),
    "register.subject": ("Nội dung / quan hệ tranh chấp", "Subject"),
    "register.case_type": ("Loại vụ án", "Case type"),
    "register.no_case_type": ("(không có)", "(none)"),
    "register.sender": ("Cơ quan gửi (công văn)", "Sending body (dispatch)"),
    "register.related_case": ("Vụ án liên quan (mã vụ án hoặc số bản án)",
                              "Related case (case code or judgment number)"),
    "register.postmark_date": ("Ngày trên dấu bưu chính", "Postmark date"),
    "register.detention_certified_date": ("Ngày cơ sở giam giữ xác nhận", "Date certified by the detention facility"),
    "register.submitted_at": ("Thời điểm gửi trực tuyến", "Online submission time"),
    "register.channel_note": ("Ngày trên dấu bưu chính (gửi qua bưu chính) hoặc ngày cơ sở giam giữ xác nhận là "
                              "ngày tính thời hạn.",
                              "The postmark date (by post) or the date the detention facility certified is the day "
                              "the filing counts from."),
    "register.parties": ("Đương sự, người gửi", "Parties and senders"),
    "register.party": ("Người thứ {n}", "Person {n}"),
    "register.role": ("Tư cách", "Role"),
    "register.party_kind": ("Loại chủ thể", "Kind"),
    "register.tax_code": ("Mã số thuế (tổ chức)", "Tax code (organization)"),
    "register.attachments": ("Tài liệu kèm theo (PDF, PNG, JPEG)", "Attachments (PDF, PNG, JPEG)"),
    "register.submit": ("Vào sổ", "Register"),
    "register.fix": ("Chưa vào sổ được, vui lòng sửa các mục được đánh dấu.",
                     "Not registered yet; please correct the marked fields."),
    "register.reattach": ("Vui lòng chọn lại tệp trước khi gửi lại.",
                          "Please choose the files again before resubmitting."),
    "register.done": ("Đã vào sổ: {number}.", "Registered as {number}."),
    "register.replayed": ("Mục này đã được vào sổ trước đó: {number}.", "This item was already registered: {number}."),
    "register.duplicates": ("Có thể trùng với đương sự đã có trong sổ: {names}. Thư ký hoặc Chánh án có thể gộp.",
                            "May duplicate registered parties: {names}. A clerk or the president can merge them."),
    "item.title": ("Mục tiếp nhận {number}", "Reception item {number}"),
    "item.not_found": ("Không tìm thấy mục tiếp nhận này trong sổ của Tòa án.",
                       "This item is not in the court's register."),
    "item.case": ("Vụ án", "Case"),
    "item.decide": ("Quyết định xử lý", "Decision"),
    "item.decision": ("Quyết định", "Decision"),
    "item.reason": ("Lý do", "Reason"),
    "item.amendment_due_on": ("Hạn sửa đổi, bổ sung", "Amendment deadline"),
    "item.transfer_to_court": ("Mã Tòa án nhận (6 ký tự)", "Receiving court code (6 characters)"),
    "item.submit": ("Ghi quyết định", "Record the decision"),
    "item.fix": ("Chưa ghi được quyết định, vui lòng sửa các mục được đánh dấu.",
                 "The decision was not recorded; please correct the marked fields."),
    "item.decided": ("Đã ghi quyết định: {decision}.", "Decision recorded: {decision}."),
    "item.closed": ("Mục này đã được quyết định xong.", "This item has been decided."),
    "item.register_link": ("Về sổ tiếp nhận", "Back to the register"),
    "item.parties": ("Đương sự, người gửi", "Parties and senders"),
    "item.no_parties": ("Mục này không ghi đương sự nào.", "No party is recorded on this item."),
    "item.identifier": ("Số định danh", "Identifier"),
    "item.masked_note": ("Số CCCD và số điện thoại được che một phần; xem đầy đủ tại trang đương sự nếu công việc "
                         "cần (Nghị định 13/2023/NĐ-CP).",
                         "CCCD and phone numbers are partly hidden; open the party's page if your work needs them "
                         "(Decree 13/2023/NĐ-CP)."),
    "item.documents": ("Tài liệu kèm theo", "Documents"),
    "item.doc_title": ("Tên tài liệu", "Title"),
    "item.doc_file": ("Tệp", "File"),
    "item.doc_pages": ("Số trang", "Pages"),
    "item.doc_size": ("Dung lượng", "Size"),
    "item.doc_sha256": ("Mã băm SHA-256", "SHA-256"),
    "item.history": ("Lịch sử quyết định", "Decision history"),
    "item.no_decisions": ("Chưa có quyết định nào.", "No decision yet."),
    "item.decided_at": ("Thời điểm", "When"),
    "item.decided_by": ("Người quyết định", "Decided by"),
    "item.details": ("Chi tiết", "Details"),
    "item.received_by": ("Người nhận", "Received by"),
    "item.related_case_id": ("Mã vụ án bị kháng cáo, kháng nghị, đề nghị (khi thụ lý)",
                             "Case id of the judgment concerned (for acceptance)"),
    "item.related_case_hint": ("Sổ chỉ ghi số bản án thì phải nhập mã vụ án (ví dụ 79KV01-2026-000123-KK) để ghi đơn "
                               "vào hồ sơ vụ án.",
                               "If the register names only the judgment's number, enter the case id (e.g. "
                               "79KV01-2026-000123-KK) so the filing is recorded on the case."),
    "item.protest_level": ("Cấp Viện kiểm sát kháng nghị", "Level of the protesting procuracy"),
    "item.protest_level_choose": ("— Chọn cấp —", "— Choose the level —"),
    "item.protest_level_hint": ("Thời hạn kháng nghị bản án sơ thẩm: Viện kiểm sát cùng cấp 15 ngày, cấp trên trực "
                                "tiếp 01 tháng kể từ ngày tuyên án; quyết định: 7 ngày và 10 ngày (khoản 1 Điều 280 "
                                "BLTTDS 2015; Điều 213 LTTHC 2015). Vụ án hình sự: 15 ngày và 30 ngày đối với bản án, "
                                "7 ngày và 15 ngày đối với quyết định (Điều 337 BLTTHS 2015) [cần kiểm tra].",
                                "Protest period against a first-instance judgment: 15 days for the procuracy of the "
                                "same level, one month for the one directly above, from the pronouncement; against a "
                                "decision: 7 and 10 days (BLTTDS 2015 art. 280(1); LTTHC 2015 art. 213). Criminal "
                                "cases: 15 and 30 days for a judgment, 7 and 15 days for a decision (BLTTHS 2015 art. "
                                "337) [verify]."),
    "item.lodging": ("Hồ sơ vụ án đã ghi nhận", "Recorded in the case file"),
    "item.lodging_step": ("Bước tố tụng", "Procedural step"),
    "item.lodging_stage": ("Giai đoạn", "Stage"),
    "item.lodging_court": ("Tòa án đang giải quyết vụ án", "Court now holding the case"),
    "item.lodging_filed_on": ("Ngày tính thời hạn đã dùng", "Counting date used"),
    "item.lodging_recorded_on": ("Ngày ghi nhận", "Recorded on"),
    "parties.title": ("Tra cứu đương sự", "Đương sự (party registry)"),
    "parties.query": ("Họ tên (có hoặc không dấu) hoặc số CCCD, mã số thuế", "Name (with or without diacritics) "
                      "or CCCD, tax code"),
    "parties.search": ("Tìm", "Search"),
    "parties.none": ("Không tìm thấy đương sự nào.", "No party found."),
    "parties.name": ("Họ tên / tên", "Name"),
    "parties.kind": ("Loại chủ thể", "Kind"),
    "parties.identifier": ("Số định danh", "Identifier"),
    "parties.birth": ("Ngày / năm sinh", "Born"),
    "parties.phone": ("Số điện thoại", "Phone"),
    "parties.address": ("Địa chỉ", "Address"),
    "parties.version": ("Phiên bản", "Version"),
    "parties.merged_into": ("Đã gộp vào", "Merged into"),
    "party.title": ("Đương sự {name}", "Party {name}"),
    "party.history": ("Các phiên bản", "Versions"),
    "party.changed_fields": ("Trường thay đổi", "Changed fields"),
    "party.changed_by": ("Người sửa", "Changed by"),
    "party.changed_at": ("Thời điểm", "When"),
    "party.first_version": ("Vào sổ lần đầu", "First registered"),
}
