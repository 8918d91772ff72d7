"""The assignment tables (``weights.yaml``, ``competence.yaml``), read once and checked strictly.

Numbers are kept as strings in the YAML and read as ``Decimal``: a weight of 1.2 must stay exactly 1.2,
or a replayed draw would disagree with the recorded one in the last digit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

import yaml


class RuleDataError(RuntimeError):
    """A table shipped with the service is malformed; the service must not start with it."""


@dataclass(frozen=True)
class DrawParameters:
    max_distance: Decimal
    outsider_chance: Decimal
    # ecourt-draw/2: an outsider farther than this from the lowest total never enters (None: ecourt-draw/1,
    # where every outsider may enter). It is what keeps the loads inside a band however long the court runs.
    escape_ceiling: Decimal | None = None

    @property
    def algorithm(self) -> str:
        return "ecourt-draw/1" if self.escape_ceiling is None else "ecourt-draw/2"

    def as_record(self) -> dict[str, str]:
        record = {"max_distance": str(self.max_distance), "outsider_chance": str(self.outsider_chance)}
        if self.escape_ceiling is not None:
            record["escape_ceiling"] = str(self.escape_ceiling)
        return record

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> DrawParameters:
        ceiling = record.get("escape_ceiling")
        return cls(max_distance=_decimal(record["max_distance"], "max_distance"),
                   outsider_chance=_decimal(record["outsider_chance"], "outsider_chance"),
                   escape_ceiling=None if ceiling is None else _decimal(ceiling, "escape_ceiling"))

    def __post_init__(self) -> None:
        if self.max_distance < 0:
            raise RuleDataError(f"max_distance must not be negative, got {self.max_distance}")
        if not Decimal(0) <= self.outsider_chance <= Decimal(1):
            raise RuleDataError(f"outsider_chance must be within [0, 1], got {self.outsider_chance}")
        if self.escape_ceiling is not None and self.escape_ceiling < self.max_distance:
            raise RuleDataError(f"escape_ceiling ({self.escape_ceiling}) must not be below max_distance "
                                f"({self.max_distance})")


@dataclass(frozen=True)
class WeightTable:
    version: str
    approved_by_vi: str
    approved_by_en: str
    verify: bool
    class_weights: Mapping[str, Mapping[str, Decimal]]
    party_factors: tuple[tuple[int, Decimal], ...]  # (min_parties, factor), ascending
    draw: DrawParameters
    effective_from: date = date(2000, 1, 1)
    changes_vi: str = ""
    changes_en: str = ""

    def as_record(self) -> dict[str, Any]:
        """The table as the president reads it in the change log."""
        return {"version": self.version, "effective_from": self.effective_from.isoformat(),
                "approved_by": {"vi": self.approved_by_vi, "en": self.approved_by_en, "verify": self.verify},
                "changes": {"vi": self.changes_vi, "en": self.changes_en},
                "class_weights": {t: {s: str(w) for s, w in row.items()} for t, row in self.class_weights.items()},
                "party_factors": [{"min_parties": n, "factor": str(f)} for n, f in self.party_factors],
                "draw": self.draw.as_record()}


@dataclass(frozen=True)
class WeightTables:
    """Every version of the weight table, oldest first, and how long a seed commitment stays usable."""

    tables: tuple[WeightTable, ...]
    commitment_max_age_seconds: int

    def in_force(self, on: date) -> WeightTable:
        """The latest version whose ``effective_from`` is not after ``on``."""
        current = [t for t in self.tables if t.effective_from <= on]
        if not current:
            raise LookupError(f"no weight table is in force on {on.isoformat()}")
        return current[-1]

    def version(self, version: str) -> WeightTable | None:
        return next((t for t in self.tables if t.version == version), None)


@dataclass(frozen=True)
class Competence:
    fields: Mapping[str, tuple[str, str]]  # field -> (vi, en)
    case_type_fields: Mapping[str, tuple[str, ...]]
    minor_case_fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def fields_for(self, case_type: str, has_minor: bool = False) -> tuple[str, ...]:
        """The specializations any of which makes a judge competent for the case."""
        if has_minor and case_type in self.minor_case_fields:
            return self.minor_case_fields[case_type]
        try:
            return self.case_type_fields[case_type]
        except KeyError:
            raise LookupError(f"no field of competence is defined for case type {case_type!r}") from None

    def field_for(self, case_type: str) -> str:
        return self.fields_for(case_type)[0]

    def names(self, fields: tuple[str, ...]) -> tuple[str, str]:
        """Vietnamese and English names of ``fields`` joined with "or"."""
        return (" hoặc ".join(self.fields[f][0] for f in fields), " or ".join(self.fields[f][1] for f in fields))


def _decimal(raw: Any, what: str) -> Decimal:
    if isinstance(raw, float):
        raise RuleDataError(f"{what}: write numbers as quoted strings (\"1.2\"), not floats")
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        raise RuleDataError(f"{what}: {raw!r} is not a number") from None


def _read(name: str) -> dict[str, Any]:
    text = (resources.files(__package__) / name).read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict):
        raise RuleDataError(f"domain/{name} must hold a mapping")
    return doc


def _date(raw: Any, what: str) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise RuleDataError(f"{what}: {raw!r} is not a date (YYYY-MM-DD)") from None


def parse_weight_tables(doc: Mapping[str, Any]) -> WeightTables:
    """The versioned tables of ``weights.yaml``: versions unique, in order of ``effective_from``."""
    try:
        entries = list(doc["tables"])
        max_age = int(doc["commitment"]["max_age_seconds"])
    except (KeyError, TypeError, ValueError) as exc:
        raise RuleDataError(f"weights.yaml is malformed: {type(exc).__name__}: {exc}") from None
    tables = [parse_weight_table(entry) for entry in entries]
    if not tables:
        raise RuleDataError("weights.yaml holds no table")
    versions = [t.version for t in tables]
    if len(set(versions)) != len(versions):
        raise RuleDataError(f"weights.yaml repeats a version: {versions}")
    if [t.effective_from for t in tables] != sorted(t.effective_from for t in tables) or \
            len({t.effective_from for t in tables}) != len(tables):
        raise RuleDataError("weights.yaml: tables must be listed in strictly increasing effective_from order")
    if max_age <= 0:
        raise RuleDataError("commitment.max_age_seconds must be positive")
    return WeightTables(tables=tuple(tables), commitment_max_age_seconds=max_age)


def parse_weight_table(doc: Mapping[str, Any]) -> WeightTable:
    try:
        approved = doc["approved_by"]
        changes = doc.get("changes") or {}
        classes = {
            str(case_type): {str(stage): _decimal(w, f"class_weights.{case_type}.{stage}") for stage, w in row.items()}
            for case_type, row in doc["class_weights"].items()}
        factors = sorted((int(f["min_parties"]), _decimal(f["factor"], "party_factors.factor"))
                         for f in doc["party_factors"])
        draw = doc["draw"]
        table = WeightTable(
            version=str(doc["version"]), approved_by_vi=str(approved["vi"]), approved_by_en=str(approved["en"]),
            verify=bool(approved.get("verify", False)), class_weights=classes, party_factors=tuple(factors),
            effective_from=_date(doc.get("effective_from", "2000-01-01"), "effective_from"),
            changes_vi=str(changes.get("vi", "")), changes_en=str(changes.get("en", "")),
            draw=DrawParameters(max_distance=_decimal(draw["max_distance"], "draw.max_distance"),
                                outsider_chance=_decimal(draw["outsider_chance"], "draw.outsider_chance"),
                                escape_ceiling=(None if draw.get("escape_ceiling") is None
                                                else _decimal(draw["escape_ceiling"], "draw.escape_ceiling"))))
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise RuleDataError(f"weights.yaml is malformed: {type(exc).__name__}: {exc}") from None
    if not factors or factors[0][0] != 0:
        raise RuleDataError("party_factors must start at min_parties: 0")
    bad = [f"{t}.{s}" for t, row in classes.items() for s, w in row.items() if w <= 0]
    bad += [f"party_factors[{n}]" for n, f in factors if f <= 0]
    if bad:
        raise RuleDataError(f"weights must be positive: {', '.join(bad)}")
    return table


def parse_competence(doc: Mapping[str, Any]) -> Competence:
    try:
        fields = {str(k): (str(v["vi"]), str(v["en"])) for k, v in doc["fields"].items()}
        mapping = {str(k): _field_list(v) for k, v in doc["case_type_fields"].items()}
        minors = {str(k): _field_list(v) for k, v in (doc.get("minor_case_fields") or {}).items() if k != "source"}
    except (KeyError, TypeError, AttributeError) as exc:
        raise RuleDataError(f"competence.yaml is malformed: {type(exc).__name__}: {exc}") from None
    used = {f for fs in [*mapping.values(), *minors.values()] for f in fs}
    unknown = sorted(used - set(fields))
    if unknown:
        raise RuleDataError(f"competence.yaml maps case types to unknown fields: {unknown}")
    if any(not fs for fs in [*mapping.values(), *minors.values()]):
        raise RuleDataError("competence.yaml: every case type needs at least one field")
    return Competence(fields=fields, case_type_fields=mapping, minor_case_fields=minors)


def _field_list(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        return (raw,)
    return tuple(str(f) for f in raw)


@cache
def weight_tables() -> WeightTables:
    return parse_weight_tables(_read("weights.yaml"))


def weight_table(on: date | None = None) -> WeightTable:
    """The table in force on ``on`` (today, in Vietnam, by default)."""
    from ecourt_assignment.domain.clock import court_today

    return weight_tables().in_force(on or court_today())


@cache
def competence() -> Competence:
    return parse_competence(_read("competence.yaml"))
