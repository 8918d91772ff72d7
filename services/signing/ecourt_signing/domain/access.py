"""Case-level access to court documents: who may draft, read, sign and seal the documents of a case.

The people of a case are those casefile gives the case's *full* view: the court's president, the judge
assigned to the case or sitting on its trial panel, and the clerk of the case (``ecourt_casefile.domain.
access.view_kind``). Only they draft, read, sign and seal its documents; within them the workflow decides
whose turn it is (the judge, then the president, then the clerk, per template). Anyone else of the court —
another judge, another clerk, reception, IT — is refused (``PermissionDenied``: the case's existence is no
secret inside the court, its documents are). For staff of another court the case does not exist
(``NotFound``, no probing), whatever their role.

Why ask casefile (``casefile.case_standing`` with the caller's own token: the same rule as the dossier's full
view, but no personal data travels and no dossier view is logged) instead of keeping a copy here:
casefile is the one service that knows the panel and the clerk of the case (the clerk is set by a procedural
step, carried by no event), and it already applies this rule to the dossier; a second copy fed from
``case_assigned`` would know only the judge and could drift from it. The price is one RPC per request (once
per case in a batch).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ecourt_shared.auth import Principal
from ecourt_shared.contracts.errors import NotFound, PermissionDenied


@dataclass(frozen=True)
class CaseStanding:
    """What casefile says about a case, as the caller sees it."""

    case_id: str  # canonical
    court_id: str
    involved: bool  # the caller is one of the people of the case (casefile's full view)


def standing_from_answer(answer: Mapping[str, Any]) -> CaseStanding:
    """Read casefile's answer (``CaseStandingV1`` as a dict)."""
    return CaseStanding(case_id=str(answer["case_id"]), court_id=str(answer["court_id"]),
                        involved=answer["involved"] is True)


def require_involved(actor: Principal, standing: CaseStanding) -> None:
    """Raise unless ``actor`` is one of the people of the case, in the case's own court."""
    if standing.court_id != actor.court_id:  # casefile already hides it; never trust one check alone
        raise NotFound({"message_vi": "Không tìm thấy vụ án.", "message_en": f"no case {standing.case_id}"})
    if not standing.involved:
        raise PermissionDenied({
            "message_vi": "Chỉ Chánh án, Thẩm phán được phân công (hoặc thành viên Hội đồng xét xử) và Thư ký của "
                          "vụ án được soạn, xem, ký và đóng dấu văn bản của vụ án.",
            "message_en": "only the president, the judge assigned to the case (or a member of its trial panel) and "
                          "the clerk of the case may draft, read, sign and seal its documents"})


class StandingCache:
    """One casefile question per case within a request (a batch of 200 summonses of the same case)."""

    def __init__(self, ask: Callable[[str], Mapping[str, Any]]) -> None:
        self._ask = ask
        self._known: dict[str, CaseStanding] = {}

    def __call__(self, case_id: str) -> CaseStanding:
        if case_id not in self._known:
            self._known[case_id] = standing_from_answer(self._ask(case_id))
        return self._known[case_id]
