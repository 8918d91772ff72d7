"""Logging in and out. The token goes into an HttpOnly, SameSite=Strict cookie; logout ends the session row."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ecourt_console.accounts import LoginRefused, authenticate
from ecourt_console.adapters import sessions as session_store
from ecourt_console.http import i18n
from ecourt_console.http.security import CSRF_FIELD, safe_next
from ecourt_console.http.web import (
    check_csrf,
    clear_cookie,
    client_ip,
    console_of,
    current_session,
    flash_message,
    redirect,
    render,
    set_cookie,
    utc_now,
)
from ecourt_shared.auth import issue_token
from ecourt_shared.web.auth import SESSION_COOKIE

router = APIRouter()


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    if current_session(request) is not None:
        return redirect(request, safe_next(next))
    return render(request, "login.html", {"next": safe_next(next), "username": "", "error": None})


@router.post("/login")
def login(request: Request, username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "/", csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "") -> Response:
    check_csrf(request, csrf_token, None)
    console = console_of(request)
    outcome = authenticate(console.engine, username, password, client_ip(request),
                           policy=console.options.throttle, params=console.options.scrypt)
    if isinstance(outcome, LoginRefused):
        if outcome.reason == "throttled":
            error, status = i18n.both("login.throttled", at=i18n.court_datetime(outcome.retry_at)), 429
        else:
            error, status = i18n.both("login.invalid"), 401
        return render(request, "login.html", {"next": safe_next(next), "username": username[:64], "error": error},
                      status=status)
    now = utc_now()
    ttl = console.settings.token_ttl_seconds
    token = issue_token(outcome.principal(), console.keys.signing_key, ttl)
    session_store.open_session(console.engine, token, outcome.user_id, now, now + timedelta(seconds=ttl))
    response = redirect(request, safe_next(next))
    set_cookie(response, request, SESSION_COOKIE, token, max_age=ttl)
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "") -> Response:
    session = current_session(request)
    if session is not None:
        check_csrf(request, csrf_token, session)
        session_store.revoke_session(console_of(request).engine, session.token, utc_now())
    response = redirect(request, "/login", flash=flash_message("info", *i18n.both("login.logged_out")))
    clear_cookie(response, request, SESSION_COOKIE)
    return response
