"""Vietnamese first, English available: pick the language of a request."""

from __future__ import annotations

from fastapi import Request

LANGUAGES = ("vi", "en")
LANG_COOKIE = "ecourt_lang"


def request_language(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "vi"
    return chosen if chosen in LANGUAGES else "vi"
