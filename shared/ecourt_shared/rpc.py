"""RPC from processes that are not nameko workers (FastAPI apps, tools, tests).

nameko's standalone client is single-threaded, so a pool hands one client to one thread at a time.
Each call runs in a client span and sends its ``traceparent`` as nameko context data, so the
server's span joins the caller's trace.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from typing import Any

from nameko.standalone.rpc import ClusterRpcClient
from opentelemetry import trace
from opentelemetry.trace import SpanKind

from ecourt_shared.telemetry.propagation import TRACE_KEYS, current_trace_headers


class RpcClientPool:
    def __init__(self, amqp_uri: str, timeout: float = 30.0, size: int = 8) -> None:
        self._amqp_uri = amqp_uri
        self._timeout = timeout
        self._idle: queue.LifoQueue[ClusterRpcClient] = queue.LifoQueue()
        self._all: list[ClusterRpcClient] = []
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()

    def call(self, service: str, method: str, **kwargs: Any) -> Any:
        with trace.get_tracer("ecourt.rpc").start_as_current_span(
                f"rpc {service}.{method}", kind=SpanKind.CLIENT,
                attributes={"rpc.system": "nameko", "rpc.service": service, "rpc.method": method}), self._slots:
            client = self._checkout()
            try:
                context = client.client.context_data
                for key in TRACE_KEYS:
                    context.pop(key, None)
                context.update(current_trace_headers())
                return getattr(getattr(client.client, service), method)(**kwargs)
            except Exception as exc:
                if _is_transport_error(exc):  # drop a broken client instead of reusing it
                    self._discard(client)
                    client = None
                raise
            finally:
                if client is not None:
                    self._idle.put(client)

    def _checkout(self) -> ClusterRpcClient:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            client = ClusterRpcClient(context_data={}, timeout=self._timeout, uri=self._amqp_uri)
            client.start()
            with self._lock:
                self._all.append(client)
            return client

    def _discard(self, client: ClusterRpcClient) -> None:
        with self._lock:
            if client in self._all:
                self._all.remove(client)
        with contextlib.suppress(Exception):  # already broken; nothing more to release
            client.stop()

    def close(self) -> None:
        with self._lock:
            clients, self._all = self._all, []
        for client in clients:
            with contextlib.suppress(Exception):  # closing a dead connection at shutdown
                client.stop()


def _is_transport_error(exc: Exception) -> bool:
    from nameko.exceptions import RpcTimeout

    return isinstance(exc, RpcTimeout | OSError | ConnectionError)
