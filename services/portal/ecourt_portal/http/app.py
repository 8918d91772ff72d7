"""The public web site: a case lookup page and the same lookup as a JSON API.

- ``GET /``: the lookup form.
- ``POST /lookup`` (form: ``case_code``, ``receipt_secret``): the case page (200), the form with field
  errors (422), the single "not found or secret does not match" answer (404), or 429 when this
  client failed too often (``Retry-After`` says for how long).
- ``POST /api/v1/lookup`` (JSON, same fields): the same rules; errors as ``{"errors": [...]}``.
- ``/health/live``, ``/health/ready`` (AMQP and the portal's database), ``/static/portal.css``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import FastAPI, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field

from ecourt_portal.adapters.orm import metadata
from ecourt_portal.dependencies import readiness_checks
from ecourt_portal.domain.clock import utc_now
from ecourt_portal.domain.public_case import as_json
from ecourt_portal.domain.ratelimit import too_many_attempts
from ecourt_portal.domain.text import Text
from ecourt_portal.http.judgments import install_judgment_routes
from ecourt_portal.http.pages import bilingual, field_errors, render
from ecourt_portal.service_layer.lookup import Found, LookupResult, NotFound, RateLimited, Rejected, lookup_case
from ecourt_portal.settings import get_portal_settings
from ecourt_shared.db import UnitOfWorkFactory, make_engine
from ecourt_shared.settings import get_settings
from ecourt_shared.web.app import create_base_app
from ecourt_shared.web.i18n import request_language


class LookupRequestV1(BaseModel):
    """``{"case_code": "79KV01-2026-000001-43", "receipt_secret": "ABCD-EFGH-JKLM"}``"""

    model_config = ConfigDict(extra="ignore")
    case_code: str = Field(max_length=200)
    receipt_secret: str = Field(max_length=200)


def client_address(request: Request) -> str:
    # Behind a proxy, uvicorn puts the forwarded client here, but only for proxies in FORWARDED_ALLOW_IPS.
    return request.client.host if request.client else "unknown"


def create_app() -> FastAPI:
    settings = get_settings()
    policy = get_portal_settings().rate_limit()
    app = create_base_app("portal", "ecourt portal", settings, readiness_checks(settings))
    engine = make_engine(settings.database_url("portal"), pool_size=5)
    uows = UnitOfWorkFactory(engine, metadata)
    _dispose_on_shutdown(app, engine)
    app.mount("/static", StaticFiles(packages=[("ecourt_portal", "http/static")]), name="static")

    def lookup(request: Request, case_code: str, receipt_secret: str) -> LookupResult:
        return lookup_case(uows, case_code, receipt_secret, client_address(request), policy, utc_now)

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        return render(request, "home.html")

    @app.get("/lookup", include_in_schema=False)
    def lookup_get(request: Request) -> Response:
        """A language switch or a reload on a result page: the secret is never put in a URL, so start over."""
        lang = request.query_params.get("lang")
        return RedirectResponse(f"/?lang={lang}" if lang in ("vi", "en") else "/", status_code=303)

    @app.post("/lookup", include_in_schema=False)
    def lookup_page(request: Request, case_code: Annotated[str, Form(max_length=200)] = "",
                    receipt_secret: Annotated[str, Form(max_length=200)] = "") -> Response:
        result = lookup(request, case_code, receipt_secret)
        lang = request_language(request)
        if isinstance(result, Found):
            return render(request, "result.html", view=result.view)
        if isinstance(result, Rejected):
            return render(request, "home.html", 422, errors=field_errors(result.errors, lang),
                          case_code=case_code)
        if isinstance(result, NotFound):
            refusal = bilingual(Text(result.error.message_vi, result.error.message_en), lang)
            return render(request, "home.html", 404, refusal=refusal, refusal_kind="not_found")
        return render(request, "home.html", 429, headers={"Retry-After": str(result.retry_after)},
                      refusal=bilingual(too_many_attempts(result.retry_after), lang), refusal_kind="rate_limited")

    @app.post("/api/v1/lookup", tags=["lookup"])
    def lookup_api(request: Request, body: LookupRequestV1) -> JSONResponse:
        """Look a case up by its code and receipt secret.

        Example: ``{"case_code": "79KV01-2026-000001-43", "receipt_secret": "ABCD-EFGH-JKLM"}`` ->
        200 with the public facts and next deadline; 404 for an unknown code OR a wrong secret (one
        answer); 422 for a malformed code; 429 after too many failures from this client.
        """
        result = lookup(request, body.case_code, body.receipt_secret)
        headers = {"Cache-Control": "no-store"}
        if isinstance(result, Found):
            return JSONResponse(as_json(result.view), headers=headers)
        if isinstance(result, Rejected):
            return JSONResponse({"errors": [e.model_dump() for e in result.errors]}, 422, headers)
        if isinstance(result, NotFound):
            return JSONResponse({"errors": [result.error.model_dump()]}, 404, headers)
        return _rate_limited_json(result, headers)

    install_judgment_routes(app, uows)  # /judgments: published judgments (Resolution 03/2017)
    return app


def _rate_limited_json(result: RateLimited, headers: dict[str, str]) -> JSONResponse:
    text = too_many_attempts(result.retry_after)
    return JSONResponse({"errors": [{"field": "request", "code": "lookup.rate_limited", "message_vi": text.vi,
                                     "message_en": text.en}]}, 429,
                        {**headers, "Retry-After": str(result.retry_after)})


def _dispose_on_shutdown(app: FastAPI, engine: Any) -> None:
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[Any]:
        async with inner(application) as state:
            yield state
        engine.dispose()

    app.router.lifespan_context = lifespan
