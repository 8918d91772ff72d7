"""Statutory time limits as versioned data (``data/rules.yaml``), validated when loaded.

A rule names its period (amount and unit), what triggers it, the most it may be extended by, the provision
it comes from in Vietnamese and English, and the date from which that version applies. Anything malformed
(an unknown unit, a missing citation, a trigger or case type nobody declared, two versions on the same day)
stops the load with a RuleDataError: a court must never run on half-valid law.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError, model_validator

from .errors import RuleDataError

Unit = Literal["days", "months", "years", "working_days"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(_Strict):
    amount: PositiveInt
    unit: Unit


class Citation(_Strict):
    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)


class LegalCode(Citation):
    counting: Literal["civil_code", "criminal_procedure"]


class AppliesTo(_Strict):
    case_types: tuple[str, ...] = Field(min_length=1)
    stages: tuple[str, ...] = Field(min_length=1)


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z_]+(\.[a-z_]+)+$")
    version: PositiveInt
    code: str
    purpose: str
    variant: str | None = None
    applies_to: AppliesTo
    period: Period
    extension: Period | None = None
    extension_times: PositiveInt | None = None  # how many extensions the law allows (None: any, up to the cap)
    trigger: str
    restart_trigger: str | None = None
    citation: Citation
    effective_from: date
    verify: bool = False


class Vocabulary(_Strict):
    case_types: tuple[str, ...]
    stages: tuple[str, ...]
    purposes: tuple[str, ...]


class RuleBook(_Strict):
    schema_version: Literal[1] = Field(alias="schema")
    vocabulary: Vocabulary
    codes: dict[str, LegalCode]
    triggers: dict[str, Citation]
    rules: tuple[Rule, ...]

    @model_validator(mode="after")
    def _consistent(self) -> RuleBook:
        seen: dict[str, set[date]] = defaultdict(set)
        numbers: dict[str, set[int]] = defaultdict(set)
        for r in self.rules:
            problems = [
                *(f"case type {t}" for t in r.applies_to.case_types if t not in self.vocabulary.case_types),
                *(f"stage {s}" for s in r.applies_to.stages if s not in self.vocabulary.stages),
                *([f"purpose {r.purpose}"] if r.purpose not in self.vocabulary.purposes else []),
                *([f"code {r.code}"] if r.code not in self.codes else []),
                *(f"trigger {t}" for t in (r.trigger, r.restart_trigger) if t and t not in self.triggers),
            ]
            if problems:
                raise ValueError(f"rule {r.id} v{r.version} uses undeclared {', '.join(problems)}")
            if r.effective_from in seen[r.id]:
                raise ValueError(f"rule {r.id} has two versions effective from {r.effective_from}")
            if r.version in numbers[r.id]:
                raise ValueError(f"rule {r.id} has two entries numbered version {r.version}")
            seen[r.id].add(r.effective_from)
            numbers[r.id].add(r.version)
        return self

    def versions(self, rule_id: str) -> list[Rule]:
        return sorted((r for r in self.rules if r.id == rule_id), key=lambda r: r.effective_from)

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> RuleBook:
        try:
            return cls.model_validate(doc)
        except ValidationError as exc:
            raise RuleDataError("rules", "rules.invalid_data",
                                f"dữ liệu quy tắc thời hạn không hợp lệ: {exc}",
                                f"deadline rule data is invalid: {exc}") from exc

    @classmethod
    def load(cls) -> RuleBook:
        return _load_shipped()


@cache
def _load_shipped() -> RuleBook:
    text = (resources.files(__package__) / "data" / "rules.yaml").read_text(encoding="utf-8")
    return RuleBook.from_document(yaml.safe_load(text))
