"""The refusals of assignment, worded once (Vietnamese first, English alongside)."""

from __future__ import annotations

from ecourt_shared.contracts.errors import Conflict, FieldError, NotFound, RequestRejected
from ecourt_shared.identifiers import IdentifierError, parse_case_id


def _detail(field: str, code: str, vi: str, en: str) -> dict[str, list[dict[str, str]]]:
    return {"errors": [FieldError(field=field, code=code, message_vi=vi, message_en=en).model_dump()]}


def canonical_case_id(case_id: str) -> str:
    """Accept the canonical or the display form (79KV01-2026-000123-KK); refuse anything else by name."""
    try:
        return parse_case_id(case_id).canonical
    except IdentifierError as exc:
        raise RequestRejected.single("case_id", exc.code, exc.message_vi, exc.message_en) from None


def case_not_found(case_id: str) -> NotFound:
    return NotFound(_detail("case_id", "case.not_found",
                            f"Không tìm thấy vụ án {case_id} trong hộp thư phân công của Tòa án.",
                            f"case {case_id} is not in this court's assignment inbox"))


def already_assigned(case_id: str, judge_name: str) -> Conflict:
    return Conflict(_detail("case_id", "case.already_assigned",
                            f"Vụ án {case_id} đã được phân công cho Thẩm phán {judge_name}.",
                            f"case {case_id} is already assigned to judge {judge_name}"))


def no_candidates(case_id: str, field_vi: str, field_en: str) -> RequestRejected:
    return RequestRejected.single(
        "case_id", "assignment.no_candidates",
        f"Không có Thẩm phán nào đang hoạt động thuộc lĩnh vực {field_vi} để bốc thăm vụ án {case_id}.",
        f"no active judge of the {field_en} field can be drawn for case {case_id}")


def judge_not_found(judge_id: str) -> NotFound:
    return NotFound(_detail("judge_id", "judge.not_found", f"Không tìm thấy Thẩm phán {judge_id} của Tòa án.",
                            f"judge {judge_id} is not on this court's roster"))


def judge_of_other_court(judge_id: str) -> Conflict:
    return Conflict(_detail("judge.judge_id", "judge.other_court",
                            f"Mã Thẩm phán {judge_id} đã được dùng tại một Tòa án khác.",
                            f"judge id {judge_id} is already used by another court"))


def busy(field: str, key: str) -> Conflict:
    return Conflict(_detail(field, "assignment.busy",
                            f"Dữ liệu của {key} đang được một thao tác khác sử dụng; vui lòng thử lại.",
                            f"the data of {key} is held by another operation; please retry"))


def commitment_not_found(draw_id: str) -> NotFound:
    return NotFound(_detail("draw_id", "draw.commitment_missing",
                            f"Không có cam kết hạt giống {draw_id} của Tòa án: không được bốc thăm khi chưa công bố "
                            "cam kết.",
                            f"there is no seed commitment {draw_id} of this court: no draw without a published "
                            "commitment"))


def commitment_of_other_case(draw_id: str, case_id: str) -> RequestRejected:
    return RequestRejected.single("draw_id", "draw.commitment_other_case",
                                  f"Cam kết {draw_id} không thuộc vụ án {case_id}.",
                                  f"commitment {draw_id} was not made for case {case_id}")


def commitment_closed(draw_id: str, status: str) -> Conflict:
    return Conflict(_detail("draw_id", "draw.commitment_closed",
                            f"Cam kết {draw_id} đã được sử dụng hoặc đã hủy ({status}); cần cam kết mới.",
                            f"commitment {draw_id} was already used or voided ({status}); make a new one"))


def commitment_expired(draw_id: str, max_age: int) -> RequestRejected:
    return RequestRejected.single("draw_id", "draw.commitment_expired",
                                  f"Cam kết {draw_id} đã quá {max_age} giây; cần cam kết mới trước khi bốc thăm.",
                                  f"commitment {draw_id} is older than {max_age} seconds; commit anew before the draw")


def reason_required(field: str = "reason") -> RequestRejected:
    return RequestRejected.single(field, "reason.required",
                                  "Phải ghi rõ lý do (ít nhất 10 ký tự).",
                                  "a reason is mandatory (at least 10 characters)")


def not_assigned(case_id: str) -> Conflict:
    return Conflict(_detail("case_id", "case.not_assigned",
                            f"Vụ án {case_id} chưa được phân công nên không thể thay đổi Thẩm phán.",
                            f"case {case_id} is not assigned yet, so its judge cannot be changed"))


def no_available_candidates(case_id: str, excluded: list[tuple[str, str]]) -> RequestRejected:
    listed = ", ".join(f"{j} ({r})" for j, r in excluded)
    return RequestRejected.single(
        "case_id", "assignment.no_available_candidates",
        f"Mọi Thẩm phán có thẩm quyền đều vắng mặt, xung đột lợi ích hoặc đang rời vụ án {case_id}: {listed}.",
        f"every competent judge is unavailable, conflicted or leaving case {case_id}: {listed}")


def judge_refused(judge_id: str, code: str, vi: str, en: str) -> RequestRejected:
    return RequestRejected.single("judge_id", code, f"Không thể chỉ định Thẩm phán {judge_id}: {vi}",
                                  f"judge {judge_id} cannot be designated: {en}")


def kind_is_fixed(member_id: str, kind: str) -> RequestRejected:
    return RequestRejected.single(
        "judge.kind", "roster.kind_fixed",
        f"{member_id} đã có trong danh sách với vai trò {KIND_VI[kind]}; không thể đổi vai trò.",
        f"{member_id} is already on the roster as a {kind}; the role cannot change")


KIND_VI = {"judge": "Thẩm phán", "assessor": "Hội thẩm nhân dân", "clerk": "Thư ký Tòa án"}


def panel_exists(case_id: str) -> Conflict:
    return Conflict(_detail("case_id", "panel.already_drawn",
                            f"Hội đồng xét xử của vụ án {case_id} ở giai đoạn này đã được lập.",
                            f"the trial panel of case {case_id} at this stage has already been drawn"))


def no_panel(case_id: str) -> Conflict:
    return Conflict(_detail("case_id", "panel.not_drawn",
                            f"Vụ án {case_id} chưa có Hội đồng xét xử ở giai đoạn này.",
                            f"case {case_id} has no trial panel at this stage yet"))


def seat_unfilled(seat: str, kind: str, excluded: list[tuple[str, str]]) -> RequestRejected:
    listed = ", ".join(f"{m} ({r})" for m, r in excluded) or "—"
    return RequestRejected.single(
        "case_id", "panel.seat_unfilled",
        f"Không còn {KIND_VI[kind]} nào có thể ngồi ghế {seat}: danh sách trống hoặc đều bị loại ({listed}).",
        f"no {kind} can take seat {seat}: the roster is empty or everyone is kept out ({listed})")


def no_panel_rule(case_type: str, stage: str) -> RequestRejected:
    return RequestRejected.single("case_id", "panel.no_rule",
                                  f"Chưa có quy định thành phần Hội đồng xét xử cho {case_type}-{stage}.",
                                  f"no panel composition is defined for {case_type}-{stage}")


def no_complex_composition(case_type: str, stage: str) -> RequestRejected:
    return RequestRejected.single("complex", "panel.no_complex_composition",
                                  f"Luật không quy định thành phần mở rộng cho {case_type}-{stage}.",
                                  f"the law gives no enlarged composition for {case_type}-{stage}")


def member_not_on_panel(member_id: str, case_id: str) -> NotFound:
    return NotFound(_detail("member_id", "panel.member_not_found",
                            f"{member_id} không ngồi trong Hội đồng xét xử của vụ án {case_id}.",
                            f"{member_id} does not sit on the panel of case {case_id}"))


def presiding_moves_by_reassign(case_id: str) -> RequestRejected:
    return RequestRejected.single(
        "member_id", "panel.presiding_by_reassign",
        f"Thẩm phán chủ tọa là Thẩm phán được phân công giải quyết vụ án {case_id}: dùng chức năng thay đổi "
        "Thẩm phán (reassign).",
        f"the presiding judge is the judge case {case_id} is assigned to: use reassign to change them")


def member_refused(member_id: str, code: str, vi: str, en: str) -> RequestRejected:
    return RequestRejected.single("member_id", code, f"Không thể chỉ định {member_id}: {vi}",
                                  f"{member_id} cannot be designated: {en}")
