"""The provisions cited at each step of counting a period, per body of law (``data/counting.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from .errors import RuleDataError

STEPS = ("start", "end_days", "end_months", "end_years", "day_off", "working_days")


@dataclass(frozen=True)
class Provision:
    vi: str
    en: str
    verify: bool = False


@cache
def counting_basis(name: str = "civil_code") -> dict[str, Provision]:
    """Citations for each counting step under ``civil_code`` or ``criminal_procedure``."""
    text = (resources.files(__package__) / "data" / "counting.yaml").read_text(encoding="utf-8")
    entry = (yaml.safe_load(text) or {}).get(name) or {}
    if set(entry) != set(STEPS) or not all(p.get("vi") and p.get("en") for p in entry.values()):
        raise RuleDataError("counting", "counting.invalid_data",
                            f"cách tính thời hạn '{name}' thiếu hoặc thiếu trích dẫn cho {', '.join(STEPS)}",
                            f"counting basis '{name}' is missing or lacks citations for {', '.join(STEPS)}")
    return {k: Provision(p["vi"], p["en"], bool(p.get("verify", False))) for k, p in entry.items()}
