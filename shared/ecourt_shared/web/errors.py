"""Every contract error becomes a 4xx with field-level messages in Vietnamese and English.

A request that fails FastAPI's own validation gets the same shape, so clients handle one format:
``{"errors": [{"field", "code", "message_vi", "message_en"}]}``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from nameko.exceptions import RpcTimeout

from ecourt_shared.contracts.errors import Conflict, NotFound, PermissionDenied, RequestRejected


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "header")]
    return ".".join(parts) or "request"


def validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    return [{"field": _field(tuple(err.get("loc", ()))), "code": str(err.get("type", "invalid")),
             "message_vi": f"Giá trị không hợp lệ: {err.get('msg', '')}",
             "message_en": str(err.get("msg", "invalid value"))} for err in exc.errors()]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"errors": validation_errors(exc)}, status_code=422)

    for error_cls in (RequestRejected, NotFound, PermissionDenied, Conflict):
        @app.exception_handler(error_cls)
        async def on_contract_error(request: Request, exc: Exception) -> JSONResponse:
            status = getattr(exc, "http_status", 400)
            return JSONResponse(getattr(exc, "detail", {}), status_code=status)

    @app.exception_handler(RpcTimeout)
    async def on_timeout(request: Request, exc: RpcTimeout) -> JSONResponse:
        return JSONResponse({"errors": [{"field": "request", "code": "service_unavailable",
                                         "message_vi": "Dịch vụ tạm thời không phản hồi, vui lòng thử lại.",
                                         "message_en": "A service did not answer in time; please retry."}]},
                            status_code=503)
