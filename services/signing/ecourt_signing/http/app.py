"""Signing's HTTP front: anyone (a citizen too) verifies a court document; RFC 3161 for the development TSA.

``POST /api/v1/verify`` takes the PDF (multipart field ``file``) and answers whether it is signed by a court
key, intact, unchanged since signing (incremental-update and shadow attacks are named), in effect, and
which case and document it is. The worker does the checking (``signing.verify_public``): one set of rules.
"""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import FastAPI, File, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.health import check_amqp
from ecourt_shared.settings import get_settings
from ecourt_shared.web.app import create_base_app
from ecourt_signing.adapters.keystore import open_key_store

TSA_MAX_REQUEST = 16 * 1024


def create_app() -> FastAPI:
    settings = get_settings()
    app = create_base_app("signing", "ecourt signing", settings, {"amqp": check_amqp(settings)})
    keys = open_key_store(settings)

    @app.post("/api/v1/verify")
    async def verify(request: Request, file: Annotated[UploadFile, File(description="the PDF to check")]) -> Any:
        """Verify a signed court document. Public: it reveals nothing the file does not carry."""
        data = await file.read(settings.max_attachment_bytes + 1)
        if len(data) > settings.max_attachment_bytes:
            raise RequestRejected.single("file", "pdf.too_large",
                                         f"Tệp vượt giới hạn {settings.max_attachment_bytes} byte.",
                                         f"the file exceeds the limit of {settings.max_attachment_bytes} bytes")
        rpc = request.app.state.rpc
        return await run_in_threadpool(rpc.call, "signing", "verify_public",
                                       pdf_base64=base64.b64encode(data).decode("ascii"))

    @app.post("/tsa")
    async def timestamp(request: Request) -> Response:
        """RFC 3161 over HTTP: a DER ``TimeStampReq`` in, a DER ``TimeStampResp`` out (development TSA)."""
        body = await request.body()
        if len(body) > TSA_MAX_REQUEST or request.headers.get("content-type") != "application/timestamp-query":
            return Response(status_code=400, content=b"expected application/timestamp-query")
        tsa = await run_in_threadpool(keys.timestamper)
        answer = await run_in_threadpool(tsa.respond, body)
        return Response(content=answer, media_type="application/timestamp-reply")

    return app
