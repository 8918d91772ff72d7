"""Parsing a step's parameters against its declaration, with refusals that name the field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .errors import StepRefused
from .model import ParamSpec, StepSpec

_TYPES_VI = {"str": "chuỗi ký tự", "int": "số nguyên dương", "bool": "true/false", "date": "ngày (YYYY-MM-DD)",
             "list": "danh sách chuỗi"}


def _bad(name: str, spec: ParamSpec) -> StepRefused:
    return StepRefused(f"params.{name}", "procedure.bad_param",
                       f"tham số '{name}' phải là {_TYPES_VI[spec.type]}"
                       + (f" thuộc {', '.join(spec.choices)}" if spec.choices else ""),
                       f"parameter '{name}' must be a {spec.type}"
                       + (f", one of {', '.join(spec.choices)}" if spec.choices else ""))


def _one(name: str, spec: ParamSpec, value: Any) -> Any:
    if spec.type == "date":
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise _bad(name, spec) from None
    if spec.type == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise _bad(name, spec)
        return value
    if spec.type == "bool":
        if not isinstance(value, bool):
            raise _bad(name, spec)
        return value
    if spec.type == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise _bad(name, spec)
        return [v.strip() for v in value]
    if not isinstance(value, str) or not value.strip() or (spec.choices and value.strip() not in spec.choices):
        raise _bad(name, spec)
    return value.strip()


def parse_params(step: StepSpec, raw: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(raw) - set(step.params))
    if unknown:
        raise StepRefused(f"params.{unknown[0]}", "procedure.unknown_param",
                          f"bước '{step.name}' không có tham số {', '.join(unknown)} "
                          f"(các tham số: {', '.join(step.params) or 'không có'})",
                          f"step '{step.name}' takes no parameter {', '.join(unknown)} "
                          f"(parameters: {', '.join(step.params) or 'none'})")
    parsed: dict[str, Any] = {}
    for name, spec in step.params.items():
        value = raw.get(name)
        if value is None:
            if spec.required:
                raise StepRefused(f"params.{name}", "procedure.missing_param",
                                  f"bước '{step.name}' cần tham số '{name}'", f"step '{step.name}' needs '{name}'")
            continue
        parsed[name] = _one(name, spec, value)
    return parsed
