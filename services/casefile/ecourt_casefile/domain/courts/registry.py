"""Loading and answering questions about ``data/courts.yaml``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Level = Literal["supreme", "supreme_division", "provincial", "area", "district"]


class UnknownCourt(LookupError):
    def __init__(self, court_id: str) -> None:
        super().__init__(f"unknown court {court_id}")
        self.court_id = court_id
        self.message_vi = f"không có tòa án mã '{court_id}' trong danh mục tòa án"
        self.message_en = f"court '{court_id}' is not in the court registry"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Source(_Strict):
    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)
    verify: bool = False


class Court(_Strict):
    id: str = Field(pattern=r"^[A-Z0-9]{6}$")
    level: Level
    vi: str
    en: str
    appellate: str | None = None
    cassation: str | None = None
    valid_from: date | None = Field(default=None, alias="from")
    until: date | None = None
    successor: str | None = None
    source: str


class CourtRegistry(_Strict):
    schema_version: Literal[1] = Field(alias="schema")
    sources: dict[str, Source]
    courts: tuple[Court, ...]

    @model_validator(mode="after")
    def _consistent(self) -> CourtRegistry:
        ids = {c.id for c in self.courts}
        if len(ids) != len(self.courts):
            raise ValueError("a court id is listed twice")
        for c in self.courts:
            refs = [r for r in (c.appellate, c.cassation, c.successor) if r is not None]
            if any(r not in ids for r in refs) or c.source not in self.sources:
                raise ValueError(f"court {c.id} names an unknown court or source")
            if (c.successor is None) != (c.until is None):
                raise ValueError(f"court {c.id}: a dissolved court needs both 'until' and 'successor'")
        for c in self.courts:  # successor chains end
            seen, cur = set(), c
            while cur.successor is not None:
                if cur.id in seen:
                    raise ValueError(f"successor cycle through {cur.id}")
                seen.add(cur.id)
                cur = self.court(cur.successor)
        return self

    def court(self, court_id: str) -> Court:
        for c in self.courts:
            if c.id == court_id:
                return c
        raise UnknownCourt(court_id)

    def knows(self, court_id: str) -> bool:
        return any(c.id == court_id for c in self.courts)

    def resolve(self, court_id: str, on: date | None = None) -> Court:
        """The court that holds a dissolved court's work (on ``on``, default: today's map)."""
        current = self.court(court_id)
        while current.successor is not None and (on is None or current.until is None or on > current.until):
            current = self.court(current.successor)
        return current

    def predecessors(self, court_id: str) -> list[str]:
        """Every court whose work ``court_id`` holds now, directly or through a chain of mergers."""
        found = [c.id for c in self.courts if c.successor == court_id]
        return found + [p for f in found for p in self.predecessors(f)]

    def appellate_court(self, court_id: str) -> Court | None:
        target = self.resolve(court_id).appellate
        return None if target is None else self.resolve(target)

    def review_court(self, court_id: str) -> Court:
        """Competent for cassation and retrial of a judgment of ``court_id``; the top court reviews its own."""
        court = self.resolve(court_id)
        return court if court.cassation is None else self.resolve(court.cassation)

    def with_mergers(self, mergers: Iterable[tuple[str, str, date]]) -> CourtRegistry:
        """This registry with recorded mergers (old court, successor, effective day) applied to the successor map.

        The old court worked until the day before the merger took effect (``until``), its successor from that
        day on; ``resolve`` then follows it, so case ids and official numbers the old court issued still find
        the court that holds its cases. Checked like the shipped data (known courts, no successor cycle).
        """
        changes = {old: (successor, on) for old, successor, on in mergers}
        if not changes:
            return self
        courts = tuple(c.model_copy(update={"successor": changes[c.id][0],
                                            "until": changes[c.id][1] - timedelta(days=1)})
                       if c.id in changes else c for c in self.courts)
        unknown = sorted(set(changes) - {c.id for c in courts})
        if unknown:
            raise UnknownCourt(unknown[0])
        try:
            return CourtRegistry.model_validate({"schema": 1, "sources": self.sources, "courts": courts})
        except ValidationError as exc:
            raise ValueError(f"the recorded mergers do not fit the court registry: {exc}") from exc

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> CourtRegistry:
        try:
            return cls.model_validate(doc)
        except ValidationError as exc:
            raise ValueError(f"court registry data is invalid: {exc}") from exc

    @classmethod
    def load(cls) -> CourtRegistry:
        return _load_shipped()


@cache
def _load_shipped() -> CourtRegistry:
    text = (resources.files(__package__) / "data" / "courts.yaml").read_text(encoding="utf-8")
    return CourtRegistry.from_document(yaml.safe_load(text))
