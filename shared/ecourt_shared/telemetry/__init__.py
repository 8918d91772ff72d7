"""OpenTelemetry, set up once per process.

One filing is one trace: the HTTP span, the RPC client and server spans, the database spans, the
outbox relay's publish and every consumer's handler span share a trace id, because the W3C
``traceparent`` travels in RPC and event message headers (nameko context data) and inside the
event envelope.
"""

from __future__ import annotations

from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)

from ecourt_shared.settings import Settings
from ecourt_shared.telemetry.jsonl import JsonLinesSpanExporter

_configured: str | None = None


def setup_telemetry(service_name: str, settings: Settings) -> None:
    global _configured
    if _configured is not None:
        return
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    exporter = _exporter(service_name, settings)
    if isinstance(exporter, JsonLinesSpanExporter):
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    elif exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _configured = service_name


def _exporter(service_name: str, settings: Settings) -> SpanExporter | None:
    kind = settings.otel_exporter
    if kind == "none":
        return None
    if kind == "console":
        return ConsoleSpanExporter(service_name=service_name)
    if kind == "jsonl":
        return JsonLinesSpanExporter(settings.data_dir / "traces" / f"{service_name}.jsonl")
    if kind == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter(endpoint=settings.otel_endpoint or None)
    raise ValueError(f"ECOURT_OTEL_EXPORTER must be none, console, jsonl or otlp, not {kind!r}")


def tracer(name: str = "ecourt") -> trace.Tracer:
    return trace.get_tracer(name)


def instrument_engine(engine: Any) -> None:
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    SQLAlchemyInstrumentor().instrument(engine=engine)


def instrument_fastapi(app: Any) -> None:
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app, excluded_urls="health/.*")
