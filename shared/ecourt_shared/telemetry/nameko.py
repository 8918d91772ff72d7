"""Tracing for nameko workers: one span per RPC call or event delivery, child of the caller's span.

Declared on every service class as ``tracing = Tracing()``. It also writes the new span's
``traceparent`` into the worker's context data, which nameko forwards on every outgoing RPC call.
"""

from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from ecourt_shared.telemetry.propagation import current_trace_headers, extract_context


class Tracing(DependencyProvider):
    def __init__(self) -> None:
        self._active: dict[Any, tuple[trace.Span, object]] = {}

    def worker_setup(self, worker_ctx: Any) -> None:
        if worker_ctx.entrypoint.method_name.startswith("health_"):
            return  # probes every few seconds would drown the real traces
        parent = extract_context(worker_ctx.context_data)
        entrypoint = worker_ctx.entrypoint
        kind = SpanKind.CONSUMER if "Event" in type(entrypoint).__name__ else SpanKind.SERVER
        span = trace.get_tracer("ecourt.nameko").start_span(
            f"{worker_ctx.service_name}.{entrypoint.method_name}", context=parent, kind=kind,
            attributes={"rpc.system": "nameko", "rpc.service": worker_ctx.service_name,
                        "rpc.method": entrypoint.method_name})
        token = otel_context.attach(trace.set_span_in_context(span))
        worker_ctx.context_data.update(current_trace_headers())
        self._active[worker_ctx] = (span, token)

    def worker_result(self, worker_ctx: Any, result: Any = None, exc_info: Any = None) -> None:
        entry = self._active.get(worker_ctx)
        if entry and exc_info is not None:
            entry[0].record_exception(exc_info[1])
            entry[0].set_status(Status(StatusCode.ERROR, type(exc_info[1]).__name__))

    def worker_teardown(self, worker_ctx: Any) -> None:
        entry = self._active.pop(worker_ctx, None)
        if entry:
            span, token = entry
            span.end()
            otel_context.detach(token)  # type: ignore[arg-type]
