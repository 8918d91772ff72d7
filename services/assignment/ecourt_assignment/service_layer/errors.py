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
