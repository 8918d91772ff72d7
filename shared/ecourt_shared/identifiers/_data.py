"""Reads the YAML tables shipped in ``identifiers/data`` (legal codes are data, never literals in code)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load_table(name: str) -> dict[str, Any]:
    text = (resources.files(__package__) / "data" / name).read_text(encoding="utf-8")
    table = yaml.safe_load(text)
    if not isinstance(table, dict):
        raise RuntimeError(f"identifiers/data/{name} must hold a mapping")
    return table
