"""RPC contract of assignment: what callers send and what they get back.

(Kept here for the walking skeleton; it belongs in ``ecourt_shared.contracts.assignment`` next to
``contracts.intake`` once callers other than the console need it.) Decimals travel as strings so that a
load total or a capacity is never rounded on the way; instants as ISO 8601 strings.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ecourt_shared.contracts.events import CaseType, Stage


class JudgeInputV1(BaseModel):
    """A judge seat as the president or the IT administrator registers it (an upsert by ``judge_id``)."""

    model_config = ConfigDict(extra="forbid")
    judge_id: str = Field(pattern=r"^[A-Za-z0-9._-]{1,40}$")
    full_name: str = Field(min_length=1, max_length=200)
    specializations: list[str] = Field(min_length=1, max_length=10)
    capacity: Decimal = Field(default=Decimal(1), gt=0, le=1, decimal_places=4)
    active: bool = True


class InboxCaseV1(BaseModel):
    case_id: str
    acceptance_number: str
    case_type: CaseType
    stage: Stage
    subject: str
    party_count: int
    accepted_at: datetime
    received_at: datetime


class AssignmentResultV1(BaseModel):
    case_id: str
    acceptance_number: str
    judge_id: str
    judge_name: str
    method: Literal["random", "designation"]
    draw_id: str | None
    seed_commitment: str | None
    weight: str
    assigned_at: datetime


class JudgeCaseV1(BaseModel):
    case_id: str
    acceptance_number: str
    case_type: CaseType
    stage: Stage
    subject: str
    method: Literal["random", "designation"]
    draw_id: str | None
    assigned_at: datetime


class RosterJudgeV1(BaseModel):
    judge_id: str
    full_name: str
    specializations: list[str]
    capacity: str
    active: bool
    load_total: str
    assigned_cases: int
