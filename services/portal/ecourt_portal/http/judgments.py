"""The published judgments pages and API (Resolution 03/2017/NQ-HĐTP): encoded text and public metadata only.

- ``GET /judgments?case_code=&court=&type=&kind=&from=&to=&page=``: the search form and the list (422 with
  field errors for a malformed field).
- ``GET /judgments/{case_code}/{document_id}``: one judgment's encoded text (404 when not published).
- ``GET /api/v1/judgments`` (same parameters): the list as JSON; errors as ``{"errors": [...]}``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from ecourt_portal.domain.text import Text
from ecourt_portal.domain.wording import case_type_words, stage_words
from ecourt_portal.http.pages import bilingual, field_errors, render
from ecourt_portal.http.texts import JUDGMENT_KINDS
from ecourt_portal.service_layer import judgments
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.web.i18n import request_language


def _display(row: dict[str, Any], lang: str) -> dict[str, Any]:
    kind = JUDGMENT_KINDS.get(row["kind"], Text(row["kind"], row["kind"]))
    return {**row, "kind_words": kind.in_(lang), "case_type_words": case_type_words(row["case_type"]).in_(lang),
            "stage_words": stage_words(row["stage"]).in_(lang),
            "dated_display": row["dated_on"].strftime("%d/%m/%Y"),
            "effect_display": row["legal_effect_on"].strftime("%d/%m/%Y")}


def _json(row: dict[str, Any]) -> dict[str, Any]:
    keep = ("document_id", "case_code", "court_id", "case_type", "stage", "kind", "number", "title")
    return {**{k: row[k] for k in keep}, "issued_on": row["issued_on"] and row["issued_on"].isoformat(),
            "legal_effect_on": row["legal_effect_on"].isoformat(), "published_at": row["published_at"].isoformat(),
            "url": f"/judgments/{row['case_code']}/{row['document_id']}"}


def install_judgment_routes(app: FastAPI, uows: UnitOfWorkFactory) -> None:
    @app.get("/judgments", include_in_schema=False)
    def judgments_page(request: Request) -> Response:
        params = dict(request.query_params)
        query, page, errors = judgments.parse_search(params)
        lang = request_language(request)
        if errors:
            return render(request, "judgments.html", 422, errors=field_errors(errors, lang), form=params, rows=[])
        rows = [_display(r, lang) for r in judgments.search(uows, query, page)]
        return render(request, "judgments.html", form=params, rows=rows, page=page,
                      more=len(rows) == judgments.PAGE_SIZE)

    @app.get("/judgments/{case_code}/{document_id}", include_in_schema=False)
    def judgment_page(request: Request, case_code: str, document_id: str) -> Response:
        row = judgments.document(uows, case_code, document_id)
        lang = request_language(request)
        if row is None:
            refusal = bilingual(Text("Không có bản án, quyết định được công bố với mã này.",
                                     "No published judgment or decision has this reference."), lang)
            return render(request, "judgments.html", 404, refusal=refusal, form={}, rows=[])
        return render(request, "judgment.html", doc=_display(row, lang),
                      paragraphs=[p for p in row["text"].split("\n") if p.strip()])

    @app.get("/api/v1/judgments", tags=["judgments"])
    def judgments_api(request: Request) -> JSONResponse:
        """Published judgments and decisions, newest first, 50 a page.

        Example: ``GET /api/v1/judgments?court=79KV01&type=DS&from=2026-01-01`` -> ``{"judgments": [{"number":
        "01/2026/DS-ST", "case_code": "79KV01-2026-000123-65", "kind": "judgment", "url": "/judgments/…"}]}``;
        422 ``{"errors": [...]}`` for a malformed field.
        """
        query, page, errors = judgments.parse_search(dict(request.query_params))
        if errors:
            return JSONResponse({"errors": [e.model_dump() for e in errors]}, 422)
        return JSONResponse({"page": page, "judgments": [_json(r) for r in judgments.search(uows, query, page)]})
