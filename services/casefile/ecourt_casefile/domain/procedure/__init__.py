"""Judicial procedure as data: a state machine per procedure (civil, criminal, administrative) and stage.

Where the rules are: ``data/civil.yaml`` (BLTTDS 2015: DS, HNGĐ, KDTM, LĐ), ``data/criminal.yaml`` (BLTTHS 2015:
HS), ``data/administrative.yaml`` (LTTHC 2015: HC). ``model`` validates them at load; ``machine.plan_step``
decides whether a step is legal for a case and what it changes, refusing with the provision that forbids it.
"""

from .errors import StepRefused
from .machine import plan_opening, plan_step, step_spec
from .model import Procedure, ProcedureBook, StepSpec
from .state import CaseSnapshot, DeadlineChange, OpenDeadline, Plan

__all__ = ["CaseSnapshot", "DeadlineChange", "OpenDeadline", "Plan", "Procedure", "ProcedureBook", "StepRefused",
           "StepSpec",
           "plan_opening", "plan_step", "step_spec"]
