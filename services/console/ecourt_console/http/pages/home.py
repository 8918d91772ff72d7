"""The dashboard: links to what the user's roles allow."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ecourt_console.http.web import DashboardSession, render

router = APIRouter()


@router.get("/")
def dashboard(request: Request, session: DashboardSession) -> Response:
    return render(request, "dashboard.html", session=session)
