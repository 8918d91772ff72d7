"""What a person is told when a call to another service fails. Never a bare 500.

Contract errors (``RequestRejected``, ``NotFound``, ``Conflict``, ``PermissionDenied``) carry messages
in both languages and keep them; transport failures (timeout, service not running) and unexpected
remote errors get a bilingual message naming the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nameko.exceptions import BadRequest, RemoteError, RpcTimeout, UnknownService

from ecourt_shared.contracts.errors import Conflict, NotFound, PermissionDenied, RequestRejected

SERVICE_NAMES: dict[str, tuple[str, str]] = {
    "assignment": ("phân công", "assignment"),
    "casefile": ("hồ sơ vụ án", "case file"),
    "intake": ("tiếp nhận", "intake"),
}


@dataclass(frozen=True)
class Message:
    vi: str
    en: str
    field: str = ""
    code: str = ""


@dataclass(frozen=True)
class RpcFailure:
    kind: str  # rejected | not_found | conflict | denied | unavailable | error
    status: int
    messages: list[Message] = field(default_factory=list)

    def field_errors(self) -> list[Message]:
        return [m for m in self.messages if m.field]


def _service(service: str) -> tuple[str, str]:
    return SERVICE_NAMES.get(service, (service, service))


DEFAULTS: dict[str, tuple[int, str, str]] = {
    "rejected": (422, "Yêu cầu không hợp lệ.", "The request is not valid."),
    "not_found": (404, "Không tìm thấy vụ án hoặc hồ sơ được yêu cầu.", "The case or record was not found."),
    "conflict": (409, "Thao tác không thực hiện được vì trạng thái hiện tại của vụ án (ví dụ đã được phân công).",
                 "The action conflicts with the case's current state (for example, it is already assigned)."),
    "denied": (403, "Bạn không có quyền thực hiện thao tác này.", "You are not allowed to do this."),
}


def _messages(detail: Any) -> list[Message]:
    if not isinstance(detail, dict):
        return []
    out = []
    for err in detail.get("errors") or []:
        if isinstance(err, dict) and (err.get("message_vi") or err.get("message_en")):
            out.append(Message(vi=str(err.get("message_vi") or err.get("message_en")),
                               en=str(err.get("message_en") or err.get("message_vi")),
                               field=str(err.get("field") or ""), code=str(err.get("code") or "")))
    if not out and (detail.get("message_vi") or detail.get("message_en")):
        out.append(Message(vi=str(detail.get("message_vi") or detail.get("message_en")),
                           en=str(detail.get("message_en") or detail.get("message_vi")),
                           code=str(detail.get("code") or "")))
    return out


def classify(exc: BaseException, service: str) -> RpcFailure:
    for cls, kind in ((RequestRejected, "rejected"), (NotFound, "not_found"), (Conflict, "conflict"),
                      (PermissionDenied, "denied")):
        if isinstance(exc, cls):
            status, vi, en = DEFAULTS[kind]
            return RpcFailure(kind, status, _messages(getattr(exc, "detail", None)) or [Message(vi, en)])
    name_vi, name_en = _service(service)
    if isinstance(exc, RpcTimeout | UnknownService | OSError | ConnectionError):
        return RpcFailure("unavailable", 503, [Message(
            f"Dịch vụ {name_vi} tạm thời không phản hồi. Vui lòng thử lại sau ít phút.",
            f"The {name_en} service is not answering right now. Please try again in a few minutes.")])
    if isinstance(exc, RemoteError | BadRequest):
        return RpcFailure("error", 502, [Message(
            f"Dịch vụ {name_vi} gặp lỗi khi xử lý yêu cầu; lỗi đã được ghi lại.",
            f"The {name_en} service failed to handle the request; the error has been logged.")])
    return RpcFailure("error", 502, [Message(
        f"Không gọi được dịch vụ {name_vi}; lỗi đã được ghi lại.",
        f"The call to the {name_en} service failed; the error has been logged.")])
