"""A judgment published from the dossier's own signed version, with the whole system running.

Reception files a petition at intake (the parties go into intake's registry), the president assigns a judge by
lot, the judge assigns the clerk; the judge drafts the judgment in signing and signs it, the president signs it
(still not in effect: the clerk countersigns last, and publication is refused until then), the clerk signs. The
case takes legal effect; the clerk prepares the publication without supplying any text (signing gives the signed
text, intake the parties' names), the judge approves and releases it, and the portal shows it with no party's
name or identity number.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from ecourt_shared.auth import Role
from ecourt_shared.contracts.errors import Conflict, NotFound, RequestRejected
from ecourt_shared.identifiers import format_case_id
from ecourt_shared.testing.documents import blank_pdf, petition

pytestmark = pytest.mark.integration

TODAY = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
# The petition's parties (ecourt_shared.testing.documents.petition), a witness named only in the judgment's text.
PERSONAL = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Nam", "079090001234", "079185004321")


def eventually(check: Callable[[], Any], what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except (NotFound, Conflict) as exc:  # not there yet; the registry not yet told who is on the case
            last = exc
        if last and not isinstance(last, Exception):
            return last
        time.sleep(0.3)
    raise AssertionError(f"{what} not reached in {timeout}s; last: {last!r}")


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def refusal(call: Callable[[], Any]) -> str:
    with pytest.raises(RequestRejected) as exc:
        call()
    return json.dumps(exc.value.args[0], ensure_ascii=False)


def test_a_judgment_signed_by_judge_president_and_clerk_is_published_from_its_signed_text(system: Any) -> None:
    from ecourt_signing.domain.templates import sample_fields

    rpc = system.rpc
    reception = system.token(Role.RECEPTION, user_id="u-reception")
    filed = httpx.post(f"{system.url('intake-web')}/api/v1/petitions", headers={"Authorization": f"Bearer {reception}"},
                       data={"petition": json.dumps(petition("publication-signed-01"))},
                       files={"attachment": ("don-khoi-kien.pdf", blank_pdf(pages=2), "application/pdf")}, timeout=30)
    assert filed.status_code == 201, filed.text
    case = filed.json()["case_id"]
    president = system.token(Role.PRESIDENT, user_id="u-pub-president", display_name="Nguyễn Thị Hoa")
    eventually(lambda: [c for c in rpc.call("assignment", "inbox", token=president) if c["case_id"] == case],
               "the case in the president's inbox")
    judge_id = rpc.call("assignment", "assign_random", token=president, case_id=case)["judge_id"]
    judge = system.token(Role.JUDGE, user_id="u-pub-judge", judge_id=judge_id, display_name="Lê Văn Cường")
    clerk = system.token(Role.CLERK, user_id="u-pub-clerk", display_name="Vũ Ngọc Ánh")
    eventually(lambda: rpc.call("casefile", "get_dossier", token=judge, case_id=case)["view"] == "full",
               "the judge's full dossier")
    rpc.call("casefile", "record_step", token=judge, case_id=case, step="assign_clerk",
             params={"clerk_id": "u-pub-clerk"})

    fields = {**sample_fields("judgment"), "case_id": format_case_id(case), "judge_name": "Lê Văn Cường",
              "reasoning": "Ông Nguyễn Văn An (CCCD số 079090001234) cho bà Trần Thị Bình vay 100.000.000 đồng; "
                           "người làm chứng anh Lê Hoàng Nam xác nhận việc giao tiền. Ông An đã nhiều lần đòi.",
              "ruling": "Buộc bà Trần Thị Bình trả cho ông Nguyễn Văn An số tiền 100.000.000 đồng."}
    state = rpc.call("signing", "create_draft", token=judge, case_id=fields["case_id"], kind="judgment",
                     fields=fields)
    document_id = state["document_id"]
    for signer in (judge, president):
        state = rpc.call("signing", "sign", token=signer, document_id=document_id,
                         reviewed_sha256=state["current_sha256"])

    def document(status: str) -> dict[str, Any] | None:
        view = rpc.call("casefile", "get_dossier", token=judge, case_id=case)
        return next((d for d in view["documents"] if d["document_id"] == document_id and d.get("status") == status),
                    None)
    eventually(lambda: document("signing"), "the judgment, signed by judge and president, in the dossier")
    extra = {"number": "15/2026/DS-ST", "persons": [{"name": "Lê Hoàng Nam"}]}  # the witness is in no registry

    def prepare() -> dict[str, Any]:
        return rpc.call("casefile", "prepare_publication", token=clerk, case_id=case, document_id=document_id,
                        document=extra)
    assert "publication.not_signed" in refusal(prepare)  # the clerk's countersignature is still required
    assert "publication.unknown_document" in refusal(lambda: rpc.call(
        "casefile", "prepare_publication", token=clerk, case_id=case, document_id="VB-00000000000000000000",
        document=extra))

    state = rpc.call("signing", "sign", token=clerk, document_id=document_id, reviewed_sha256=state["current_sha256"])
    assert state["status"] == "in_effect"
    eventually(lambda: document("in_effect"), "the judgment in effect in the dossier")
    rpc.call("casefile", "record_step", token=judge, case_id=case, step="decide_to_try", on=day(0),
             params={"hearing_on": day(10), "room": "P.1", "clerk_id": "u-pub-clerk"})
    rpc.call("casefile", "record_step", token=judge, case_id=case, step="pronounce_judgment", on=day(10))
    rpc.call("casefile", "record_step", token=judge, case_id=case, step="enter_legal_effect", on=day(60))

    # intake learns the clerk from casefile's ``case_progressed``: until then it does not give the clerk the names
    prepared = eventually(prepare, "the publication prepared")
    [record] = prepared["documents"]
    assert record["status"] == "prepared" and record["number"] == "15/2026/DS-ST" and record["kind"] == "judgment"
    assert record["aliases"] == ["Nguyễn Văn A", "Trần Thị B", "Lê Hoàng N"]
    for secret in PERSONAL:
        assert secret not in record["encoded_text"], secret
    assert "ông Nguyễn Văn A" in record["encoded_text"].replace("Ông", "ông")
    assert "BẢN ÁN SƠ THẨM" in record["encoded_text"] and "Ông A đã nhiều lần đòi" in record["encoded_text"]

    rpc.call("casefile", "review_publication", token=judge, case_id=case, document_id=document_id,
             decision="approve")
    released = rpc.call("casefile", "release_publication", token=judge, case_id=case, document_id=document_id)
    assert released["documents"][0]["status"] == "released"

    code = format_case_id(case)
    portal = system.url("portal-web")
    listing = eventually(lambda: (r := httpx.get(f"{portal}/judgments", params={"case_code": code}, timeout=10))
                         .status_code == 200 and "15/2026/DS-ST" in r.text and r, "the judgment on the portal")
    page = httpx.get(f"{portal}/judgments/{code}/{document_id}", timeout=10)
    assert page.status_code == 200
    for secret in PERSONAL:
        assert secret not in page.text and secret not in listing.text, secret
    for shown in ("Nguyễn Văn A", "Trần Thị B", "Lê Hoàng N", "BẢN ÁN SƠ THẨM", "Nghị quyết 03/2017/NQ-HĐTP",
                  date.fromisoformat(day(60)).strftime("%d/%m/%Y")):
        assert shown in page.text, shown
