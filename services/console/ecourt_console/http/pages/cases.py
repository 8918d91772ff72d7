"""A judge's cases; the case file (dossier) page of one case lives in ``pages/dossier.py``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ecourt_console.http.pages import dossier
from ecourt_console.http.pages.common import as_list
from ecourt_console.http.web import CasesSession, failure_page, render, try_rpc

router = APIRouter()
# The dossier's pages (/cases/{case_id} and its forms) are served with the case list, under the same prefix.
router.include_router(dossier.router)


@router.get("/cases")
def judge_cases(request: Request, session: CasesSession) -> Response:
    rows, failure = try_rpc(request, session, "assignment", "judge_cases")
    if failure is not None and failure.kind == "denied":
        return failure_page(request, failure, session)
    return render(request, "cases.html", {"rows": as_list(rows, "cases"), "failure": failure},
                  status=failure.status if failure else 200, session=session)
