"""Publication refusals with the real processes: casefile's and signing's workers, the portal's worker and web.

Intake's and assignment's events are published on RabbitMQ as their relays publish them; the judge, president
and clerk draft and sign over signing's RPC, and the signed versions reach the dossier through signing's relay.
A judgment not yet signed by every required signer, a document the dossier does not hold, and a procedural
decision are refused by name; with intake not running, even a fully signed judgment is not prepared (its parties'
names cannot be read, so they could not be encoded). The whole way to the portal, with intake's real registry,
is ``tests/integration/test_publication_signed_judgment.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ecourt_shared.auth import Role
from ecourt_shared.contracts.envelope import EventEnvelope, EventPayload
from ecourt_shared.contracts.errors import Conflict, NotFound, RequestRejected
from ecourt_shared.contracts.events import PartyRefV1
from ecourt_shared.identifiers import format_case_id
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.scenarios import publish_event

pytestmark = pytest.mark.integration

COURT = "79KV01"


@pytest.fixture(scope="module")
def workers(service_processes, mongo_db):
    return (service_processes("casefile", "ecourt_casefile"), service_processes("signing", "ecourt_signing"))


@pytest.fixture(scope="module")
def portal(service_processes, workers) -> str:
    service_processes("portal", "ecourt_portal")
    return str(service_processes("portal", "ecourt_portal", "web").url)


@pytest.fixture(scope="module")
def rpc(ecourt_env, workers):
    pool = RpcClientPool(ecourt_env.settings.amqp_uri, timeout=30)
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def publish(ecourt_env, workers) -> Callable[[EventPayload], EventEnvelope]:
    return lambda payload: publish_event(ecourt_env.settings.amqp_uri, payload)


def eventually(probe: Callable[[], Any], what: str, workers=None, timeout: float = 40) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = probe()
        if result:
            return result
        time.sleep(0.3)
    logs = "".join(f"\n{w.log_tail(60)}" for w in workers or ())
    raise AssertionError(f"timed out waiting for {what}{logs}")


def people(env) -> dict[str, str]:
    return {"judge": env.token(Role.JUDGE, user_id="u-judge-pub", judge_id="J-0007", court_id=COURT,
                               display_name="Phạm Minh Tuấn"),
            "president": env.token(Role.PRESIDENT, user_id="u-pres-pub", court_id=COURT,
                                   display_name="Đặng Thị Hương"),
            "clerk": env.token(Role.CLERK, user_id="u-clerk-pub", court_id=COURT, display_name="Vũ Ngọc Ánh")}


def dossier(rpc, token: str, case_id: str) -> dict[str, Any] | None:
    try:
        return rpc.call("casefile", "get_dossier", token=token, case_id=case_id)
    except NotFound:
        return None


def a_staffed_case(rpc, publish, events, who, workers, minor: bool = False) -> str:
    payload = events.received([]).model_copy(update={"parties": [
        PartyRefV1(party_id="P-00000000000000A1", role="plaintiff", is_minor=False),
        PartyRefV1(party_id="P-00000000000000B2", role="defendant", is_minor=minor)]})
    publish(payload)
    publish(events.assigned(payload.case_id, judge_id="J-0007", judge_name="Phạm Minh Tuấn"))
    eventually(lambda: (dossier(rpc, who["president"], payload.case_id) or {}).get("judge_id") == "J-0007",
               "the case and its judge in casefile", workers)
    rpc.call("casefile", "record_step", token=who["judge"], case_id=payload.case_id, step="assign_clerk",
             params={"clerk_id": "u-clerk-pub"})
    return payload.case_id


def draft(rpc, token: str, case_id: str, kind: str = "judgment") -> dict[str, Any]:
    from ecourt_signing.domain.templates import sample_fields

    fields = {**sample_fields(kind), "case_id": format_case_id(case_id)}
    return rpc.call("signing", "create_draft", token=token, case_id=fields["case_id"], kind=kind, fields=fields)


def sign(rpc, token: str, state: dict[str, Any]) -> dict[str, Any]:
    return rpc.call("signing", "sign", token=token, document_id=state["document_id"],
                    reviewed_sha256=state["current_sha256"])


def in_dossier(rpc, who, case_id: str, document_id: str, status: str, workers) -> dict[str, Any]:
    def found() -> dict[str, Any] | None:
        docs = [d for d in (dossier(rpc, who["president"], case_id) or {}).get("documents", [])
                if d["document_id"] == document_id and d.get("status") == status]
        return docs[0] if docs else None
    return eventually(found, f"{document_id} {status} in the dossier", workers)


def refusal(call: Callable[[], Any]) -> str:
    with pytest.raises(RequestRejected) as exc:
        call()
    return str(exc.value.args[0])


def test_an_unsigned_draft_an_unknown_id_and_a_procedural_decision_are_refused(
        rpc, publish, events, ecourt_env, workers):
    who = people(ecourt_env)
    case = a_staffed_case(rpc, publish, events, who, workers)

    def prepare(document_id: str) -> Any:
        return rpc.call("casefile", "prepare_publication", token=who["clerk"], case_id=case,
                        document_id=document_id, document={"number": "07/2026/DS-ST"})

    assert "publication.unknown_document" in refusal(lambda: prepare("VB-00000000000000000000"))
    state = sign(rpc, who["president"], sign(rpc, who["judge"], draft(rpc, who["judge"], case)))
    in_dossier(rpc, who, case, state["document_id"], "signing", workers)  # judge and president signed, not the clerk
    unsigned = refusal(lambda: prepare(state["document_id"]))
    assert "publication.not_signed" in unsigned and "ký đủ" in unsigned
    assert "document.not_in_effect" in refusal(lambda: rpc.call(
        "signing", "document_text", token=who["clerk"], document_id=state["document_id"]))

    trial = sign(rpc, who["judge"], draft(rpc, who["judge"], case, "trial_decision"))  # in effect: one signer
    in_dossier(rpc, who, case, trial["document_id"], "in_effect", workers)
    assert "publication.not_publishable_kind" in refusal(lambda: prepare(trial["document_id"]))

    state = sign(rpc, who["clerk"], state)
    in_dossier(rpc, who, case, state["document_id"], "in_effect", workers)
    text = rpc.call("signing", "document_text", token=who["clerk"], document_id=state["document_id"])
    assert text["sha256"] == state["current_sha256"] and "NHẬN ĐỊNH CỦA TÒA ÁN" in text["text"]
    with pytest.raises(Conflict) as no_registry:  # intake is not running: no names, so nothing is encoded
        prepare(state["document_id"])
    assert "party registry" in str(no_registry.value.args[0])
    status = rpc.call("casefile", "publication_status", token=who["judge"], case_id=case)
    assert status["documents"] == []  # nothing half-written


def test_a_case_with_a_minor_stays_off_the_portal(rpc, publish, portal, events, ecourt_env, workers):
    who = people(ecourt_env)
    case = a_staffed_case(rpc, publish, events, who, workers, minor=True)
    call = rpc.call
    call("casefile", "record_step", token=who["judge"], case_id=case, step="decide_to_try", on="2026-02-02",
         params={"hearing_on": "2026-02-20", "room": "P.1", "clerk_id": "u-clerk-pub"})
    call("casefile", "record_step", token=who["judge"], case_id=case, step="pronounce_judgment", on="2026-02-20")
    early = refusal(lambda: call("casefile", "release_publication", token=who["judge"], case_id=case,
                                 document_id="VB-00000000000000000000"))
    assert "publication.blocked.not_in_effect" in early  # before legal effect: refused, naming art. 4(3)
    call("casefile", "record_step", token=who["judge"], case_id=case, step="enter_legal_effect", on="2026-03-23")
    blocked = refusal(lambda: call("casefile", "release_publication", token=who["judge"], case_id=case,
                                   document_id="VB-00000000000000000000"))
    assert "publication.blocked.minor" in blocked and "Điểm d khoản 2 Điều 4" in blocked
    page = httpx.get(f"{portal}/api/v1/judgments", params={"case_code": format_case_id(case)}, timeout=10)
    assert page.status_code == 200 and page.json()["judgments"] == []
