"""Row locks on the real database: a busy row makes a draw wait cooperatively, never block the worker."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import IntegrityError

from ecourt_assignment.adapters.orm import draw_commitments, draws, inbox, judges, metadata
from ecourt_assignment.contracts import JudgeInputV1
from ecourt_assignment.service_layer import drawing, locking
from ecourt_assignment.service_layer import judges as judge_handlers
from ecourt_shared.auth import Principal, Role
from ecourt_shared.contracts.errors import Conflict
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import make_case_id

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def uows(ecourt_env: Any, migrated: Callable[[str], None]) -> Iterator[UnitOfWorkFactory]:
    migrated("ecourt_assignment")
    engine = create_engine(ecourt_env.settings.database_url("assignment"))
    yield UnitOfWorkFactory(engine, metadata)
    engine.dispose()


@pytest.fixture
def court(uows: UnitOfWorkFactory) -> tuple[Principal, str]:
    """A court with one civil judge and one case waiting in the inbox."""
    court_id = f"L{uuid.uuid4().hex[:5].upper()}"
    case_id = make_case_id(court_id, 2026, 1)
    with uows() as uow:
        uow.execute(judges.insert().values(
            judge_id=f"{court_id}-TP-1", court_id=court_id, full_name="Nguyễn Văn An", specializations=["civil"],
            capacity=Decimal(1), active=True, load_total=Decimal(0), created_at=NOW, updated_at=NOW))
        uow.execute(inbox.insert().values(
            case_id=case_id, court_id=court_id, case_type="DS", stage="ST", acceptance_number="01/2026/TLST-DS",
            subject="Tranh chấp", party_count=2, accepted_at=NOW, received_at=NOW, status="awaiting_assignment"))
        uow.commit()
    president = Principal(user_id="chanhan", court_id=court_id, roles=[Role.PRESIDENT], display_name="Chánh án")
    return president, case_id


class Holder:
    """Another transaction holding a row lock until ``release()``."""

    def __init__(self, uows: UnitOfWorkFactory, statement: Any) -> None:
        self.uow = uows()
        self.uow.execute(statement)

    def release(self) -> None:
        self.uow.session.rollback()
        self.uow.session.close()


def test_a_locked_case_is_retried_after_a_cooperative_sleep(uows, court, monkeypatch):
    president, case_id = court
    holder = Holder(uows, select(inbox).where(inbox.c.case_id == case_id).with_for_update())
    pauses: list[float] = []

    def sleep(seconds: float) -> None:  # what eventlet's patched sleep would let happen: the holder finishes
        pauses.append(seconds)
        if len(pauses) == 3:
            holder.release()

    monkeypatch.setattr(locking.time, "sleep", sleep)
    result = drawing.assign_random(president, case_id, uows, lambda: NOW)
    assert result.judge_id.endswith("TP-1")
    assert pauses == [0.02, 0.04, 0.08]
    with uows() as uow:
        assert uow.execute(select(inbox.c.status).where(inbox.c.case_id == case_id)).scalar() == "assigned"
        assert len(uow.execute(select(draws.c.draw_id).where(draws.c.case_id == case_id)).all()) == 1


def test_a_draw_waits_for_a_locked_judge_and_gives_up_with_conflict(uows, court, monkeypatch):
    president, case_id = court
    holder = Holder(uows, select(judges).where(judges.c.court_id == president.court_id).with_for_update())
    pauses: list[float] = []
    monkeypatch.setattr(locking.time, "sleep", pauses.append)
    try:
        with pytest.raises(Conflict) as caught:
            drawing.assign_random(president, case_id, uows, lambda: NOW)
    finally:
        holder.release()
    assert caught.value.detail["errors"][0]["code"] == "assignment.busy"
    assert sum(pauses) >= locking.GIVE_UP_AFTER_SECONDS
    with uows() as uow:  # nothing of the failed attempts remains
        assert uow.execute(select(draws.c.draw_id).where(draws.c.case_id == case_id)).all() == []
        assert uow.execute(select(inbox.c.status).where(inbox.c.case_id == case_id)).scalar() == \
            "awaiting_assignment"
        # the commitment made before the attempts is closed as void with the reason, never left open for reuse
        assert uow.execute(select(draw_commitments.c.status, draw_commitments.c.void_reason)
                           .where(draw_commitments.c.case_id == case_id)).one() == ("void", "assignment.busy")


def test_registering_a_judge_held_by_a_draw_waits_too(uows, court, monkeypatch):
    president, _ = court
    judge_id = f"{president.court_id}-TP-1"
    holder = Holder(uows, select(judges).where(judges.c.judge_id == judge_id).with_for_update())
    monkeypatch.setattr(locking.time, "sleep", lambda seconds: holder.release())
    entry, created = judge_handlers.register_judge(
        president, JudgeInputV1(judge_id=judge_id, full_name="Nguyễn Văn An", specializations=["civil"],
                                capacity=Decimal("0.5")), uows, lambda: NOW)
    assert created is False and entry.capacity == "0.5"


def test_the_database_refuses_impossible_rows(uows, court):
    president, case_id = court
    with uows() as uow, pytest.raises(IntegrityError, match="ck_judges_capacity"):
        uow.execute(judges.update().where(judges.c.court_id == president.court_id).values(capacity=Decimal(0)))
    with uows() as uow, pytest.raises(IntegrityError, match="ck_inbox_status"):
        uow.execute(inbox.update().where(inbox.c.case_id == case_id).values(status="lost"))
    with uows() as uow:
        assert uow.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0003"
