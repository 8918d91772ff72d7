"""The reception register and the party registry over HTTP (JSON, bearer token).

Every endpoint is a thin translation to one of intake's RPCs: the worker holds the rules and the
role guards, so HTTP and RPC callers meet exactly the same checks. Contract errors come back as 4xx
with the field-level body ``{"errors": [{"field", "code", "message_vi", "message_en"}]}``
(``install_error_handlers``). Lists are wrapped as ``{"items": [...]}`` so they can grow fields later.

Registering an item is idempotent by the client's key (``Idempotency-Key`` header or
``idempotency_key`` in the body): a replay answers 200 with the first result and ``replayed: true``.
"""

from __future__ import annotations

import base64
import json
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ecourt_shared.contracts.errors import FieldError, RequestRejected
from ecourt_shared.contracts.reception import ReceptionStatus
from ecourt_shared.settings import get_settings
from ecourt_shared.web.auth import bearer_token

router = APIRouter(prefix="/api/v1", tags=["reception"])

Token = Annotated[str, Depends(bearer_token)]
RECEPTION_ID = Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9-]+$")
PARTY_ID = Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9-]+$")
STATUSES = get_args(ReceptionStatus)
JSON_BODY = Body(description="a JSON object (see the RPC docstring of the same name for an example)")


async def _call(request: Request, method: str, **kwargs: Any) -> Any:
    return await run_in_threadpool(request.app.state.rpc.call, "intake", method, **kwargs)


def _rejected(field: str, code: str, vi: str, en: str) -> RequestRejected:
    return RequestRejected.single(field, code, vi, en)


# --- reception register ---------------------------------------------------------------------------


@router.post("/receptions", status_code=201)
async def register_reception(request: Request, token: Token,
                             idempotency_key: Annotated[str | None, Header()] = None) -> JSONResponse:
    """Enter an item in the register (sổ tiếp nhận).

    Either ``application/json`` with the whole ``ReceptionV1`` (attachments as ``content_base64``), or
    ``multipart/form-data`` with ``item`` (``ReceptionV1`` as JSON; ``attachments`` may give a ``title``
    per position) and one or more ``attachments`` files, as ``POST /api/v1/petitions`` does.
    """
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        item = await _multipart_item(request)
    else:
        item = _json_object(await request.body(), "item")
    if idempotency_key:
        item["idempotency_key"] = idempotency_key
    result = await _call(request, "register_reception", token=token, item=item)
    return JSONResponse(result, status_code=200 if result.get("replayed") else 201)


@router.get("/receptions")
async def reception_register(request: Request, token: Token,
                             status: Annotated[str | None, Query(description="|".join(STATUSES))] = None,
                             limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    """The court's register, newest first; ``?status=received`` for what still waits for a decision."""
    if status is not None and status not in STATUSES:
        raise _rejected("status", "status.unknown", f"Trạng thái không hợp lệ; dùng một trong: {', '.join(STATUSES)}.",
                        f"unknown status; use one of: {', '.join(STATUSES)}")
    return {"items": await _call(request, "reception_register", token=token, status=status, limit=limit)}


@router.get("/receptions/{reception_id}")
async def reception(request: Request, token: Token, reception_id: Annotated[str, RECEPTION_ID]) -> dict[str, Any]:
    """One register entry in full: parties (identifiers masked unless the caller's role needs them), documents,
    counting date with its basis and provision, and every decision on it, oldest first. Another court's is 404."""
    result: dict[str, Any] = await _call(request, "reception", token=token, reception_id=reception_id)
    return result


@router.post("/receptions/{reception_id}/decision")
async def decide_reception(request: Request, token: Token, reception_id: Annotated[str, RECEPTION_ID],
                           decision: Annotated[dict[str, Any], JSON_BODY]) -> dict[str, Any]:
    """Accept (thụ lý), request amendment (with ``amendment_due_on``), return, or transfer (``transfer_to_court``).

    Body: ``{"decision": "request_amendment", "reason": "...", "amendment_due_on": "2026-12-27"}``.
    A second decision on a decided item is 409 (``reception.already_decided``).
    """
    _same_id(decision, "reception_id", reception_id)
    result: dict[str, Any] = await _call(request, "decide_reception", token=token,
                                         decision={**decision, "reception_id": reception_id})
    return result


# --- party registry -------------------------------------------------------------------------------


@router.get("/parties")
async def search_parties(request: Request, token: Token,
                         q: Annotated[str, Query(max_length=200, description="name (diacritics optional) or id")] = "",
                         limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
    """Search by name without diacritics (``q=nguyen van an``) or by an exact CCCD, tax code, bar number...

    Results are masked for every role (``"masked": true``); an exact identifier search shows the identifier that
    matched (``"matched_by": "cccd"``), and that confirmation is logged. Open the party for the rest.
    """
    if not q.strip():
        raise _rejected("q", "q.required", "Nhập tên hoặc số định danh để tìm.", "enter a name or an identifier")
    return {"items": await _call(request, "search_parties", token=token, text=q.strip(), limit=limit)}


@router.get("/parties/{party_id}")
async def party(request: Request, token: Token, party_id: Annotated[str, PARTY_ID]) -> dict[str, Any]:
    """The party's latest version (a merged party shows ``merged_into``).

    CCCD, phone, date of birth and address in full for reception staff and clerks (each view logged in intake's
    ``personal_data_views``), masked for the president (``"masked": true``).
    """
    result: dict[str, Any] = await _call(request, "party", token=token, party_id=party_id)
    return result


@router.get("/parties/{party_id}/history")
async def party_history(request: Request, token: Token, party_id: Annotated[str, PARTY_ID]) -> dict[str, Any]:
    """Every version, oldest first: snapshot, changed fields, reason, who and when (masked as the party is)."""
    return {"party_id": party_id, "items": await _call(request, "party_history", token=token, party_id=party_id)}


@router.post("/parties/{party_id}/corrections")
async def correct_party(request: Request, token: Token, party_id: Annotated[str, PARTY_ID],
                        correction: Annotated[dict[str, Any], JSON_BODY]) -> dict[str, Any]:
    """A correction is a new version: ``{"expected_version": 1, "reason": "...", "changes": {"phone": "..."}}``.

    A stale ``expected_version`` is 409 (``party.version_changed``): reload and retry.
    """
    _same_id(correction, "party_id", party_id)
    result: dict[str, Any] = await _call(request, "correct_party", token=token,
                                         correction={**correction, "party_id": party_id})
    return result


@router.post("/parties/merges", status_code=201)
async def merge_parties(request: Request, token: Token,
                        merge: Annotated[dict[str, Any], JSON_BODY]) -> dict[str, Any]:
    """Merge a duplicate into the survivor (Thư ký, Chánh án): ``{"survivor_id", "merged_id", "reason"}``."""
    result: dict[str, Any] = await _call(request, "merge_parties", token=token, merge=merge)
    return result


@router.post("/parties/merges/{merge_id}/revert")
async def revert_merge(request: Request, token: Token, merge_id: Annotated[str, RECEPTION_ID],
                       body: Annotated[dict[str, Any], JSON_BODY]) -> dict[str, Any]:
    """Undo a merge: ``{"reason": "Hai người khác nhau"}``."""
    reason = body.get("reason")
    if not isinstance(reason, str):
        raise _rejected("reason", "reason.required", "Phải ghi lý do hoàn tác.", "reverting a merge needs a reason")
    result: dict[str, Any] = await _call(request, "revert_merge", token=token, merge_id=merge_id, reason=reason)
    return result


# --- request bodies -------------------------------------------------------------------------------


def _same_id(body: dict[str, Any], name: str, from_path: str) -> None:
    """The id is the path's; a body that names another one is a mistake worth saying, not silently overriding."""
    if name in body and body[name] != from_path:
        raise _rejected(name, f"{name}.mismatch", f"{name} trong nội dung khác với đường dẫn ({from_path}).",
                        f"{name} in the body differs from the one in the path ({from_path})")


def _json_object(raw: bytes | str, field: str) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _rejected(field, f"{field}.not_json", f"Trường {field} không phải JSON: {exc}",
                        f"the {field} field is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise _rejected(field, f"{field}.not_object", f"Trường {field} phải là một đối tượng JSON.",
                        f"the {field} field must be a JSON object")
    return body


async def _multipart_item(request: Request) -> dict[str, Any]:
    limit = get_settings().max_attachment_bytes
    form = await request.form(max_files=50, max_fields=20)
    raw = form.get("item")
    if not isinstance(raw, str):
        raise _rejected("item", "item.required", "Thiếu trường item (JSON của mục tiếp nhận).",
                        "the item field (the reception as JSON) is missing")
    item = _json_object(raw, "item")
    files = [f for f in form.getlist("attachments") if isinstance(f, UploadFile)]
    if not files:
        raise _rejected("attachments", "attachments.required", "Phải kèm ít nhất một tệp.",
                        "at least one attachment file is required")
    described_raw = item.get("attachments")
    described: list[Any] = described_raw if isinstance(described_raw, list) else []
    attachments, errors = [], []
    for i, upload in enumerate(files):
        data = await upload.read(limit + 1)
        if len(data) > limit:
            errors.append(FieldError(field=f"attachments.{i}", code="attachment.too_large",
                                     message_vi=f"Tệp {upload.filename} vượt giới hạn {limit} byte.",
                                     message_en=f"{upload.filename} exceeds the limit of {limit} bytes"))
            continue
        extra = described[i] if i < len(described) and isinstance(described[i], dict) else {}
        attachments.append({**{k: v for k, v in extra.items() if k == "title"},
                            "filename": (upload.filename or f"tai-lieu-{i + 1}")[-255:],
                            "content_base64": base64.b64encode(data).decode("ascii")})
    if errors:
        raise RequestRejected.of(errors)
    item["attachments"] = attachments
    return item
