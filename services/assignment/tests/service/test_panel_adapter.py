"""The nameko adapter of panels and the reception inbox: who may call what, and bad input refused by field."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest.mock import MagicMock

import pytest
from nameko.testing.services import worker_factory

from ecourt_assignment import service as service_module
from ecourt_assignment.contracts import PanelV1, ReceptionInboxV1
from ecourt_assignment.domain.clock import utc_now
from ecourt_assignment.service import AssignmentService
from ecourt_shared.auth import Principal, Role
from ecourt_shared.auth.nameko import Authenticator
from ecourt_shared.contracts.errors import PermissionDenied, RequestRejected

pytestmark = pytest.mark.service

COURT = "79KV01"
CASE = "79KV01202600012365"
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def service_as(*roles: Role) -> tuple[AssignmentService, Principal]:
    p = Principal(user_id="u-1", court_id=COURT, roles=list(roles), display_name="Người dùng", judge_id="TP-1")
    return worker_factory(AssignmentService, auth=Authenticator(lambda token: p)), p


def test_drawing_and_changing_a_panel_and_the_reception_inbox_are_for_the_president_only():
    for roles in ((Role.JUDGE,), (Role.CLERK,), (Role.IT_ADMIN,), (Role.RECEPTION,)):
        service, _ = service_as(*roles)
        with pytest.raises(PermissionDenied):
            service.draw_panel("token", case_id=CASE)
        with pytest.raises(PermissionDenied):
            service.replace_panel_member("token", case_id=CASE, member_id="HT-1", reason="Hội thẩm bị ốm dài ngày")
        with pytest.raises(PermissionDenied):
            service.reception_inbox("token")


def test_draw_panel_passes_its_options_and_returns_json(monkeypatch):
    panel = PanelV1(case_id=CASE, acceptance_number="12/2026/TLST-DS", stage="ST", round=1, draw_id="DR-1",
                    seed_commitment="ab" * 32, composition={}, seats=[], clerk_id=None)
    handler = MagicMock(return_value=panel)
    monkeypatch.setattr(service_module.panels, "draw_panel", handler)
    service, president = service_as(Role.PRESIDENT)
    answer = service.draw_panel("token", case_id=CASE, complex_case=True, reason="Vụ án phức tạp, nhiều bị cáo")
    handler.assert_called_once_with(president, CASE, service.db, utc_now, complex_case=True, substitutes=False,
                                    reason="Vụ án phức tạp, nhiều bị cáo", draw_id=None)
    assert answer["draw_id"] == "DR-1" and answer["seats"] == []


def test_reception_inbox_returns_json(monkeypatch):
    monkeypatch.setattr(service_module.reception, "reception_inbox",
                        MagicMock(return_value=ReceptionInboxV1(awaiting=[], decisions=[])))
    service, _ = service_as(Role.PRESIDENT)
    assert service.reception_inbox("token") == {"awaiting": [], "decisions": []}


def test_an_unknown_roster_kind_or_member_kind_is_refused_by_field():
    service, _ = service_as(Role.PRESIDENT)
    with pytest.raises(RequestRejected) as caught:
        service.roster("token", kind="bailiff")
    assert caught.value.detail["errors"][0]["field"] == "kind"
    with pytest.raises(RequestRejected) as bad:
        service.register_judge("token", judge={"judge_id": "TK-1", "full_name": "Thư ký", "specializations": ["civil"],
                                               "kind": "bailiff"})
    assert bad.value.detail["errors"][0]["field"] == "judge.kind"
