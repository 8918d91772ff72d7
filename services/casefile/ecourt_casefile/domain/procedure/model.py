"""The schema of the procedure files, validated when loaded (a court never runs on half-valid procedure)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ecourt_shared.contracts.status import PHASE_RANK

from ..deadlines.errors import RuleDataError
from ..deadlines.rules import RuleBook

STAGES = ("ST", "PT", "GĐT", "TT")
# reception: the reception desk (reception officers, clerks, the president) of the court holding the case;
# trial_court_reception: that of the court whose judgment is under appeal (appeals are lodged there, art. 272
# BLTTDS 2015); review_reception: that of the court competent for cassation and retrial (petitions go there).
Actor = Literal["judge", "clerk", "president", "review_president", "reception", "trial_court_reception",
                "review_reception"]
ParamType = Literal["str", "int", "bool", "date", "list"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(_Strict):
    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)


class ParamSpec(_Strict):
    type: ParamType
    required: bool = True
    choices: tuple[str, ...] | None = None


class DeadlineAction(_Strict):
    """One of open / close / pause / restart / extend, on deadlines of a purpose."""

    open: str | None = None
    close: str | None = None
    pause: str | None = None
    restart: str | None = None
    extend: str | None = None
    variant: str | None = None
    variant_from: str | None = None  # a case attribute naming the variant (crime category)
    stage: str | None = None  # the rule's stage when not the case's (cassation windows open at legal effect)
    trigger: Literal["step", "opened"] = "step"

    @model_validator(mode="after")
    def _one_verb(self) -> DeadlineAction:
        verbs = [v for v in (self.open, self.close, self.pause, self.restart, self.extend) if v is not None]
        if len(verbs) != 1:
            raise ValueError(f"a deadline action needs exactly one verb: {self}")
        return self

    @property
    def verb(self) -> str:
        return next(k for k in ("open", "close", "pause", "restart", "extend") if getattr(self, k) is not None)

    @property
    def purpose(self) -> str:
        return str(getattr(self, self.verb))


class Guard(_Strict):
    within: str | None = None  # filing date no later than the open deadline(s) of this purpose
    passed: tuple[str, ...] | None = None  # every open deadline of these purposes is over
    stage: str | None = None
    trigger_param: str | None = None  # compute the window from this date param instead of an open deadline
    waived_by: str | None = None  # a bool param that lifts the time limit
    waiver: Citation | None = None


class StepSpec(_Strict):
    name: str = Field(pattern=r"^[a-z_]+$")
    from_states: tuple[str, ...] = Field(alias="from", min_length=1)
    to: str | None = None  # None: the state does not change
    by: tuple[Actor, ...] = Field(min_length=1)
    params: dict[str, ParamSpec] = Field(default_factory=dict)
    guards: tuple[Literal["judge_assigned"] | Guard, ...] = ()
    deadlines: tuple[DeadlineAction, ...] = ()
    opens: dict[str, str] | None = None  # {stage: PT, court: appellate|review}
    transfer: bool = False
    outcome: Literal["judgment", "decision"] | None = None
    citation: Citation
    verify: bool = False


class StageSpec(_Strict):
    initial: str
    states: dict[str, str]  # machine state -> reported status (ecourt_shared.contracts.status)
    on_open: tuple[DeadlineAction, ...] = ()
    steps: tuple[StepSpec, ...]

    def step(self, name: str) -> StepSpec | None:
        return next((s for s in self.steps if s.name == name), None)


class Procedure(_Strict):
    schema_version: Literal[1] = Field(alias="schema")
    procedure: str
    case_types: tuple[str, ...]
    filing_date: Citation
    late_filing: Citation
    stages: dict[str, StageSpec]

    @model_validator(mode="after")
    def _consistent(self) -> Procedure:
        if set(self.stages) != set(STAGES):
            raise ValueError(f"procedure {self.procedure} must define stages {STAGES}")
        for code, stage in self.stages.items():
            if stage.initial not in stage.states:
                raise ValueError(f"{self.procedure}/{code}: initial state {stage.initial} is not declared")
            unknown = [s for s in stage.states.values() if s not in PHASE_RANK]
            if unknown:
                raise ValueError(f"{self.procedure}/{code}: statuses {unknown} are not case statuses")
            names = [s.name for s in stage.steps]
            if len(set(names)) != len(names):
                raise ValueError(f"{self.procedure}/{code}: a step is declared twice")
            for step in stage.steps:
                bad = [s for s in (*step.from_states, step.to) if s is not None and s not in stage.states]
                if bad:
                    raise ValueError(f"{self.procedure}/{code}/{step.name}: undeclared states {bad}")
                if step.opens and step.opens.get("court") not in ("appellate", "review"):
                    raise ValueError(f"{self.procedure}/{code}/{step.name}: opens needs court appellate|review")
        return self


class ProcedureBook:
    """The three procedures, checked against the deadline rules they name."""

    FILES = ("civil", "criminal", "administrative")

    def __init__(self, procedures: list[Procedure], rules: RuleBook) -> None:
        self.procedures = procedures
        self.rules = rules
        self._by_type = {t: p for p in procedures for t in p.case_types}
        self._check_rules()

    def for_case_type(self, case_type: str) -> Procedure:
        return self._by_type[case_type]

    def _check_rules(self) -> None:
        """Every deadline an action opens must resolve to exactly one rule for every case type it serves."""
        for proc in self.procedures:
            for code, stage in proc.stages.items():
                actions = [(None, a) for a in stage.on_open] + [(s.name, a) for s in stage.steps for a in s.deadlines]
                for step_name, action in actions:
                    if action.verb != "open" or action.variant_from:
                        continue
                    for case_type in proc.case_types:
                        found = select_rules(self.rules, case_type, action.stage or code, action.purpose,
                                             action.variant)
                        if len(found) != 1:
                            raise RuleDataError(
                                "procedure", "procedure.rule_unresolved",
                                f"{proc.procedure}/{code}/{step_name}: mở thời hạn '{action.purpose}' "
                                f"({action.variant}) cho {case_type} khớp {len(found)} quy tắc",
                                f"{proc.procedure}/{code}/{step_name}: opening '{action.purpose}' "
                                f"({action.variant}) for {case_type} matches {len(found)} rules")

    @classmethod
    def from_documents(cls, docs: list[Mapping[str, Any]], rules: RuleBook | None = None) -> ProcedureBook:
        try:
            procedures = [Procedure.model_validate(d) for d in docs]
        except ValidationError as exc:
            raise RuleDataError("procedure", "procedure.invalid_data", f"dữ liệu thủ tục không hợp lệ: {exc}",
                                f"procedure data is invalid: {exc}") from exc
        return cls(procedures, rules or RuleBook.load())

    @classmethod
    def load(cls) -> ProcedureBook:
        return _load_shipped()


def select_rules(rules: RuleBook, case_type: str, stage: str, purpose: str, variant: str | None) -> list[str]:
    return sorted({r.id for r in rules.rules if r.purpose == purpose and r.variant == variant
                   and case_type in r.applies_to.case_types and stage in r.applies_to.stages})


@cache
def _load_shipped() -> ProcedureBook:
    folder = resources.files(__package__) / "data"
    docs = [yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8")) for name in ProcedureBook.FILES]
    return ProcedureBook.from_documents(docs)
