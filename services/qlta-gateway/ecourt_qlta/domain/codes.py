"""Code tables of the canonical model.

The ranks that make out-of-order events converge are not here: they are the rule every read model
shares, :mod:`ecourt_shared.contracts.status` (``status_rank``, ``STAGE_RANK``).

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

# CaseTransferredV1.reason -> canonical code of why the case changed court [verify against QLTA's code lists]
TRANSFER_REASONS: Final[dict[str, str]] = {"transfer": "CHUYEN_VU_AN", "merger": "SAP_NHAP_TOA_AN"}
