"""The console: the staff web application (Chánh án, Thẩm phán, Thư ký, reception).

Server-rendered pages (Jinja2, a small stylesheet, no JavaScript). Every page needs a live session
except the login page; each page checks the roles that may open it, and the services check again on
every RPC. Pages call the services over RPC with the user's own token, from sync endpoints (the RPC
pool is thread-safe).

URLs: ``/login`` ``/logout`` ``/`` ``/inbox`` ``/inbox/{case_id}/assign`` ``/cases`` ``/cases/{case_id}``
``/reception/new`` ``/reception/register`` (``/new``, ``/{reception_id}``, ``/{reception_id}/decision``)
``/parties`` ``/parties/{party_id}``, the president's ``/inbox/{case_id}`` (designate, reassign,
``panel``, ``panel/replace``), ``/inbox/draws/{draw_id}`` and ``/fairness``, plus ``/health/live`` and
``/health/ready``.
"""

from __future__ import annotations

import logging
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ecourt_console.domain.roles import PAGE_ROLES
from ecourt_console.http import i18n
from ecourt_console.http.pages import auth, cases, fairness, home, inbox, panels, parties, reception, register
from ecourt_console.http.pages.common import display_case_id
from ecourt_console.http.rpc_errors import classify
from ecourt_console.http.security import ConsoleKeys
from ecourt_console.http.web import (
    Console,
    ConsoleSettings,
    CsrfRejected,
    Forbidden,
    LoginRequired,
    clear_cookie,
    current_session,
    error_page,
    failure_page,
    language_cookie,
    login_url,
)
from ecourt_shared.auth import load_private_key, load_public_key
from ecourt_shared.contracts.errors import Conflict, NotFound, PermissionDenied, RequestRejected
from ecourt_shared.db import make_engine
from ecourt_shared.health import Check, check_amqp, check_postgres
from ecourt_shared.settings import Settings, get_settings
from ecourt_shared.web.app import create_base_app
from ecourt_shared.web.auth import SESSION_COOKIE

log = logging.getLogger("ecourt.console")

CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                           "frame-ancestors 'none'; base-uri 'none'")


def readiness_checks(settings: Settings) -> dict[str, Check]:
    def keys() -> None:
        private = load_private_key(settings.key_file("private"))
        public_path = settings.key_file("public")
        if public_path.exists() and load_public_key(public_path).public_bytes_raw() != \
                private.public_key().public_bytes_raw():
            raise RuntimeError(f"{public_path} is not the public half of the console's signing key: "
                               "services would refuse every token")

    return {"amqp": check_amqp(settings), "postgres": check_postgres(settings, "console"), "keys": keys}


def template_environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("ecourt_console.http", "templates"),
                             autoescape=jinja2.select_autoescape(["html"]), undefined=jinja2.ChainableUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["court_datetime"] = i18n.court_datetime
    env.filters["court_date"] = i18n.court_date
    env.filters["case_code"] = display_case_id
    env.filters["file_size"] = i18n.file_size
    return env


def create_app() -> FastAPI:
    settings = get_settings()
    options = ConsoleSettings()
    keys = ConsoleKeys.from_signing_key(load_private_key(settings.key_file("private")))
    app = create_base_app("console", "ecourt console", settings, readiness_checks(settings))
    # no interactive API docs: the console serves pages to signed-in staff, not an API
    app.router.routes = [r for r in app.router.routes
                         if getattr(r, "path", "") not in ("/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json")]
    app.state.console = Console(settings=settings, options=options, keys=keys,
                                engine=make_engine(settings.database_url("console"), pool_size=5),
                                templates=template_environment())
    app.mount("/static", StaticFiles(packages=[("ecourt_console.http", "static")]), name="static")
    for page in (auth, home, inbox, panels, fairness, cases, reception, register, parties):
        app.include_router(page.router)
    install_page_errors(app)

    @app.middleware("http")
    async def page_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        if not request.url.path.startswith("/static/"):
            headers.setdefault("Cache-Control", "no-store")  # pages carry personal data and receipt secrets
        language_cookie(request, response)
        return response

    return app


def install_page_errors(app: FastAPI) -> None:
    """People get pages, in both languages, for every error; never JSON and never a stack trace."""

    @app.exception_handler(LoginRequired)
    async def on_login_required(request: Request, exc: LoginRequired) -> Response:
        target = login_url(request) if request.method == "GET" else "/login"
        response = RedirectResponse(target, status_code=303)
        if request.cookies.get(SESSION_COOKIE):
            clear_cookie(response, request, SESSION_COOKIE)
        return response

    @app.exception_handler(Forbidden)
    def on_forbidden(request: Request, exc: Forbidden) -> Response:
        return error_page(request, 403, [i18n.forbidden(PAGE_ROLES[exc.page])], _soft_session(request))

    @app.exception_handler(CsrfRejected)
    def on_csrf(request: Request, exc: CsrfRejected) -> Response:
        return error_page(request, 403, [i18n.bilingual("csrf")], _soft_session(request))

    @app.exception_handler(StarletteHTTPException)
    def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        key = "not_found" if exc.status_code == 404 else "bad_request"
        return error_page(request, exc.status_code, [i18n.bilingual(key)], _soft_session(request))

    @app.exception_handler(RequestValidationError)
    def on_invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_page(request, 400, [i18n.bilingual("bad_request")], _soft_session(request))

    for error_cls in (RequestRejected, NotFound, PermissionDenied, Conflict):
        @app.exception_handler(error_cls)
        def on_contract_error(request: Request, exc: Exception) -> Response:
            return failure_page(request, classify(exc, "console"), _soft_session(request))

    @app.exception_handler(Exception)
    def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_page(request, 500, [i18n.bilingual("server_error")])


def _soft_session(request: Request) -> Any:
    try:
        return getattr(request.state, "staff_session", None) or current_session(request)
    except Exception:  # an error page must render even when the session store is down
        return None
