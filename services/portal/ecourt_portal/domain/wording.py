"""What a case's codes mean in words: status, case type, stage.

Statuses are casefile's (``CaseProgressedV1.status``). English keeps the Vietnamese legal term first,
because that is the term printed on every court paper the citizen holds: "Thụ lý (accepted)".
"""

from __future__ import annotations

from ecourt_portal.domain.text import Text, legal_term
from ecourt_shared.identifiers import IdentifierError, case_type_names, stage_names

STATUSES: dict[str, Text] = {
    "accepted": legal_term("Thụ lý", "accepted", vi="Đã thụ lý"),
    "preparing": legal_term("Chuẩn bị xét xử", "preparing for trial", vi="Đang chuẩn bị xét xử"),
    "suspended": legal_term("Tạm đình chỉ", "proceedings suspended", vi="Tạm đình chỉ giải quyết vụ án"),
    "hearing_scheduled": legal_term("Đưa vụ án ra xét xử", "hearing scheduled",
                                    vi="Đã có quyết định đưa vụ án ra xét xử"),
    "decided": legal_term("Đã xét xử", "decided, not yet in legal effect",
                          vi="Đã xét xử, bản án hoặc quyết định chưa có hiệu lực pháp luật"),
    "in_effect": legal_term("Có hiệu lực pháp luật", "in legal effect",
                            vi="Bản án hoặc quyết định đã có hiệu lực pháp luật"),
    "closed": legal_term("Kết thúc", "closed", vi="Đã kết thúc giải quyết vụ án"),
}
UNKNOWN = Text("Chưa có thông tin", "Not yet known (chưa có thông tin)")


def status_words(status: str | None) -> Text:
    if status is None:
        return UNKNOWN
    # A status added by a newer casefile still shows, as its code, rather than breaking the page.
    return STATUSES.get(status, Text(status, status))


def case_type_words(code: str | None) -> Text:
    if code is None:
        return UNKNOWN
    try:
        vi, en = case_type_names(code)
    except IdentifierError:
        return Text(code, code)
    return legal_term(vi, en.lower(), vi=vi)


def stage_words(code: str | None) -> Text:
    if code is None:
        return UNKNOWN
    try:
        vi, en = stage_names(code)
    except IdentifierError:
        return Text(code, code)
    return legal_term(vi, en.lower(), vi=vi)
