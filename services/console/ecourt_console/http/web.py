"""The console's web plumbing: settings, the session dependency, page gating, CSRF, rendering, RPC."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Annotated, Any
from urllib.parse import quote

import jinja2
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Engine

from ecourt_console.adapters import sessions as session_store
from ecourt_console.domain.passwords import ScryptParams
from ecourt_console.domain.roles import PAGE_ROLES, PAGE_URLS, may_open, pages_for
from ecourt_console.domain.throttle import ThrottlePolicy
from ecourt_console.http import i18n
from ecourt_console.http.rpc_errors import RpcFailure, classify
from ecourt_console.http.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    FLASH_COOKIE,
    ConsoleKeys,
    csrf_token,
    csrf_valid,
    new_nonce,
    read_flash,
    sign_flash,
)
from ecourt_shared.auth import AuthError, Principal, verify_token
from ecourt_shared.settings import Settings
from ecourt_shared.web.auth import SESSION_COOKIE
from ecourt_shared.web.i18n import LANG_COOKIE, LANGUAGES, request_language

log = logging.getLogger("ecourt.console")


class ConsoleSettings(BaseSettings):
    """Console-only settings, ``ECOURT_CONSOLE_*`` (the shared ones come from ``ecourt_shared.settings``)."""

    model_config = SettingsConfigDict(env_prefix="ECOURT_CONSOLE_", extra="ignore")

    cookie_secure: str = "auto"  # auto: Secure when the request came over https; or "true" / "false"
    login_max_failures: int = 5
    login_window_seconds: int = 15 * 60
    login_block_seconds: int = 15 * 60
    scrypt_n: int = 2**15
    portal_url: str = ""  # shown on the petition receipt when set

    @property
    def throttle(self) -> ThrottlePolicy:
        return ThrottlePolicy(max_failures=self.login_max_failures,
                              window=timedelta(seconds=self.login_window_seconds),
                              block=timedelta(seconds=self.login_block_seconds))

    @property
    def scrypt(self) -> ScryptParams:
        return ScryptParams(n=self.scrypt_n)


@dataclass
class Console:
    settings: Settings
    options: ConsoleSettings
    keys: ConsoleKeys
    engine: Engine
    templates: jinja2.Environment


def console_of(request: Request) -> Console:
    console: Console = request.app.state.console
    return console


def utc_now() -> datetime:
    return datetime.now(UTC)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


# --- sessions and gating --------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffSession:
    token: str
    principal: Principal
    session_id: str


class LoginRequired(Exception):
    """No live session: the person is sent to the login page."""


class Forbidden(Exception):
    def __init__(self, page: str) -> None:
        super().__init__(page)
        self.page = page


class CsrfRejected(Exception):
    """A POST without a valid CSRF token."""


def current_session(request: Request) -> StaffSession | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    console = console_of(request)
    try:
        principal = verify_token(token, console.keys.public_key)
    except AuthError:
        return None
    if not session_store.session_is_live(console.engine, token, utc_now()):
        return None
    return StaffSession(token=token, principal=principal, session_id=session_store.session_id(token))


def staff_session(request: Request) -> StaffSession:
    session = current_session(request)
    if session is None:
        raise LoginRequired()
    request.state.staff_session = session
    return session


def page_session(page: str) -> Any:
    """A dependency: the live session of someone allowed on ``page`` (else login or a 403 page)."""
    assert page in PAGE_ROLES, page

    def dependency(session: Annotated[StaffSession, Depends(staff_session)]) -> StaffSession:
        if not may_open(session.principal, page):
            raise Forbidden(page)
        return session
    return Depends(dependency)


DashboardSession = Annotated[StaffSession, page_session("dashboard")]
InboxSession = Annotated[StaffSession, page_session("inbox")]
CasesSession = Annotated[StaffSession, page_session("cases")]
DossierSession = Annotated[StaffSession, page_session("dossier")]
ReceptionSession = Annotated[StaffSession, page_session("reception")]
RegisterSession = Annotated[StaffSession, page_session("register")]
PartiesSession = Annotated[StaffSession, page_session("parties")]
FairnessSession = Annotated[StaffSession, page_session("fairness")]


def check_csrf(request: Request, submitted: str | None, session: StaffSession | None) -> None:
    nonce = request.cookies.get(CSRF_COOKIE)
    if not csrf_valid(console_of(request).keys.csrf_key, nonce, session.session_id if session else "", submitted):
        raise CsrfRejected()


# --- responses ------------------------------------------------------------------------------------


def secure_cookies(request: Request) -> bool:
    mode = console_of(request).options.cookie_secure.lower()
    return request.url.scheme == "https" if mode == "auto" else mode in ("1", "true", "yes")


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="strict",
                        secure=secure_cookies(request))


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, samesite="strict", secure=secure_cookies(request))


def redirect(request: Request, url: str, flash: dict[str, Any] | None = None) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    if flash is not None:
        set_cookie(response, request, FLASH_COOKIE, sign_flash(console_of(request).keys.flash_key, flash), 300)
    return response


def flash_message(level: str, vi: str, en: str, details: list[tuple[str, str, str]] | None = None) -> dict[str, Any]:
    """A one-time message for the next page: ``details`` are (label_vi, label_en, value) rows."""
    return {"level": level, "vi": vi, "en": en, "details": [list(d) for d in details or []]}


def login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login" if target == "/" else f"/login?next={quote(target, safe='')}"


def render(request: Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200,
           session: StaffSession | None = None) -> HTMLResponse:
    console = console_of(request)
    session = session or getattr(request.state, "staff_session", None)
    lang = request_language(request)
    nonce = request.cookies.get(CSRF_COOKIE) or ""
    fresh = len(nonce) < 32
    if fresh:
        nonce = new_nonce()
    flash_cookie = request.cookies.get(FLASH_COOKIE)
    principal = session.principal if session else None
    other = "en" if lang == "vi" else "vi"
    page = {
        "request": request,
        "lang": lang,
        "t": partial(i18n.translate, lang),
        "both": i18n.both,
        "role_label": partial(i18n.role_label, lang),
        "case_type_label": partial(i18n.case_type_label, lang),
        "stage_label": partial(i18n.stage_label, lang),
        "status_label": partial(i18n.status_label, lang),
        "party_role_label": partial(i18n.party_role_label, lang),
        "localized": partial(i18n.localized, lang),
        "register_label": partial(i18n.register_label, lang),
        "pick": i18n.pick,
        "session": session,
        "principal": principal,
        "pages": pages_for(principal) if principal else [],
        "page_urls": PAGE_URLS,
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(console.keys.csrf_key, nonce, session.session_id if session else ""),
        "flash": read_flash(console.keys.flash_key, flash_cookie),
        "lang_url": str(request.url.include_query_params(lang=other)) if request.method == "GET"
        else f"{request.url.path}?lang={other}",
        **(context or {}),
    }
    response = HTMLResponse(console.templates.get_template(template).render(page), status_code=status)
    if fresh:
        set_cookie(response, request, CSRF_COOKIE, nonce)
    if flash_cookie:
        clear_cookie(response, request, FLASH_COOKIE)
    return response


def error_page(request: Request, status: int, messages: list[tuple[str, str]],
               session: StaffSession | None = None) -> HTMLResponse:
    """A status page that says what happened in both languages."""
    return render(request, "error.html", {"status": status, "messages": messages}, status=status, session=session)


def failure_page(request: Request, failure: RpcFailure, session: StaffSession | None = None) -> HTMLResponse:
    return error_page(request, failure.status, [(m.vi, m.en) for m in failure.messages], session)


# --- calls to the services ------------------------------------------------------------------------


def rpc(request: Request, session: StaffSession, service: str, method: str, **kwargs: Any) -> Any:
    """Call ``service.method`` with the caller's token. Raises whatever the call raised."""
    return request.app.state.rpc.call(service, method, token=session.token, **kwargs)


def try_rpc(request: Request, session: StaffSession, service: str, method: str,
            **kwargs: Any) -> tuple[Any, RpcFailure | None]:
    """(result, None) or (None, failure): every error of the call becomes a message for a person."""
    try:
        return rpc(request, session, service, method, **kwargs), None
    except Exception as exc:  # the boundary to another service: every failure is shown, none is a 500
        failure = classify(exc, service)
        if failure.kind in ("unavailable", "error"):
            log.warning("rpc %s.%s failed: %s: %s", service, method, type(exc).__name__, exc)
        return None, failure


def language_cookie(request: Request, response: Response) -> None:
    chosen = request.query_params.get("lang")
    if chosen is not None and chosen in LANGUAGES and request.cookies.get(LANG_COOKIE) != chosen:
        response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 24 * 3600, path="/", httponly=True, samesite="lax",
                            secure=secure_cookies(request))
