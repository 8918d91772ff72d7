"""The walking skeleton's path, end to end over HTTP and the bus, every service a separate process.

reception files over HTTP -> intake -> president's inbox -> random draw -> casefile dossier and first
deadline -> stats -> the portal shows status, judge and deadline to a citizen holding the receipt.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from ecourt_shared.auth import Role
from ecourt_shared.testing.documents import blank_pdf, petition

pytestmark = pytest.mark.e2e


def eventually(check: Callable[[], Any], timeout: float = 30, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(0.2)
    raise AssertionError(f"{what} not reached in {timeout}s; last value: {last!r}")


def file_petition(system: Any, key: str) -> dict[str, Any]:
    token = system.token(Role.RECEPTION, user_id="u-reception")
    response = httpx.post(f"{system.url('intake-web')}/api/v1/petitions",
                          headers={"Authorization": f"Bearer {token}"}, data={"petition": json.dumps(petition(key))},
                          files={"attachment": ("don-khoi-kien.pdf", blank_pdf(pages=2), "application/pdf")},
                          timeout=30)
    assert response.status_code == 201, response.text
    return dict(response.json())


def portal_lookup(system: Any, code: str, secret: str) -> httpx.Response:
    return httpx.post(f"{system.url('portal-web')}/api/v1/lookup",
                      json={"case_code": code, "receipt_secret": secret}, timeout=10)


def test_civil_petition_reaches_the_portal_with_judge_and_deadline(system: Any) -> None:
    filed = file_petition(system, "e2e-path-000001")
    president = system.token(Role.PRESIDENT, user_id="u-president")

    inbox = eventually(lambda: [c for c in system.rpc.call("assignment", "inbox", token=president)
                                if c["case_id"] == filed["case_id"]], what="case in the president's inbox")
    assert inbox[0]["acceptance_number"] == filed["acceptance_number"]

    assigned = system.rpc.call("assignment", "assign_random", token=president, case_id=filed["case_id"])
    judge = system.token(Role.JUDGE, user_id="u-judge", judge_id=assigned["judge_id"])

    def portal_shows_everything() -> dict[str, Any] | None:
        response = portal_lookup(system, filed["case_code"], filed["receipt_secret"])
        body = response.json() if response.status_code == 200 else {}
        text = json.dumps(body, ensure_ascii=False)
        return body if assigned["judge_name"] in text and "203" in text else None

    public = eventually(portal_shows_everything, what="portal showing judge and deadline")
    text = json.dumps(public, ensure_ascii=False)
    assert "Nguyễn Văn An" not in text and "079090001234" not in text  # no personal data on the portal

    dossier = eventually(lambda: (d := system.rpc.call("casefile", "get_dossier", token=judge,
                                                       case_id=filed["case_id"])) and d.get("view") == "full" and d,
                         what="the assigned judge's full dossier")
    assert dossier["documents"][0]["page_count"] == 2

    counts = eventually(lambda: system.rpc.call("stats", "counts", token=president), what="stats counts")
    assert sum(row["count"] for row in counts) == 1

    assert portal_lookup(system, filed["case_code"], "AAAA-BBBB-CCCC").status_code == 404


def test_one_filing_is_one_trace_across_every_service(system: Any, data_dir: Path) -> None:
    filed = file_petition(system, "e2e-trace-00001")
    eventually(lambda: portal_lookup(system, filed["case_code"], filed["receipt_secret"]).status_code == 200,
               what="the filing on the portal")
    time.sleep(1.0)  # let every consumer finish and export its spans

    spans = [json.loads(line) for path in (data_dir / "traces").glob("*.jsonl")
             for line in path.read_text().splitlines()]
    http_span = next(s for s in spans if s["name"] == "POST /api/v1/petitions" and s["kind"] == "SERVER"
                     and s["end_ns"] >= max(x["start_ns"] for x in spans if x["name"] == "POST /api/v1/petitions"))
    trace = [s for s in spans if s["trace_id"] == http_span["trace_id"]]
    services = {s["service"] for s in trace}
    assert {"intake-web", "intake", "assignment", "casefile", "stats", "portal", "qlta"} <= services, services
    kinds = {s["kind"] for s in trace}
    assert {"SERVER", "CLIENT", "PRODUCER", "CONSUMER"} <= kinds
    assert any(s["name"].startswith("INSERT") and s["service"] == "casefile" for s in trace)
    assert any(s["name"] == "publish case_received" for s in trace)
