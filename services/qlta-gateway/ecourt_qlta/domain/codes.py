"""Code tables of the canonical model, and the ranks that make out-of-order events converge.

QLTA's own code lists are not public: the status and assignment codes below are our naming of the
procedural states a court reports on **[verify against QLTA's code lists; when they are known, only
this table and the adapter change]**.
"""

from __future__ import annotations

from typing import Final

# ecourt status (casefile's CaseProgressedV1.status) -> (canonical code, Vietnamese name)
STATUS_CODES: Final[dict[str, tuple[str, str]]] = {
    "accepted": ("DA_THU_LY", "Đã thụ lý"),
    "preparing": ("CHUAN_BI_XET_XU", "Đang chuẩn bị xét xử"),
    "suspended": ("TAM_DINH_CHI", "Tạm đình chỉ giải quyết"),
    "hearing_scheduled": ("DUA_RA_XET_XU", "Đã có quyết định đưa vụ án ra xét xử"),
    "decided": ("DA_XET_XU", "Đã xét xử, giải quyết"),
    "in_effect": ("CO_HIEU_LUC", "Bản án, quyết định đã có hiệu lực pháp luật"),
    "closed": ("KET_THUC", "Đã kết thúc"),
}

ASSIGNMENT_METHODS: Final[dict[str, str]] = {"random": "NGAU_NHIEN", "designation": "CHI_DINH"}

# Same convergence rule as the stats read model (see ecourt_stats.domain.status): the status with the
# highest rank wins, rank = stage * 100 + phase * 10 + authority; ties by the producer's clock.
STAGE_RANK: Final[dict[str, int]] = {"ST": 1, "PT": 2, "GĐT": 3, "TT": 3}
PHASE_RANK: Final[dict[str, int]] = {
    "accepted": 1,
    "preparing": 2,
    "suspended": 2,
    "hearing_scheduled": 2,
    "decided": 3,
    "in_effect": 4,
    "closed": 5,
}
AUTHORITY: Final[dict[str, int]] = {"intake": 0, "casefile": 1}


def status_rank(stage: str, status: str, source: str) -> int:
    return STAGE_RANK[stage] * 100 + PHASE_RANK[status] * 10 + AUTHORITY[source]
