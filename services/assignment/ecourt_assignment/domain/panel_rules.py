"""Trial panel compositions (``panels.yaml``): how many judges, lay assessors, substitutes and clerks sit.

Each seat has a label that is stable and meaningful in a record: ``presiding`` (the judge the case is assigned
to), ``judge-2``…, ``assessor-1``…, ``substitute-judge-1``, ``substitute-assessor-1``, ``clerk``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ecourt_assignment.domain.rules import RuleDataError

KINDS = ("judge", "assessor", "clerk")
STAGES = ("ST", "PT", "GĐT", "TT")


@dataclass(frozen=True)
class Seat:
    label: str
    kind: str  # judge, assessor or clerk: the roster the seat is drawn from

    @property
    def substitute(self) -> bool:
        return self.label.startswith("substitute-")


@dataclass(frozen=True)
class Composition:
    stage: str
    case_type: str
    judges: int
    assessors: int
    substitute_judges: int
    substitute_assessors: int
    clerks: int
    source_vi: str
    source_en: str
    verify: bool
    complex: bool = False

    def seats(self) -> tuple[Seat, ...]:
        """Every seat in the fixed order of the draw (the order binds the record: a replay follows it)."""
        seats = [Seat("presiding", "judge")]
        seats += [Seat(f"judge-{n}", "judge") for n in range(2, self.judges + 1)]
        seats += [Seat(f"assessor-{n}", "assessor") for n in range(1, self.assessors + 1)]
        seats += [Seat(f"substitute-judge-{n}", "judge") for n in range(1, self.substitute_judges + 1)]
        seats += [Seat(f"substitute-assessor-{n}", "assessor") for n in range(1, self.substitute_assessors + 1)]
        seats += [Seat("clerk" if n == 1 else f"clerk-{n}", "clerk") for n in range(1, self.clerks + 1)]
        return tuple(seats)

    def as_record(self) -> dict[str, Any]:
        return {"stage": self.stage, "case_type": self.case_type, "judges": self.judges, "assessors": self.assessors,
                "substitute_judges": self.substitute_judges, "substitute_assessors": self.substitute_assessors,
                "clerks": self.clerks, "complex": self.complex,
                "source": {"vi": self.source_vi, "en": self.source_en, "verify": self.verify}}


@dataclass(frozen=True)
class _Row:
    stage: str
    case_types: tuple[str, ...]
    judges: int
    assessors: int
    complex_judges: int | None
    complex_assessors: int | None
    substitute_judges: int
    substitute_assessors: int
    source: tuple[str, str, bool]


@dataclass(frozen=True)
class PanelRules:
    rows: tuple[_Row, ...]
    clerks: int
    clerk_source: tuple[str, str, bool]
    substitutes_source: tuple[str, str, bool]
    earlier_stage_source: tuple[str, str, bool]
    minor_assessor_seats: tuple[str, ...] = ()
    minor_assessor_source: tuple[str, str, bool] = ("", "", True)

    def composition(self, case_type: str, stage: str, complex_case: bool = False,
                    substitutes: bool = False) -> Composition:
        """The panel for a case; LookupError if the table has no row, ValueError if ``complex`` is not allowed."""
        row = next((r for r in self.rows if r.stage == stage and case_type in r.case_types), None)
        if row is None:
            raise LookupError(f"panels.yaml has no panel for {case_type}-{stage}")
        judges, assessors = row.judges, row.assessors
        if complex_case:
            if row.complex_judges is None:
                raise ValueError(f"{case_type}-{stage} has no complex-case composition")
            judges, assessors = row.complex_judges, row.complex_assessors or 0
        sub_judges = row.substitute_judges if substitutes else 0
        sub_assessors = row.substitute_assessors if substitutes and assessors else 0
        vi, en, verify = row.source
        return Composition(stage=stage, case_type=case_type, judges=judges, assessors=assessors,
                           substitute_judges=sub_judges, substitute_assessors=sub_assessors, clerks=self.clerks,
                           source_vi=vi, source_en=en, verify=verify, complex=complex_case)


def _source(raw: Mapping[str, Any], what: str) -> tuple[str, str, bool]:
    try:
        return str(raw["vi"]), str(raw["en"]), bool(raw.get("verify", False))
    except (KeyError, TypeError):
        raise RuleDataError(f"panels.yaml: {what} needs a source with vi and en") from None


def _count(raw: Any, what: str) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
        raise RuleDataError(f"panels.yaml: {what} must be a non-negative integer, got {raw!r}")
    return raw


def parse_panel_rules(doc: Mapping[str, Any]) -> PanelRules:
    try:
        rows = []
        for n, entry in enumerate(doc["panels"]):
            what = f"panels[{n}]"
            stage = str(entry["stage"])
            if stage not in STAGES:
                raise RuleDataError(f"{what}: unknown stage {stage!r}")
            complex_ = entry.get("complex") or {}
            subs = entry.get("substitutes") or {}
            row = _Row(stage=stage, case_types=tuple(str(t) for t in entry["case_types"]),
                       judges=_count(entry["judges"], f"{what}.judges"),
                       assessors=_count(entry["assessors"], f"{what}.assessors"),
                       complex_judges=_count(complex_["judges"], f"{what}.complex.judges") if complex_ else None,
                       complex_assessors=_count(complex_["assessors"], f"{what}.complex.assessors")
                       if complex_ else None,
                       substitute_judges=_count(subs.get("judges", 0), f"{what}.substitutes.judges"),
                       substitute_assessors=_count(subs.get("assessors", 0), f"{what}.substitutes.assessors"),
                       source=_source(entry["source"], what))
            if row.judges < 1 or (row.complex_judges is not None and row.complex_judges < 1):
                raise RuleDataError(f"{what}: a panel needs at least one judge (the presiding judge)")
            rows.append(row)
        clerks = _count(doc["clerk"]["count"], "clerk.count")
        minor = doc.get("minor_assessor") or {}
        rules = PanelRules(rows=tuple(rows), clerks=clerks, clerk_source=_source(doc["clerk"]["source"], "clerk"),
                           substitutes_source=_source(doc["substitutes_source"], "substitutes_source"),
                           earlier_stage_source=_source(doc["earlier_stage_source"], "earlier_stage_source"),
                           minor_assessor_seats=tuple(str(x) for x in minor.get("seats", [])),
                           minor_assessor_source=_source(minor["source"], "minor_assessor") if minor
                           else ("", "", True))
    except (KeyError, TypeError, AttributeError) as exc:
        raise RuleDataError(f"panels.yaml is malformed: {type(exc).__name__}: {exc}") from None
    seen = [(r.stage, t) for r in rows for t in r.case_types]
    if len(seen) != len(set(seen)):
        raise RuleDataError("panels.yaml: a case type appears twice for the same stage")
    return rules


@cache
def panel_rules() -> PanelRules:
    text = (resources.files(__package__) / "panels.yaml").read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict):
        raise RuleDataError("domain/panels.yaml must hold a mapping")
    return parse_panel_rules(doc)
