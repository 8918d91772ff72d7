"""Versioned contracts between services: event envelopes, events, RPC payloads and errors."""

from ecourt_shared.contracts.envelope import EventEnvelope, event_class, register_event
from ecourt_shared.contracts.errors import FieldError, NotFound, PermissionDenied, RequestRejected
from ecourt_shared.contracts.events import (
    CaseAssignedV1,
    CaseProgressedV1,
    CaseReceivedV1,
    DeadlineV1,
    DocumentRefV1,
)

__all__ = [
    "CaseAssignedV1",
    "CaseProgressedV1",
    "CaseReceivedV1",
    "DeadlineV1",
    "DocumentRefV1",
    "EventEnvelope",
    "FieldError",
    "NotFound",
    "PermissionDenied",
    "RequestRejected",
    "event_class",
    "register_event",
]
from ecourt_shared.contracts import (
    assignment,  # noqa: F401  (registers assignment events)
    casefile,  # noqa: F401  (registers casefile events)
    reception,  # noqa: F401  (registers reception events)
    signing,  # noqa: F401  (registers signing events)
)
