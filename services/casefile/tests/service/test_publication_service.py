"""Publishing judgments through casefile's RPC handlers, on real PostgreSQL, MongoDB wire server and S3 endpoint.

A civil case is walked to legal effect with ``record_step``; its judgment reaches the dossier as signing's
``document_signed`` events deliver it (the signed PDF in the court's bucket), and is flagged, encoded, reviewed
and released with the people the resolution and the court's practice name; every refusal names its rule.
Signing and intake do not run in this tier: ``SigningStandIn`` answers ``document_text`` and ``IntakeStandIn``
answers ``dossier_parties`` with the call shapes of the real services (the integration tests use the real ones).
"""

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from nameko.testing.services import worker_factory

from ecourt_casefile.adapters.dossiers import DossierStore
from ecourt_casefile.adapters.orm import metadata
from ecourt_casefile.service import CasefileService
from ecourt_casefile.service_layer import watching
from ecourt_shared.auth import Role, load_public_key, verify_token
from ecourt_shared.auth.nameko import Authenticator
from ecourt_shared.contracts.errors import Conflict, NotFound, PermissionDenied, RequestRejected
from ecourt_shared.contracts.events import PartyRefV1
from ecourt_shared.contracts.signing import DocumentSignedV1
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import format_case_id
from ecourt_shared.storage import ObjectStore
from ecourt_shared.testing.documents import blank_pdf

pytestmark = pytest.mark.service

COURT = "79KV01"
REGISTRY = {"P-00000000000000A1": "Nguyễn Văn An", "P-00000000000000B2": "Trần Thị Bình"}
TEXT = ("Nguyên đơn: ông Nguyễn Văn An, CCCD số 079080001234, địa chỉ: số 12 đường Lê Lợi, phường Bến Thành, "
        "Thành phố Hồ Chí Minh.\nBị đơn: bà Trần Thị Bình, điện thoại 0912345678, địa chỉ: thôn Đông, xã Tân Hòa, "
        "tỉnh Bình Dương.\nNgười làm chứng: anh Lê Hoàng Nam.\nQUYẾT ĐỊNH: Buộc bà Bình trả cho ông An "
        "100.000.000 đồng.")
DOCUMENT = {"number": "01/2026/DS-ST", "title": "Bản án về tranh chấp hợp đồng vay tài sản",
            "persons": [{"name": "Lê Hoàng Nam"}]}
DOC_ID = "VB-0000000000000000000A"


class Reply:
    def __init__(self, answer: Any) -> None:
        self.answer = answer

    def result(self) -> Any:
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer


class Method:
    def __init__(self, answer: Any) -> None:
        self.answer = answer

    def call_async(self, **kwargs: Any) -> Reply:
        return Reply(self.answer(**kwargs))


class SigningStandIn:
    """``signing.document_text`` for the documents this module signed: the text of the signed version."""

    def __init__(self) -> None:
        self.texts: dict[str, dict[str, Any]] = {}
        self.down = False
        self.document_text = Method(self._text)

    def _text(self, token: str, document_id: str) -> Any:
        if self.down:
            return ConnectionError("signing is down")
        return self.texts[document_id]


class IntakeStandIn:
    """``intake.dossier_parties``: names of the registry above; ``hidden`` ids are left out, as intake does."""

    def __init__(self) -> None:
        self.hidden: set[str] = set()
        self.dossier_parties = Method(self._parties)

    def _parties(self, token: str, party_ids: list[str], reveal: bool, case_id: str, reason: str | None) -> Any:
        assert not reveal  # publication needs names, never the unmasked identifiers
        return [{"party_id": p, "kind": "person", "full_name": REGISTRY[p], "cccd": "0790******34", "masked": True}
                for p in party_ids if p in REGISTRY and p not in self.hidden]


@pytest.fixture(scope="module")
def signing() -> SigningStandIn:
    return SigningStandIn()


@pytest.fixture(scope="module")
def intake() -> IntakeStandIn:
    return IntakeStandIn()


@pytest.fixture(scope="module")
def store(ecourt_env) -> ObjectStore:
    return ObjectStore.from_settings(ecourt_env.settings)


@pytest.fixture(scope="module")
def service(casefile_engine, mongo_db, ecourt_env, store, signing, intake):
    key = load_public_key(ecourt_env.settings.key_file("public"))
    return worker_factory(CasefileService, db=UnitOfWorkFactory(casefile_engine, metadata),
                          dossiers=DossierStore(mongo_db), store=store,
                          auth=Authenticator(lambda token: verify_token(token, key)), signing_rpc=signing,
                          intake_rpc=intake)


def judge(env):
    return env.token(Role.JUDGE, user_id="u-J-0007", court_id=COURT, judge_id="J-0007")


def clerk(env):
    return env.token(Role.CLERK, user_id="u-clerk", court_id=COURT)


def codes(exc_info) -> str:
    return " ".join(f"{e['field']} {e['code']} {e['message_vi']} {e['message_en']}"
                    for e in exc_info.value.args[0]["errors"])


def open_case(service, events, env, minor: bool, closed: bool = False) -> str:
    payload = events.received([])
    if not minor:
        payload = payload.model_copy(update={"parties": [
            PartyRefV1(party_id="P-00000000000000A1", role="plaintiff", is_minor=False),
            PartyRefV1(party_id="P-00000000000000B2", role="defendant", is_minor=False)]})
    service.on_case_received(payload, events.envelope(payload))
    assigned = events.assigned(payload.case_id)
    service.on_case_assigned(assigned, events.envelope(assigned))
    params = {"hearing_on": "2026-02-20", "room": "P.1", "clerk_id": "u-clerk", "closed_hearing": closed}
    service.record_step(judge(env), payload.case_id, "decide_to_try", "2026-02-02", params)
    service.record_step(judge(env), payload.case_id, "pronounce_judgment", "2026-02-20", {})
    return payload.case_id


def in_effect(service, env, case_id):
    service.record_step(judge(env), case_id, "enter_legal_effect", "2026-03-23", {})


def signed(service, events, store, signing, case_id: str, document_id: str = DOC_ID, kind: str = "judgment",
           signers: tuple[str, ...] = ("judge", "president", "clerk"), required: int = 3, text: str = TEXT) -> str:
    """The document's signatures as signing's events deliver them; its text as signing would give it."""
    sha = ""
    for step, role in enumerate(signers, start=1):
        pdf = blank_pdf(pages=1, padding_bytes=step + len(document_id) * 10 + len(case_id))  # one PDF per version
        stored = store.put_document(COURT, pdf, "application/pdf")
        event = DocumentSignedV1(
            court_id=COURT, case_id=case_id, document_id=document_id, kind=kind, title="BẢN ÁN SƠ THẨM",
            version_no=step + 1, sha256=stored.sha256, size_bytes=stored.size, step=step,
            signer_user_id=f"u-{role}", signer_role=role, signer_name=f"Người ký {role}",
            certificate_serial="01", signed_at=datetime(2026, 2, 20, 3, step, tzinfo=UTC),
            in_effect=step == required, needs_seal=True, bucket=stored.bucket, object_key=stored.key)
        service.on_document_signed(event, events.envelope(event))
        sha = stored.sha256
    signing.texts[document_id] = {"document_id": document_id, "case_id": format_case_id(case_id), "kind": kind,
                                  "title": "BẢN ÁN SƠ THẨM", "status": "in_effect", "version_no": len(signers) + 1,
                                  "sha256": sha, "number": "12/2026/TLST-DS", "issued_on": "2026-02-20",
                                  "text": text}
    return document_id


def prepare(service, env, case_id, document=None):
    return service.prepare_publication(clerk(env), case_id, DOC_ID, DOCUMENT if document is None else document)


def test_a_signed_judgment_is_encoded_reviewed_and_released_only_once_in_legal_effect(
        service, events, ecourt_env, pg, store, signing):
    case = open_case(service, events, ecourt_env, minor=False)
    signed(service, events, store, signing, case)
    status = prepare(service, ecourt_env, case)
    [record] = status["documents"]
    assert record["status"] == "prepared" and not record["publishable"]
    assert (record["kind"], record["number"], record["title"]) == (
        "judgment", "01/2026/DS-ST", "Bản án về tranh chấp hợp đồng vay tài sản")
    for leaked in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Nam", "079080001234", "0912345678", "Lê Lợi",
                   "Tân Hòa", "ông An"):
        assert leaked not in record["encoded_text"], leaked
    assert "ông Nguyễn Văn A," in record["encoded_text"] and "tỉnh Bình Dương" in record["encoded_text"]
    assert record["aliases"] == ["Nguyễn Văn A", "Trần Thị B", "Lê Hoàng N"]  # registry's parties, then the caller's
    assert status["deadline"] is None and [b["code"] for b in status["case_blocks"]] == ["not_in_effect"]

    with pytest.raises(RequestRejected) as same_person:  # the clerk who prepared it cannot approve it
        service.review_publication(clerk(ecourt_env), case, DOC_ID, "approve")
    assert "publication.same_reviewer" in codes(same_person)
    returned = service.review_publication(judge(ecourt_env), case, DOC_ID, "return", "Còn tên người làm chứng")
    assert returned["documents"][0]["status"] == "returned"
    assert returned["documents"][0]["review_reason"] == "Còn tên người làm chứng"
    prepare(service, ecourt_env, case)
    approved = service.review_publication(judge(ecourt_env), case, DOC_ID, "approve")
    assert approved["documents"][0]["status"] == "approved"

    with pytest.raises(RequestRejected) as early:  # approved, but the judgment is not in legal effect yet
        service.release_publication(judge(ecourt_env), case, DOC_ID)
    assert "publication.blocked.not_in_effect" in codes(early) and "Khoản 3 Điều 4" in codes(early)
    assert not pg("SELECT 1 FROM outbox WHERE event_type = 'document_published' "
                  "AND envelope->'payload'->>'case_id' = :c", c=case)

    in_effect(service, ecourt_env, case)
    status = service.publication_status(judge(ecourt_env), case)
    deadline = status["deadline"]
    assert (deadline["rule_id"], deadline["legal_effect_on"], deadline["due_on"], deadline["status"]) == (
        "publication.judgment", "2026-03-23", "2026-04-22", "open")
    assert "Nghị quyết 03/2017/NQ-HĐTP" in deadline["legal_basis_vi"]
    assert status["documents"][0]["publishable"]

    released = service.release_publication(judge(ecourt_env), case, DOC_ID)
    assert released["documents"][0]["status"] == "released"
    assert released["deadline"]["status"] == "met"  # publishing meets the 30-day deadline; the watch stops
    [event] = pg("SELECT envelope FROM outbox WHERE event_type = 'document_published' "
                 "AND envelope->'payload'->>'case_id' = :c", c=case)
    payload = event.envelope["payload"]
    assert payload["text"] == record["encoded_text"] and payload["number"] == "01/2026/DS-ST"
    assert payload["legal_effect_on"] == "2026-03-23" and payload["stage"] == "ST"
    assert payload["issued_on"] == "2026-02-20"  # from the signed document
    assert "Nguyễn Văn An" not in str(event.envelope)
    entries = [r for r in pg("SELECT kind, payload FROM ledger_entries WHERE case_id = :c ORDER BY case_seq", c=case)
               if r.kind.startswith("publication.")]
    assert [r.kind for r in entries] == ["publication.prepare", "publication.return", "publication.prepare",
                                         "publication.approve", "publication.release"]
    prepared = json.loads(entries[0].payload)
    assert (prepared["origin"], prepared["document_sha256"]) == ("signed", signing.texts[DOC_ID]["sha256"])
    assert not any("Nguyễn Văn An" in r.payload for r in pg("SELECT payload FROM ledger_entries "
                                                             "WHERE case_id = :c", c=case))
    with pytest.raises(RequestRejected):  # released is final
        prepare(service, ecourt_env, case)


def test_only_a_signed_judgment_of_the_dossier_is_prepared(service, events, ecourt_env, store, signing, intake):
    case = open_case(service, events, ecourt_env, minor=False)
    with pytest.raises(RequestRejected) as unknown:
        prepare(service, ecourt_env, case)
    assert "document_id publication.unknown_document" in codes(unknown)
    signed(service, events, store, signing, case, signers=("judge", "president"))  # the clerk has not signed yet
    with pytest.raises(RequestRejected) as unsigned:
        prepare(service, ecourt_env, case)
    assert "document_id publication.not_signed" in codes(unsigned) and "ký đủ" in codes(unsigned)
    signed(service, events, store, signing, case, "VB-00000000000000000TD", kind="trial_decision",
           signers=("judge",), required=1)
    with pytest.raises(RequestRejected) as procedural:
        service.prepare_publication(clerk(ecourt_env), case, "VB-00000000000000000TD", DOCUMENT)
    assert "document_id publication.not_publishable_kind" in codes(procedural)

    signed(service, events, store, signing, case)  # the clerk's signature arrives: in effect
    with pytest.raises(RequestRejected) as typed:  # a signed document's text is the signed text, never typed
        prepare(service, ecourt_env, case, {**DOCUMENT, "text": "Bản án khác", "kind": "decision"})
    assert {e["field"] for e in typed.value.args[0]["errors"]} == {"text", "kind"}
    signing.texts[DOC_ID] = {**signing.texts[DOC_ID], "sha256": "0" * 64}
    with pytest.raises(RequestRejected) as other_version:
        prepare(service, ecourt_env, case)
    assert "publication.signed_version_mismatch" in codes(other_version)
    signed(service, events, store, signing, case)
    intake.hidden = {"P-00000000000000B2"}
    try:
        with pytest.raises(Conflict) as unseen:  # a name the registry does not give cannot be encoded
            prepare(service, ecourt_env, case)
        assert "P-00000000000000B2" in unseen.value.args[0]["message_en"]
    finally:
        intake.hidden = set()
    signing.down = True
    try:
        with pytest.raises(Conflict):
            prepare(service, ecourt_env, case)
    finally:
        signing.down = False
    assert prepare(service, ecourt_env, case)["documents"][0]["status"] == "prepared"


def test_an_uploaded_scan_is_prepared_from_the_text_the_clerk_types(service, events, ecourt_env):
    import base64

    case = open_case(service, events, ecourt_env, minor=False)
    added = service.add_document(clerk(ecourt_env), case, "Bản án (bản giấy đã ký)", "ban-an.pdf",
                                 base64.b64encode(blank_pdf(pages=2, padding_bytes=77)).decode())
    doc = added["document_id"]
    with pytest.raises(RequestRejected) as bad:
        service.prepare_publication(clerk(ecourt_env), case, doc, {"kind": "verdict", "persons": [{"name": ""}],
                                                                   "issued_on": "20/02/2026"})
    assert {e["field"] for e in bad.value.args[0]["errors"]} == {
        "kind", "number", "title", "text", "issued_on", "persons[0].name"}
    with pytest.raises(RequestRejected) as left:  # "Nguyen Van An" could be either: sent back, not guessed
        service.prepare_publication(clerk(ecourt_env), case, doc, {
            "kind": "judgment", "number": "02/2026/DS-ST", "title": "Bản án", "text": "Nguyen Van An khai.",
            "persons": [{"name": "Nguyễn Văn Ân"}]})
    assert "publication.name_left" in codes(left) and "parties[P-00000000000000A1]" in codes(left)
    status = service.prepare_publication(clerk(ecourt_env), case, doc, {
        "kind": "judgment", "number": "02/2026/DS-ST", "title": "Bản án", "issued_on": "2026-02-20", "text": TEXT})
    [record] = status["documents"]
    assert record["status"] == "prepared" and "Trần Thị Bình" not in record["encoded_text"]
    assert "bà Trần Thị B," in record["encoded_text"]


def test_a_case_with_a_minor_is_never_released_and_the_rule_is_named(service, events, ecourt_env, store, signing):
    case = open_case(service, events, ecourt_env, minor=True)
    in_effect(service, ecourt_env, case)
    signed(service, events, store, signing, case)
    service.prepare_publication(clerk(ecourt_env), case, DOC_ID, DOCUMENT)
    service.review_publication(judge(ecourt_env), case, DOC_ID, "approve")
    with pytest.raises(RequestRejected) as blocked:
        service.release_publication(judge(ecourt_env), case, DOC_ID)
    assert "publication.blocked.minor" in codes(blocked)
    assert "Điểm d khoản 2 Điều 4 Nghị quyết 03/2017/NQ-HĐTP" in codes(blocked)
    status = service.publication_status(judge(ecourt_env), case)
    assert [b["code"] for b in status["case_blocks"]] == ["minor"]
    assert status["documents"][0]["status"] == "approved" and not status["documents"][0]["publishable"]


def test_closed_hearing_and_a_judges_flag_block_until_lifted(service, events, ecourt_env, store, signing):
    closed = open_case(service, events, ecourt_env, minor=False, closed=True)
    in_effect(service, ecourt_env, closed)
    assert [b["code"] for b in service.publication_status(judge(ecourt_env), closed)["case_blocks"]] == [
        "closed_hearing"]

    case = open_case(service, events, ecourt_env, minor=False)
    in_effect(service, ecourt_env, case)
    with pytest.raises(PermissionDenied):  # the judge assesses secrets, not the clerk
        service.flag_publication(clerk(ecourt_env), case, DOC_ID, "personal_family_secret", "Bệnh án")
    flagged = service.flag_publication(judge(ecourt_env), case, DOC_ID, "personal_family_secret",
                                       "Bản án nêu bệnh án của bị đơn")
    [block] = flagged["documents"][0]["blocks"]
    assert (block["code"], block["reason"], block["flagged_by"]) == (
        "personal_family_secret", "Bản án nêu bệnh án của bị đơn", "u-J-0007")
    signed(service, events, store, signing, case)
    service.prepare_publication(clerk(ecourt_env), case, DOC_ID, DOCUMENT)
    service.review_publication(judge(ecourt_env), case, DOC_ID, "approve")
    with pytest.raises(RequestRejected) as blocked:
        service.release_publication(judge(ecourt_env), case, DOC_ID)
    assert "publication.blocked.personal_family_secret" in codes(blocked) and "điểm đ" in codes(blocked).lower()
    service.flag_publication(judge(ecourt_env), case, DOC_ID, "personal_family_secret",
                             "Đoạn bệnh án đã được lược bỏ", lift=True)
    assert service.release_publication(judge(ecourt_env), case, DOC_ID)["documents"][0]["status"] == "released"


def test_the_deadline_watch_announces_the_publication_deadline(service, events, ecourt_env, casefile_engine, pg):
    case = open_case(service, events, ecourt_env, minor=False)
    in_effect(service, ecourt_env, case)
    uows = UnitOfWorkFactory(casefile_engine, metadata)
    watching.scan_deadlines(uows, lambda: datetime(2026, 4, 17, 3, 0, tzinfo=UTC))
    rows = pg("SELECT envelope FROM outbox WHERE event_type = 'deadline_approaching' "
              "AND envelope->'payload'->>'case_id' = :c", c=case)
    assert [r.envelope["payload"]["deadline"]["rule_id"] for r in rows] == ["publication.judgment"]
    assert rows[0].envelope["payload"]["days_left"] == (date(2026, 4, 22) - date(2026, 4, 17)).days
    watching.scan_deadlines(uows, lambda: datetime(2026, 4, 24, 3, 0, tzinfo=UTC))
    [missed] = pg("SELECT envelope FROM outbox WHERE event_type = 'deadline_missed' "
                  "AND envelope->'payload'->>'case_id' = :c", c=case)
    assert missed.envelope["payload"]["deadline"]["rule_id"] == "publication.judgment"


def test_bad_input_wrong_people_and_other_courts_are_refused(service, events, ecourt_env, store, signing):
    case = open_case(service, events, ecourt_env, minor=False)
    signed(service, events, store, signing, case)
    with pytest.raises(RequestRejected) as bad:
        prepare(service, ecourt_env, case, {"persons": [{"name": ""}, {"name": "Lê Văn C", "address": 7}],
                                            "number": ""})
    assert {e["field"] for e in bad.value.args[0]["errors"]} == {"number", "persons[0].name", "persons[1].address"}
    with pytest.raises(RequestRejected) as bad_id:
        service.prepare_publication(clerk(ecourt_env), case, "../x", DOCUMENT)
    assert "document_id" in codes(bad_id)
    with pytest.raises(RequestRejected):
        service.review_publication(judge(ecourt_env), case, DOC_ID, "maybe")
    with pytest.raises(RequestRejected):  # returning needs a reason
        service.review_publication(judge(ecourt_env), case, DOC_ID, "return")
    with pytest.raises(PermissionDenied):
        service.prepare_publication(ecourt_env.token(Role.RECEPTION, user_id="u-reception", court_id=COURT),
                                    case, DOC_ID, DOCUMENT)
    with pytest.raises(PermissionDenied):  # a judge of the court who does not sit on the case
        service.publication_status(ecourt_env.token(Role.JUDGE, user_id="u-J-9", court_id=COURT, judge_id="J-9"),
                                   case)
    with pytest.raises(NotFound):
        service.publication_status(ecourt_env.token(Role.PRESIDENT, user_id="u-p", court_id="01TC00"), case)
    with pytest.raises(RequestRejected):
        service.flag_publication(judge(ecourt_env), case, DOC_ID, "gossip", "x")
