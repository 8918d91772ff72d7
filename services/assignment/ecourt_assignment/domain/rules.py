"""The assignment tables (``weights.yaml``, ``competence.yaml``), read once and checked strictly.

Numbers are kept as strings in the YAML and read as ``Decimal``: a weight of 1.2 must stay exactly 1.2,
or a replayed draw would disagree with the recorded one in the last digit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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

    def as_record(self) -> dict[str, str]:
        return {"max_distance": str(self.max_distance), "outsider_chance": str(self.outsider_chance)}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> DrawParameters:
        return cls(max_distance=_decimal(record["max_distance"], "max_distance"),
                   outsider_chance=_decimal(record["outsider_chance"], "outsider_chance"))

    def __post_init__(self) -> None:
        if self.max_distance < 0:
            raise RuleDataError(f"max_distance must not be negative, got {self.max_distance}")
        if not Decimal(0) <= self.outsider_chance <= Decimal(1):
            raise RuleDataError(f"outsider_chance must be within [0, 1], got {self.outsider_chance}")


@dataclass(frozen=True)
class WeightTable:
    version: str
    approved_by_vi: str
    approved_by_en: str
    verify: bool
    class_weights: Mapping[str, Mapping[str, Decimal]]
    party_factors: tuple[tuple[int, Decimal], ...]  # (min_parties, factor), ascending
    draw: DrawParameters


@dataclass(frozen=True)
class Competence:
    fields: Mapping[str, tuple[str, str]]  # field -> (vi, en)
    case_type_fields: Mapping[str, str]

    def field_for(self, case_type: str) -> str:
        try:
            return self.case_type_fields[case_type]
        except KeyError:
            raise LookupError(f"no field of competence is defined for case type {case_type!r}") from None


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


def parse_weight_table(doc: Mapping[str, Any]) -> WeightTable:
    try:
        approved = doc["approved_by"]
        classes = {
            str(case_type): {str(stage): _decimal(w, f"class_weights.{case_type}.{stage}") for stage, w in row.items()}
            for case_type, row in doc["class_weights"].items()}
        factors = sorted((int(f["min_parties"]), _decimal(f["factor"], "party_factors.factor"))
                         for f in doc["party_factors"])
        draw = doc["draw"]
        table = WeightTable(
            version=str(doc["version"]), approved_by_vi=str(approved["vi"]), approved_by_en=str(approved["en"]),
            verify=bool(approved.get("verify", False)), class_weights=classes, party_factors=tuple(factors),
            draw=DrawParameters(max_distance=_decimal(draw["max_distance"], "draw.max_distance"),
                                outsider_chance=_decimal(draw["outsider_chance"], "draw.outsider_chance")))
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
        mapping = {str(k): str(v) for k, v in doc["case_type_fields"].items()}
    except (KeyError, TypeError, AttributeError) as exc:
        raise RuleDataError(f"competence.yaml is malformed: {type(exc).__name__}: {exc}") from None
    unknown = sorted(set(mapping.values()) - set(fields))
    if unknown:
        raise RuleDataError(f"competence.yaml maps case types to unknown fields: {unknown}")
    return Competence(fields=fields, case_type_fields=mapping)


@cache
def weight_table() -> WeightTable:
    return parse_weight_table(_read("weights.yaml"))


@cache
def competence() -> Competence:
    return parse_competence(_read("competence.yaml"))
