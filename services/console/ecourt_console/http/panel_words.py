"""Words of the president's assignment pages: designation, reassignment, the trial panel, fairness, reception inbox.

Vietnamese first, English gloss after; legal terms keep their Vietnamese names. The rules and their
citations live in assignment (``panels.yaml``, ``weights.yaml``); these pages only name what it returns.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

# How a seat or a case was given: a designation must never read like a draw.
SEAT_METHOD_NAMES: dict[str, tuple[str, str]] = {
    "random": ("Bốc thăm ngẫu nhiên", "random draw"),
    "designation": ("Chỉ định", "designation"),
    "assigned": ("Thẩm phán được phân công giải quyết vụ án", "the case's assigned judge"),
}

SEAT_KIND_NAMES: dict[str, tuple[str, str]] = {
    "judge": ("Thẩm phán", "judge"),
    "assessor": ("Hội thẩm nhân dân", "lay assessor"),
    "clerk": ("Thư ký Tòa án", "court clerk"),
}

PANEL_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.fairness": ("Công bằng phân công", "Fairness of assignment"),
    "dashboard.fairness": ("Tải công việc từng Thẩm phán, độ chênh lệch, chỉ số Gini, chỉ định và bốc thăm.",
                           "Each judge's load, spread, Gini index, designations and draws."),
    "inbox.open_case": ("Mở trang phân công", "Open the assignment page"),
    "inbox.find": ("Mở vụ án theo mã", "Open a case by its code"),
    "inbox.find_label": ("Mã vụ án", "Case code"),
    "inbox.find_bad": ("Mã vụ án không hợp lệ.", "The case code is not valid."),
    "inbox.reception_title": ("Đơn, tài liệu mới đến chờ xử lý", "Arrivals awaiting a decision"),
    "inbox.reception_empty": ("Không có mục nào chờ xử lý.", "Nothing is awaiting a decision."),
    "inbox.decisions_title": ("Quyết định xử lý gần đây", "Recent reception decisions"),
    "inbox.decisions_empty": ("Chưa có quyết định nào.", "No decision yet."),
    "inbox.decided_by": ("Người quyết định", "Decided by"),
    "inbox.decided_at": ("Thời điểm", "When"),
    "case.title": ("Phân công vụ án {number}", "Assignment of case {number}"),
    "case.awaiting": ("Vụ án đang chờ phân công Thẩm phán.", "The case is awaiting a Thẩm phán (judge)."),
    "case.assigned_to": ("Thẩm phán được phân công", "Assigned Thẩm phán (judge)"),
    "case.method": ("Phương thức", "Method"),
    "case.reason": ("Lý do", "Reason"),
    "case.back": ("Về hộp thư Chánh án", "Back to the inbox"),
    "case.dossier": ("Xem hồ sơ vụ án", "Open the case file"),
    "designate.title": ("Chỉ định Thẩm phán", "Designate a Thẩm phán (judge)"),
    "designate.note": ("Chỉ định là ngoại lệ của phân công ngẫu nhiên: phải ghi rõ lý do; lý do được lưu và hiển thị "
                       "cùng vụ án.",
                       "Designation is the exception to random assignment: the reason is mandatory, recorded and "
                       "shown with the case."),
    "designate.judge": ("Thẩm phán", "Thẩm phán (judge)"),
    "designate.reason": ("Lý do chỉ định (ít nhất 10 ký tự)", "Reason for the designation (at least 10 characters)"),
    "designate.submit": ("Chỉ định", "Chỉ định (Designate)"),
    "designate.done": ("Đã chỉ định Thẩm phán {judge} giải quyết vụ án {number}.",
                       "Thẩm phán (judge) {judge} was designated for case {number}."),
    "reassign.title": ("Thay đổi Thẩm phán", "Reassign the case"),
    "reassign.note": ("Không chọn Thẩm phán: bốc thăm lại (Thẩm phán hiện tại bị loại khỏi lượt bốc). Chọn Thẩm phán: "
                      "chỉ định.",
                      "No judge chosen: a new draw (the current judge is kept out). A judge chosen: a designation."),
    "reassign.judge": ("Thẩm phán mới (để trống để bốc thăm lại)", "New judge (leave empty for a new draw)"),
    "reassign.by_draw": ("— Bốc thăm lại —", "— New random draw —"),
    "reassign.reason": ("Lý do thay đổi (ít nhất 10 ký tự)", "Reason for the change (at least 10 characters)"),
    "reassign.submit": ("Thay đổi Thẩm phán", "Reassign"),
    "reassign.done": ("Đã thay đổi Thẩm phán vụ án {number}: {judge} ({method}).",
                      "Case {number} now goes to {judge} ({method})."),
    "choose": ("— Chọn —", "— Choose —"),
    "unavailable": ("vắng mặt hôm nay", "unavailable today"),
    "panel.title": ("Hội đồng xét xử và Thư ký phiên tòa", "Hội đồng xét xử (trial panel) and the clerk"),
    "panel.none": ("Chưa lập Hội đồng xét xử cho giai đoạn này.", "No trial panel has been drawn for this stage yet."),
    "panel.not_assigned": ("Cần phân công Thẩm phán trước khi lập Hội đồng xét xử.",
                           "Assign a judge before drawing the trial panel."),
    "panel.draw": ("Lập Hội đồng xét xử (bốc thăm)", "Draw the trial panel"),
    "panel.complex": ("Thành phần mở rộng (vụ án phức tạp)", "Enlarged composition (complex case)"),
    "panel.substitutes": ("Có thành viên dự khuyết", "With substitute members (dự khuyết)"),
    "panel.reason": ("Lý do (bắt buộc khi mở rộng hoặc có dự khuyết)",
                     "Reason (mandatory for an enlarged panel or substitutes)"),
    "panel.submit": ("Bốc thăm Hội đồng xét xử", "Draw the panel"),
    "panel.drawn": ("Đã lập Hội đồng xét xử vụ án {number}.", "The trial panel of case {number} was drawn."),
    "panel.seat": ("Ghế", "Seat"),
    "panel.kind": ("Chức danh", "Role"),
    "panel.member": ("Thành viên", "Member"),
    "panel.how": ("Cách chọn", "How chosen"),
    "panel.since": ("Từ", "Since"),
    "panel.composition": ("Thành phần theo luật", "Composition required by law"),
    "panel.draw_id": ("Mã lượt bốc thăm", "Draw id"),
    "panel.seed_commitment": ("Cam kết hạt giống", "Seed commitment"),
    "panel.verify": ("Kiểm chứng", "Verify"),
    "panel.panel_reason": ("Lý do lập", "Reason given"),
    "panel.substitute": ("dự khuyết", "substitute"),
    "replace.title": ("Thay thành viên Hội đồng xét xử", "Replace a panel member"),
    "replace.member": ("Thành viên được thay", "Member to replace"),
    "replace.reason": ("Lý do thay (ít nhất 10 ký tự)", "Reason (at least 10 characters)"),
    "replace.designate": ("Người thay (để trống để bốc thăm)", "Replacement (leave empty for a draw)"),
    "replace.by_draw": ("— Bốc thăm người thay —", "— Draw the replacement —"),
    "replace.submit": ("Thay thành viên", "Replace"),
    "replace.done": ("Đã thay {member} trong Hội đồng xét xử vụ án {number}.",
                     "{member} was replaced on the panel of case {number}."),
    "replace.presiding_note": ("Thẩm phán chủ tọa được thay bằng chức năng Thay đổi Thẩm phán.",
                               "The presiding judge changes through Reassign."),
    "fix": ("Chưa thực hiện được, vui lòng xem các mục được đánh dấu.",
            "Not done; please see the marked fields."),
    "verify.title": ("Kiểm chứng lượt bốc thăm {draw_id}", "Verification of draw {draw_id}"),
    "verify.ok": ("Khớp: chạy lại từ hồ sơ lượt bốc thăm cho cùng kết quả và hạt giống khớp với cam kết đã công bố.",
                  "Verified: replaying the draw from its record gives the same result and the seed matches the "
                  "published commitment."),
    "verify.failed": ("KHÔNG KHỚP: chạy lại cho kết quả khác hồ sơ.",
                      "NOT VERIFIED: the replay differs from the record."),
    "verify.committed_at": ("Cam kết lúc", "Committed at"),
    "verify.seen_at": ("Đã công bố trên kênh sự kiện lúc", "Seen on the event bus at"),
    "verify.drawn_at": ("Bốc thăm lúc", "Drawn at"),
    "verify.algorithm": ("Thuật toán", "Algorithm"),
    "verify.differences": ("Điểm khác", "Differences"),
    "fairness.title": ("Công bằng phân công", "Fairness of assignment"),
    "fairness.intro": ("Tải công việc đã tính theo hệ số thời gian làm việc của từng Thẩm phán.",
                       "Loads are already divided by each judge's capacity."),
    "fairness.judge": ("Thẩm phán", "Thẩm phán (judge)"),
    "fairness.capacity": ("Hệ số làm việc", "Capacity"),
    "fairness.load": ("Tải công việc", "Load"),
    "fairness.random": ("Bốc thăm", "Drawn"),
    "fairness.designated": ("Chỉ định", "Designated"),
    "fairness.spread": ("Chênh lệch cao nhất – thấp nhất", "Spread (highest – lowest)"),
    "fairness.gini": ("Chỉ số Gini (0 = đều tuyệt đối)", "Gini index (0 = perfectly even)"),
    "fairness.max_distance": ("Biên độ cho phép", "Band (max distance)"),
    "fairness.draws": ("Số lượt bốc thăm", "Draws"),
    "fairness.escapes": ("Lượt trúng ngoài biên độ", "Escapes (outsider chance)"),
    "fairness.escape_rate": ("Tỷ lệ ngoài biên độ", "Escape rate"),
    "fairness.designations": ("Số lần chỉ định", "Designations"),
    # assignment counts every move with compensation: a case's judge and a panel member replaced alike
    "fairness.reassignments": ("Số lần thay đổi Thẩm phán, thành viên Hội đồng xét xử",
                               "Reassignments and panel replacements"),
    "fairness.void": ("Cam kết không dùng đến", "Commitments never drawn"),
    "fairness.table_version": ("Phiên bản bảng trọng số", "Weight table version"),
    "fairness.share": ("Chỉ định / tổng phân công", "Designations / all assignments"),
    "fairness.empty": ("Chưa có Thẩm phán trong danh sách.", "No judge on the roster yet."),
    "fairness.cases": ("Vụ án", "Cases"),
    "judge_cases.title": ("Vụ án của Thẩm phán {judge}", "Cases of Thẩm phán (judge) {judge}"),
    "judge_cases.empty": ("Thẩm phán chưa có vụ án nào.", "The judge has no case yet."),
}


def label(table: dict[str, tuple[str, str]], lang: str, code: Any) -> str:
    """A code in the page's language: Vietnamese, or ``Vietnamese (English)`` on English pages."""
    names = table.get(str(code))
    if names is None:
        return str(code or "")
    return f"{names[0]} ({names[1]})" if lang == "en" else names[0]


def number(value: Any, places: int = 2, lang: str = "vi") -> str:
    """``"1234.5"`` -> ``1.234,50`` on Vietnamese pages (comma decimal), ``1,234.50`` on English ones."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value or "")
    text = f"{amount:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if lang == "vi" else text


def percent(value: Any, lang: str = "vi") -> str:
    """A ratio as a percentage: ``"0.0583"`` -> ``5,83 %`` (vi) / ``5.83 %`` (en)."""
    try:
        ratio = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value or "")
    return f"{number(ratio * 100, 2, lang)} %"
