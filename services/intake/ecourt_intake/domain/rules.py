"""The reception rules table (``data/reception_rules.yaml``), loaded and checked once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def reception_rules() -> dict[str, Any]:
    text = (resources.files("ecourt_intake.domain") / "data" / "reception_rules.yaml").read_text(encoding="utf-8")
    rules: dict[str, Any] = yaml.safe_load(text)
    for name, kind in rules["kinds"].items():
        if kind["accept"] not in ("open", "attach", "file", "lodge", "none"):
            raise RuntimeError(f"reception_rules.yaml: kind {name} has unknown accept mode {kind['accept']}")
        if kind["accept"] == "lodge" and not (kind.get("needs_related_case") and "lodge_roles" in kind):
            raise RuntimeError(f"reception_rules.yaml: lodged kind {name} needs needs_related_case and lodge_roles")
    return rules


def kind_rule(kind: str) -> dict[str, Any]:
    rule: dict[str, Any] = reception_rules()["kinds"][kind]
    return rule


def magic_numbers() -> dict[str, list[bytes]]:
    types = reception_rules()["attachment_types"]
    return {ctype: [m.encode("latin-1") for m in spec["magic"]] for ctype, spec in types.items()}
