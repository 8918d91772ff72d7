"""What the machine needs to know about a case, and what a legal step changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..deadlines import Deadline, Step


@dataclass(frozen=True)
class OpenDeadline:
    """A deadline of the case as stored (status open or paused: only those still run)."""

    rule_id: str
    purpose: str
    rule_stage: str
    variant: str | None
    trigger_on: date
    due_on: date
    status: str  # open | paused
    extension_used: int = 0
    extensions: int = 0
    legal_basis_vi: str = ""
    legal_basis_en: str = ""


@dataclass(frozen=True)
class CaseSnapshot:
    case_id: str
    court_id: str
    case_type: str
    stage: str
    state: str
    stage_opened_on: date
    judge_id: str | None = None
    panel: tuple[str, ...] = ()
    clerk_id: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    deadlines: tuple[OpenDeadline, ...] = ()
    # The appeal and protest windows of the judgment under appeal: the first appeal moves the case to the
    # appellate stage, but the windows keep running for every other party and the procuracy (art. 273, 280
    # BLTTDS 2015), so a later appeal is checked against them.
    appealed_windows: tuple[OpenDeadline, ...] = ()


@dataclass(frozen=True)
class DeadlineChange:
    verb: str  # open | close | pause | restart | extend
    rule_id: str
    purpose: str
    rule_stage: str
    variant: str | None = None
    trigger_on: date | None = None
    deadline: Deadline | None = None  # the (re)computed deadline for open, restart and extend
    extension_used: int = 0


@dataclass(frozen=True)
class Plan:
    step: str
    stage: str
    from_state: str
    to_state: str
    status: str
    on: date
    params: dict[str, Any]
    citation_vi: str
    citation_en: str
    changes: tuple[DeadlineChange, ...] = ()
    notes: tuple[Step, ...] = ()  # how a guard was satisfied (postmark date, late appeal accepted…)
    opens_stage: str | None = None
    opens_court: str | None = None
    transfer_to: str | None = None
    outcome: str | None = None
