"""W3C trace context in and out of plain dicts (nameko context data, envelope ``trace``)."""

from __future__ import annotations

from collections.abc import Mapping

from opentelemetry.context import Context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_propagator = TraceContextTextMapPropagator()
TRACE_KEYS = ("traceparent", "tracestate")


def current_trace_headers() -> dict[str, str]:
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier


def extract_context(carrier: Mapping[str, object]) -> Context:
    return _propagator.extract({k: str(v) for k, v in carrier.items() if k in TRACE_KEYS})
