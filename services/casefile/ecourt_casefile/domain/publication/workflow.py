"""The publication record of one document: which action is allowed from which status, and by whom.

prepare (judge or clerk of the case: the encoded text is stored) -> ``prepared``;
review by another person than the one who prepared it (the judge, the clerk, or the president): approve ->
``approved``, return with a reason -> ``returned`` (prepare again); release -> ``released`` (only approved and
with no rule of art. 4 blocking it at that moment). A released document is final here: a correction (đính chính,
art. 8 [verify]) would be a new record.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    PREPARED = "prepared"
    RETURNED = "returned"
    APPROVED = "approved"
    RELEASED = "released"


@dataclass
class PublicationRefused(Exception):
    field: str
    code: str
    message_vi: str
    message_en: str


ALLOWED: dict[str, tuple[Status | None, ...]] = {
    "prepare": (None, Status.PREPARED, Status.RETURNED, Status.APPROVED),
    "review": (Status.PREPARED,),
    "release": (Status.APPROVED,),
}

# Who may act, as capacities of ``domain.access.capacities``.
ACTORS: dict[str, frozenset[str]] = {
    "flag": frozenset({"judge", "president"}),
    "prepare": frozenset({"judge", "clerk"}),
    "review": frozenset({"judge", "clerk", "president"}),
    "release": frozenset({"judge", "clerk", "president"}),
}

_STATUS_VI = {None: "chưa chuẩn bị", Status.PREPARED: "chờ duyệt", Status.RETURNED: "bị trả lại",
              Status.APPROVED: "đã duyệt", Status.RELEASED: "đã công bố"}


def check_transition(action: str, current: Status | None, *, prepared_by: str | None = None,
                     actor: str | None = None) -> None:
    """Raise :class:`PublicationRefused` when ``action`` may not be taken on a record in ``current``."""
    if current not in ALLOWED[action]:
        shown = current.value if current else "none"
        raise PublicationRefused(
            "document_id", f"publication.not_{action}able",
            f"Không thể thực hiện '{action}' với văn bản đang ở trạng thái '{_STATUS_VI[current]}'.",
            f"cannot {action} a document whose publication status is '{shown}'")
    if action == "review" and prepared_by is not None and prepared_by == actor:
        raise PublicationRefused(
            "token", "publication.same_reviewer",
            "Người duyệt bản mã hóa phải khác người đã chuẩn bị bản đó.",
            "the encoded version must be reviewed by someone other than the person who prepared it")
