"""The party registry (đương sự): search by name without diacritics or by identifier, and a party's versions.

Intake's ``search_parties``, ``party`` and ``party_history`` RPCs hold the rules (court scope, roles);
corrections and merges are made through intake's HTTP API or RPC, not from these read-only pages.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ecourt_console.http import i18n
from ecourt_console.http.pages.common import as_list
from ecourt_console.http.web import PartiesSession, error_page, failure_page, render, try_rpc

router = APIRouter()
PARTY_ID = re.compile(r"P-[A-Z0-9]{1,38}")
MAX_QUERY = 200


@router.get("/parties")
def search(request: Request, session: PartiesSession, q: str = "") -> Response:
    query = q.strip()[:MAX_QUERY]
    rows, failure = (try_rpc(request, session, "intake", "search_parties", text=query, limit=50) if query
                     else ([], None))
    if failure is not None and failure.kind == "denied":
        return failure_page(request, failure, session)
    return render(request, "parties.html", {"q": query, "rows": as_list(rows, "items"), "failure": failure,
                                            "searched": bool(query)},
                  status=failure.status if failure else 200, session=session)


@router.get("/parties/{party_id}")
def party(request: Request, party_id: str, session: PartiesSession) -> Response:
    if not PARTY_ID.fullmatch(party_id):
        return error_page(request, 404, [i18n.bilingual("not_found")], session)
    found, failure = try_rpc(request, session, "intake", "party", party_id=party_id)
    if failure is not None:
        return failure_page(request, failure, session)
    versions, history_failure = try_rpc(request, session, "intake", "party_history", party_id=party_id)
    return render(request, "party.html", {"party": found if isinstance(found, dict) else {},
                                          "versions": list(reversed(as_list(versions, "items"))),
                                          "failure": history_failure}, session=session)
