"""The gateway's HTTP API for the Supreme People's Court.

- ``GET /qlta/v1/cases/{case_id}``: the canonical record with its version and ``content_sha256``
  (also the ``ETag``; ``If-None-Match`` answers 304), so the SPC re-reads only what changed
  (PJe/MNI-style change detection);
- ``GET /qlta/v1/changes?since=<ISO 8601>&limit=500``: which cases changed, with their hashes.

Authentication: a bearer token whose principal holds ``it_admin``, scoped to that principal's court.
A dedicated SPC role (national scope, read-only) belongs in ``ecourt_shared.auth.Role`` later.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse, Response

from ecourt_qlta.adapters.orm import metadata
from ecourt_qlta.dependencies import readiness_checks
from ecourt_qlta.service_layer import spc_api
from ecourt_qlta.settings import get_qlta_settings
from ecourt_shared.auth import Principal, Role
from ecourt_shared.contracts.errors import PermissionDenied
from ecourt_shared.db import UnitOfWorkFactory, make_engine
from ecourt_shared.settings import get_settings
from ecourt_shared.web.app import create_base_app
from ecourt_shared.web.auth import current_principal

SPC_ROLES = (Role.IT_ADMIN,)


def spc_principal(request: Request) -> Principal:
    principal = current_principal(request)
    if not principal.has(*SPC_ROLES):
        raise PermissionDenied({"message_vi": "API đồng bộ QLTA chỉ dành cho quản trị hệ thống.",
                                "message_en": "The QLTA sync API is for system administrators only."})
    return principal


def _etag(sha: str) -> str:
    return f'"{sha}"'


def _matches(if_none_match: str | None, sha: str) -> bool:
    if not if_none_match:
        return False
    tags = {t.strip().removeprefix("W/").strip('"') for t in if_none_match.split(",")}
    return sha in tags or "*" in tags


def create_app() -> FastAPI:
    settings = get_settings()
    qlta = get_qlta_settings()
    app = create_base_app("qlta", "ecourt QLTA gateway", settings, readiness_checks(settings))
    uows = UnitOfWorkFactory(make_engine(settings.database_url("qlta"), pool_size=5), metadata)

    @app.get("/qlta/v1/cases/{case_id}")
    def get_case(case_id: str, principal: Annotated[Principal, Depends(spc_principal)],
                 if_none_match: Annotated[str | None, Header()] = None) -> Response:
        """One case's canonical record. Example response::

            {"case_id": "79KV01202600012365", "version": 3, "content_sha256": "9f2c…",
             "changed_at": "2026-03-05T01:02:03.456+00:00",
             "record": {"schema_version": "ecourt.qlta.case/1", "court_code": "79KV01",
                        "case_code": "79KV01-2026-000123-65", "status_code": "CHUAN_BI_XET_XU", ...},
             "sync": {"last_sent_version": 3, "last_sent_at": "2026-03-05T01:02:04+00:00", "in_sync": true}}

        ``content_sha256`` is SHA-256 of the record as canonical JSON (sorted keys, no spaces, UTF-8).
        """
        body = spc_api.get_case(uows, principal.court_id, case_id)
        headers = {"ETag": _etag(body["content_sha256"])}
        if _matches(if_none_match, body["content_sha256"]):
            return Response(status_code=304, headers=headers)
        return JSONResponse(body, headers=headers)

    @app.get("/qlta/v1/changes")
    def changes(principal: Annotated[Principal, Depends(spc_principal)],
                since: Annotated[datetime | None, Query(description="ISO 8601; without offset = UTC")] = None,
                limit: Annotated[int, Query(ge=1, le=1000)] = 500) -> dict[str, Any]:
        """Cases changed after ``since``, oldest first. Example response::

            {"since": "2026-03-05T00:00:00+00:00", "until": "2026-03-05T01:10:00+00:00",
             "changes": [{"case_id": "79KV01202600012365", "case_code": "79KV01-2026-000123-65",
                          "court_code": "79KV01", "version": 3, "content_sha256": "9f2c…",
                          "changed_at": "2026-03-05T01:02:03.456+00:00"}],
             "next_since": "2026-03-05T01:10:00+00:00", "truncated": false}

        Poll again with ``since=next_since``. Only changes older than a few seconds (``until``) are
        listed, so a change still being committed is never skipped.
        """
        return spc_api.list_changes(uows, principal.court_id, since, limit, qlta.changes_settle_seconds)

    return app
