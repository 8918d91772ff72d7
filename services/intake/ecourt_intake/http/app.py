"""Intake's HTTP front: reception software and the e-filing gateway file petitions here.

The reception register and the party registry endpoints live in ``reception_api``.

It authenticates the caller, turns the multipart upload into the RPC contract and calls intake's
``file_petition``; the worker does all validation, so there is one set of rules.
"""

from __future__ import annotations

import base64
import json
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Form, Header, Request, UploadFile
from fastapi.responses import JSONResponse

from ecourt_intake.http import reception_api
from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.health import check_amqp
from ecourt_shared.settings import get_settings
from ecourt_shared.web.app import create_base_app
from ecourt_shared.web.auth import bearer_token


def create_app() -> FastAPI:
    settings = get_settings()
    app = create_base_app("intake", "ecourt intake", settings, {"amqp": check_amqp(settings)})

    @app.post("/api/v1/petitions", status_code=201)
    async def file_petition(
        request: Request,
        petition: Annotated[str, Form(description="PetitionV1 as JSON, without the attachment content")],
        attachment: Annotated[UploadFile, File(description="the petition as a PDF")],
        token: Annotated[str, Depends(bearer_token)],
        idempotency_key: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        """File a petition with one PDF. ``Idempotency-Key`` (header) or ``idempotency_key`` (JSON) is required."""
        data = await attachment.read(settings.max_attachment_bytes + 1)
        if len(data) > settings.max_attachment_bytes:
            raise RequestRejected.single("attachment", "attachment.too_large",
                                         f"Tệp đính kèm vượt giới hạn {settings.max_attachment_bytes} byte.",
                                         f"the attachment exceeds the limit of {settings.max_attachment_bytes} bytes")
        body = _parse_petition(petition)
        if idempotency_key:
            body["idempotency_key"] = idempotency_key
        body["attachment"] = {**body.get("attachment", {}), "filename": attachment.filename or "petition.pdf",
                              "content_base64": base64.b64encode(data).decode()}
        rpc = request.app.state.rpc
        result = await _in_thread(rpc.call, "intake", "file_petition", token=token, petition=body)
        return JSONResponse(result, status_code=200 if result.get("replayed") else 201)

    app.include_router(reception_api.router)
    return app


def _parse_petition(raw: str) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise RequestRejected.single("petition", "petition.not_json", f"Trường petition không phải JSON: {exc}",
                                     f"the petition field is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise RequestRejected.single("petition", "petition.not_object", "Trường petition phải là một đối tượng JSON.",
                                     "the petition field must be a JSON object")
    return body


async def _in_thread(fn: Any, *args: Any, **kwargs: Any) -> Any:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args, **kwargs)
