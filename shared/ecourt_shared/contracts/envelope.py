"""The envelope every event travels in.

Producers validate strictly (``extra="forbid"`` on payloads); consumers ignore unknown fields
(they parse with :meth:`EventEnvelope.open`, which uses ``extra="ignore"`` models), so a producer
may add fields without breaking older consumers. A breaking change gets a new version class.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field

_REGISTRY: dict[tuple[str, int], type[EventPayload]] = {}


class EventPayload(BaseModel):
    """Base of every event payload. Subclasses set ``event_type``, ``version`` and ``source``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    event_type: ClassVar[str]
    version: ClassVar[int]
    source: ClassVar[str]  # the service that owns and emits the event
    court_id: str


P = TypeVar("P", bound=EventPayload)


def register_event(cls: type[P]) -> type[P]:
    _REGISTRY[(cls.event_type, cls.version)] = cls
    return cls


def event_class(event_type: str, version: int) -> type[EventPayload]:
    try:
        return _REGISTRY[(event_type, version)]
    except KeyError:
        raise LookupError(f"unknown event {event_type} v{version}") from None


def registered_events() -> list[type[EventPayload]]:
    return list(_REGISTRY.values())


class EventEnvelope(BaseModel):
    """What goes on the wire: identity, type, version, time, court and trace headers around a payload."""

    model_config = ConfigDict(extra="ignore")
    event_id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    event_type: str
    version: int
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    court_id: str
    source: str
    trace: dict[str, str] = Field(default_factory=dict)
    payload: dict[str, Any]

    @classmethod
    def wrap(cls, payload: EventPayload, trace: dict[str, str] | None = None) -> EventEnvelope:
        return cls(
            event_type=payload.event_type,
            version=payload.version,
            court_id=payload.court_id,
            source=payload.source,
            trace=trace or {},
            payload=payload.model_dump(mode="json"),
        )

    def open(self, expected: type[P]) -> P:
        """Parse the payload leniently: unknown fields added by newer producers are ignored."""
        if (self.event_type, self.version) != (expected.event_type, expected.version):
            raise ValueError(f"expected {expected.event_type} v{expected.version}, got "
                             f"{self.event_type} v{self.version}")
        known = {k: v for k, v in self.payload.items() if k in expected.model_fields}
        return expected.model_validate(known)
