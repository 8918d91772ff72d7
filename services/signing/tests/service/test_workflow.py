"""Drafting, the multi-signer workflow and the seal step on real PostgreSQL (worker_factory, no broker)."""

from __future__ import annotations

import base64
import io
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from nameko.testing.services import worker_factory
from pypdf import PdfReader, PdfWriter
from sqlalchemy import create_engine, func, select

from ecourt_casefile.domain.access import ViewKind, view_kind
from ecourt_shared.auth import Role, load_public_key, verify_token
from ecourt_shared.auth.nameko import Authenticator
from ecourt_shared.contracts.errors import NotFound, RequestRejected
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import parse_case_id
from ecourt_shared.storage import ObjectStore
from ecourt_shared.testing.documents import blank_pdf
from ecourt_shared.testing.environment import TestEnvironment as EcourtEnv
from ecourt_signing.adapters.dev_ca import DevCertificateAuthority
from ecourt_signing.adapters.orm import document_versions, metadata, outbox
from ecourt_signing.domain.credentials import SignerIdentity
from ecourt_signing.domain.templates import sample_fields
from ecourt_signing.service import SigningService

pytestmark = pytest.mark.service


@pytest.fixture(scope="module")
def uows(ecourt_env: EcourtEnv, migrated: Callable[[str], None]) -> Iterator[UnitOfWorkFactory]:
    migrated("ecourt_signing")
    engine = create_engine(ecourt_env.settings.database_url("signing"))
    yield UnitOfWorkFactory(engine, metadata)
    engine.dispose()


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DevCertificateAuthority:
    store = DevCertificateAuthority(tmp_path_factory.mktemp("wf-keys"))
    store.prepare()
    return store


class CasefileStandIn:
    """``casefile.case_standing`` as casefile answers it, for a worker without a broker: casefile's own rule
    (``view_kind``) behind the real token check, over this module's one case (judge J-1, clerk u-clerk)."""

    def __init__(self, key: Any) -> None:
        self.key = key

    def case_standing(self, token: str, case_id: str) -> dict[str, Any]:
        principal = verify_token(token, self.key)
        canonical = parse_case_id(case_id).canonical
        if canonical != parse_case_id(sample_fields("summons")["case_id"]).canonical or principal.court_id != "79KV01":
            raise NotFound({"message_vi": "Không tìm thấy vụ án.", "message_en": "no such case"})
        return {"involved": view_kind(principal, "J-1", (), "u-clerk") is ViewKind.FULL, "case_id": canonical,
                "court_id": "79KV01"}


def make_service(ecourt_env: EcourtEnv, keys: DevCertificateAuthority, uows: UnitOfWorkFactory) -> Any:
    key = load_public_key(ecourt_env.settings.key_file("public"))
    return worker_factory(SigningService, keys=keys, db=uows, store=ObjectStore.from_settings(ecourt_env.settings),
                          auth=Authenticator(lambda token: verify_token(token, key)), casefile=CasefileStandIn(key))


@pytest.fixture
def service(ecourt_env: EcourtEnv, keys: DevCertificateAuthority, uows: UnitOfWorkFactory) -> Any:
    return make_service(ecourt_env, keys, uows)


def people(env: EcourtEnv) -> dict[str, str]:
    return {"judge": env.token(Role.JUDGE, user_id="u-judge", judge_id="J-1", display_name="Phạm Minh Tuấn"),
            "president": env.token(Role.PRESIDENT, user_id="u-pres", display_name="Đặng Thị Hương"),
            "clerk": env.token(Role.CLERK, user_id="u-clerk", display_name="Vũ Ngọc Ánh")}


def draft(service: Any, token: str, kind: str = "judgment") -> dict[str, Any]:
    fields = sample_fields(kind)
    return service.create_draft(token, fields["case_id"], kind, fields)


def sign(service: Any, token: str, state: dict[str, Any]) -> dict[str, Any]:
    return service.sign(token, state["document_id"], state["current_sha256"])


def codes(exc: pytest.ExceptionInfo[RequestRejected]) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in exc.value.errors]


def count_versions(uows: UnitOfWorkFactory, document_id: str) -> int:
    with uows() as uow:
        return int(uow.execute(select(func.count()).select_from(document_versions)
                               .where(document_versions.c.document_id == document_id)).scalar_one())


def test_a_draft_renders_vietnamese_text_that_extracts_back_intact(service: Any, ecourt_env: EcourtEnv) -> None:
    who = people(ecourt_env)
    state = draft(service, who["judge"], "summons")
    pdf = base64.b64decode(service.get_document(who["clerk"], state["document_id"])["pdf_base64"])
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    for expected in ("GIẤY TRIỆU TẬP", "Lê Thị Hồng Nhung", "Tòa án nhân dân Khu vực 1 - Thành phố Hồ Chí Minh",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "người làm chứng"):
        assert unicodedata.normalize("NFC", expected) in unicodedata.normalize("NFC", text)
    fonts = {str(f) for page in PdfReader(io.BytesIO(pdf)).pages for f in page["/Resources"]["/Font"].values()}
    assert fonts  # the font is embedded (a subset with ToUnicode), not left to the reader's machine


def test_drafts_keep_every_version_and_refuse_stale_edits(service: Any, ecourt_env: EcourtEnv,
                                                          uows: UnitOfWorkFactory) -> None:
    who = people(ecourt_env)
    state = draft(service, who["judge"], "suspension_decision")
    fields = {**sample_fields("suspension_decision"), "suspension_ground": "đương sự là cá nhân đã chết"}
    second = service.update_draft(who["judge"], state["document_id"], fields, 1)
    assert second["current_version"] == 2 and second["current_sha256"] != state["current_sha256"]
    with pytest.raises(RequestRejected) as stale:
        service.update_draft(who["judge"], state["document_id"], fields, 1)
    assert codes(stale) == [("base_version", "draft.stale")]
    with pytest.raises(RequestRejected) as missing:
        service.create_draft(who["judge"], fields["case_id"], "summons", {"case_id": fields["case_id"]})
    assert ("fields.summoned_person", "field.required") in codes(missing)
    assert count_versions(uows, state["document_id"]) == 2


def test_judge_then_president_then_clerk_and_only_then_in_effect_and_queued_for_the_seal(
        service: Any, ecourt_env: EcourtEnv, uows: UnitOfWorkFactory) -> None:
    who = people(ecourt_env)
    state = draft(service, who["judge"])
    assert [s["role"] for s in state["workflow"]] == ["judge", "president", "clerk"]

    with pytest.raises(RequestRejected) as early:  # the president may not sign before the judge
        sign(service, who["president"], state)
    assert codes(early) == [("document_id", "workflow.out_of_order")]
    assert count_versions(uows, state["document_id"]) == 1  # nothing half-signed was stored

    state = sign(service, who["judge"], state)
    assert state["status"] == "signing" and state["next_role"] == "president"
    with pytest.raises(RequestRejected) as clerk_early:
        sign(service, who["clerk"], state)
    assert codes(clerk_early) == [("document_id", "workflow.out_of_order")]
    state = sign(service, who["president"], state)
    assert state["status"] == "signing"
    assert service.seal_queue(who["clerk"]) == [] or state["document_id"] not in [
        d["document_id"] for d in service.seal_queue(who["clerk"])]
    state = sign(service, who["clerk"], state)
    assert state["status"] == "in_effect" and state["next_role"] is None

    signed = base64.b64decode(service.get_document(who["clerk"], state["document_id"])["pdf_base64"])
    verdict = service.verify_document(who["clerk"], base64.b64encode(signed).decode())
    assert verdict["ok"], verdict["reasons"]
    assert [s["signer_name"] for s in verdict["signatures"]] == ["Phạm Minh Tuấn", "Đặng Thị Hương", "Vũ Ngọc Ánh"]
    assert verdict["document"]["document_id"] == state["document_id"]
    assert verdict["document"]["case_id"] == "79KV01-2026-000001-43" and verdict["document"]["latest_version"]

    with uows() as uow:
        events = [r.envelope for r in uow.execute(select(outbox).where(outbox.c.event_type == "document_signed"))
                  if r.envelope["payload"]["document_id"] == state["document_id"]]
    assert [e["payload"]["step"] for e in events] == [1, 2, 3]
    assert [e["payload"]["in_effect"] for e in events] == [False, False, True]

    queued = [d["document_id"] for d in service.seal_queue(who["clerk"])]
    assert state["document_id"] in queued
    sealed = service.record_seal(who["clerk"], state["document_id"], base64.b64encode(blank_pdf()).decode())
    assert sealed["status"] == "sealed"
    assert state["document_id"] not in [d["document_id"] for d in service.seal_queue(who["clerk"])]
    with uows() as uow:
        assert uow.execute(select(func.count()).select_from(outbox)
                           .where(outbox.c.event_type == "document_sealed")).scalar_one() == 1


def test_the_first_signature_certifies_and_locks_the_content(service: Any, ecourt_env: EcourtEnv) -> None:
    who = people(ecourt_env)
    state = sign(service, who["judge"], draft(service, who["judge"], "trial_decision"))
    signed = base64.b64decode(service.get_document(who["clerk"], state["document_id"])["pdf_base64"])
    assert "/DocMDP" in PdfReader(io.BytesIO(signed)).trailer["/Root"]["/Perms"]
    writer = PdfWriter(io.BytesIO(signed), incremental=True)  # a crafted incremental update: a new page
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    verdict = service.verify_public(base64.b64encode(out.getvalue()).decode())
    assert verdict["intact"] and not verdict["ok"]
    assert "document.modified_after_signing" in verdict["reason_codes"]
    assert verdict["document"]["document_id"] == state["document_id"]  # still identified by its signed revision


def test_signing_a_document_changed_since_review_is_refused(service: Any, ecourt_env: EcourtEnv,
                                                            uows: UnitOfWorkFactory) -> None:
    who = people(ecourt_env)
    reviewed = draft(service, who["judge"], "summons")
    fields = {**sample_fields("summons"), "appear_at": "14 giờ 00 ngày 16/12/2026"}
    service.update_draft(who["clerk"], reviewed["document_id"], fields, 1)
    with pytest.raises(RequestRejected) as refused:
        sign(service, who["judge"], reviewed)
    assert codes(refused) == [("reviewed_sha256", "document.changed_since_review")]
    assert count_versions(uows, reviewed["document_id"]) == 2  # the two drafts, no signed version


def test_a_signer_without_a_certificate_or_with_an_expired_one_is_refused(
        ecourt_env: EcourtEnv, uows: UnitOfWorkFactory, tmp_path: Path) -> None:
    store = DevCertificateAuthority(tmp_path, issue_on_demand=False)
    store.prepare()
    service = make_service(ecourt_env, store, uows)
    judge = ecourt_env.token(Role.JUDGE, user_id="u-new-judge", judge_id="J-1", display_name="Hồ Văn Mới")
    state = draft(service, judge, "summons")
    with pytest.raises(RequestRejected) as none:
        sign(service, judge, state)
    assert codes(none) == [("signer", "signer.no_certificate")]

    past = DevCertificateAuthority(tmp_path, now=lambda: datetime.now(UTC) - timedelta(days=800),
                                   issue_on_demand=False)
    past.enroll(SignerIdentity(user_id="u-new-judge", court_id="79KV01", display_name="Hồ Văn Mới"))
    with pytest.raises(RequestRejected) as expired:
        sign(service, judge, state)
    assert codes(expired) == [("signer", "signer.certificate_expired")]
    assert count_versions(uows, state["document_id"]) == 1


def test_another_courts_document_is_not_found(service: Any, ecourt_env: EcourtEnv) -> None:
    state = draft(service, people(ecourt_env)["judge"], "summons")
    with pytest.raises(NotFound):
        service.get_document(ecourt_env.token(Role.JUDGE, court_id="01KV02"), state["document_id"])


def test_a_batch_signs_each_document_and_reports_each_refusal(service: Any, ecourt_env: EcourtEnv) -> None:
    who = people(ecourt_env)
    states = [draft(service, who["judge"], "summons") for _ in range(5)]
    items = [{"document_id": s["document_id"], "reviewed_sha256": s["current_sha256"]} for s in states]
    items[2]["reviewed_sha256"] = "0" * 64
    result = service.sign_batch(who["judge"], items)
    assert (result["signed"], result["refused"]) == (4, 1)
    assert result["results"][2]["errors"][0]["code"] == "document.changed_since_review"
