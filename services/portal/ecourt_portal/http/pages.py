"""Rendering the portal's pages: Jinja2 templates shipped in the package, one language per page.

The language is ``?lang=vi|en`` (remembered in a cookie) or the cookie, Vietnamese by default.
Every page is sent with headers that keep it out of caches and frames and allow no script at all.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from ecourt_portal.domain.text import Text
from ecourt_portal.http.texts import ui_texts
from ecourt_shared.contracts.errors import FieldError
from ecourt_shared.web.i18n import LANG_COOKIE, LANGUAGES, request_language

ONE_YEAR = 365 * 24 * 3600
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Vary": "Cookie",
}

_env = Environment(loader=PackageLoader("ecourt_portal", "http/templates"), autoescape=select_autoescape(),
                   trim_blocks=True, lstrip_blocks=True)


def bilingual(text: Text, lang: str) -> dict[str, str]:
    """A message in the reader's language first and the other one alongside (for errors and refusals)."""
    return {"primary": text.in_(lang), "secondary": text.other(lang), "secondary_lang": "vi" if lang == "en" else "en"}


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def field_errors(errors: list[FieldError], lang: str) -> list[dict[str, str]]:
    return [{"field": e.field, **bilingual(Text(_sentence(e.message_vi), _sentence(e.message_en)), lang)}
            for e in errors]


def render(request: Request, template: str, status: int = 200, headers: dict[str, str] | None = None,
           **context: Any) -> HTMLResponse:
    lang = request_language(request)
    html = _env.get_template(template).render(lang=lang, t=ui_texts(lang), **context)
    response = HTMLResponse(html, status_code=status, headers={**PAGE_HEADERS, **(headers or {})})
    chosen = request.query_params.get("lang", "")
    if chosen in LANGUAGES and request.cookies.get(LANG_COOKIE) != chosen:
        response.set_cookie(LANG_COOKIE, chosen, max_age=ONE_YEAR, path="/", samesite="lax", httponly=True,
                            secure=request.url.scheme == "https")
    return response
