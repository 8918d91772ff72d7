"""The text of a signed document, for publication: only once every required signer signed, only for its case's
people, read in the order the PDF shows it (real PostgreSQL and S3 endpoint, worker_factory, no broker)."""

from __future__ import annotations

import base64
import io
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from nameko.testing.services import worker_factory
from pypdf import PdfReader
from sqlalchemy import create_engine

from ecourt_casefile.domain.access import ViewKind, view_kind
from ecourt_shared.auth import Role, load_public_key, verify_token
from ecourt_shared.auth.nameko import Authenticator
from ecourt_shared.contracts.errors import NotFound, PermissionDenied, RequestRejected
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import parse_case_id
from ecourt_shared.storage import ObjectStore
from ecourt_shared.testing.environment import TestEnvironment as EcourtEnv
from ecourt_signing.adapters.dev_ca import DevCertificateAuthority
from ecourt_signing.adapters.orm import metadata
from ecourt_signing.domain.templates import sample_fields
from ecourt_signing.service import SigningService

pytestmark = pytest.mark.service


@pytest.fixture(scope="module")
def uows(ecourt_env: EcourtEnv, migrated: Callable[[str], None]) -> Iterator[UnitOfWorkFactory]:
    migrated("ecourt_signing")
    engine = create_engine(ecourt_env.settings.database_url("signing"))
    yield UnitOfWorkFactory(engine, metadata)
    engine.dispose()


class CasefileStandIn:
    """``casefile.case_standing`` by casefile's own rule (``view_kind``) for the one case of this module (judge
    J-1, clerk u-clerk): casefile does not run in this tier."""

    def __init__(self, key: Any) -> None:
        self.key = key

    def case_standing(self, token: str, case_id: str) -> dict[str, Any]:
        principal = verify_token(token, self.key)
        canonical = parse_case_id(case_id).canonical
        if canonical != parse_case_id(sample_fields("judgment")["case_id"]).canonical or principal.court_id != "79KV01":
            raise NotFound({"message_vi": "Không tìm thấy vụ án.", "message_en": "no such case"})
        return {"involved": view_kind(principal, "J-1", (), "u-clerk") is ViewKind.FULL, "case_id": canonical,
                "court_id": "79KV01"}


@pytest.fixture(scope="module")
def service(ecourt_env: EcourtEnv, uows: UnitOfWorkFactory, tmp_path_factory: pytest.TempPathFactory) -> Any:
    keys = DevCertificateAuthority(tmp_path_factory.mktemp("text-keys"))
    keys.prepare()
    key = load_public_key(ecourt_env.settings.key_file("public"))
    return worker_factory(SigningService, keys=keys, db=uows, store=ObjectStore.from_settings(ecourt_env.settings),
                          auth=Authenticator(lambda token: verify_token(token, key)), casefile=CasefileStandIn(key))


def people(env: EcourtEnv) -> dict[str, str]:
    return {"judge": env.token(Role.JUDGE, user_id="u-judge", judge_id="J-1", display_name="Phạm Minh Tuấn"),
            "president": env.token(Role.PRESIDENT, user_id="u-pres", display_name="Đặng Thị Hương"),
            "clerk": env.token(Role.CLERK, user_id="u-clerk", display_name="Vũ Ngọc Ánh")}


def refused(call: Callable[[], Any]) -> list[tuple[str, str]]:
    with pytest.raises(RequestRejected) as exc:
        call()
    return [(e.field, e.code) for e in exc.value.errors]


def pdf_words(service: Any, token: str, document_id: str) -> str:
    pdf = base64.b64decode(service.get_document(token, document_id)["pdf_base64"])
    return unicodedata.normalize("NFC", " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf))
                                                         .pages).split()))


def test_the_text_is_given_only_once_every_required_signer_signed(service: Any, ecourt_env: EcourtEnv) -> None:
    who = people(ecourt_env)
    fields = {**sample_fields("judgment"), "reasoning": "Ông Nguyễn Văn An cho bà Trần Thị Bình vay tiền."}
    state = service.create_draft(who["judge"], fields["case_id"], "judgment", fields)
    doc = state["document_id"]
    assert refused(lambda: service.document_text(who["clerk"], doc)) == [("document_id", "document.not_in_effect")]
    for role in ("judge", "president"):
        state = service.sign(who[role], doc, state["current_sha256"])
    assert state["status"] == "signing"  # the clerk's countersignature is still required
    assert refused(lambda: service.document_text(who["judge"], doc)) == [("document_id", "document.not_in_effect")]
    state = service.sign(who["clerk"], doc, state["current_sha256"])
    assert state["status"] == "in_effect"

    answer = service.document_text(who["clerk"], doc)
    assert (answer["case_id"], answer["kind"], answer["status"], answer["version_no"], answer["sha256"]) == (
        fields["case_id"], "judgment", "in_effect", state["current_version"], state["current_sha256"])
    assert (answer["number"], answer["issued_on"]) == (fields["acceptance_number"], fields["issued_on"])
    lines = answer["text"].split("\n")
    assert lines[0] == fields["court_name"].upper() and lines[5] == "BẢN ÁN SƠ THẨM"
    assert lines[-1] == fields["judge_name"]
    # The same words, in the same order, as the signed PDF shows them.
    shown = pdf_words(service, who["clerk"], doc)
    at = [shown.index(" ".join(line.split())) for line in lines[5:9]]
    assert at == sorted(at)
    assert "Ông Nguyễn Văn An cho bà Trần Thị Bình vay tiền." in answer["text"]


def test_only_the_people_of_the_case_read_it(service: Any, ecourt_env: EcourtEnv) -> None:
    who = people(ecourt_env)
    fields = sample_fields("judgment")
    doc = service.create_draft(who["judge"], fields["case_id"], "judgment", fields)["document_id"]
    other_judge = ecourt_env.token(Role.JUDGE, user_id="u-judge-9", judge_id="J-9")
    with pytest.raises(PermissionDenied):
        service.document_text(other_judge, doc)
    with pytest.raises(NotFound):  # another court's people: the document does not exist for them
        service.document_text(ecourt_env.token(Role.PRESIDENT, user_id="u-p2", court_id="01TC00"), doc)
    with pytest.raises(NotFound):
        service.document_text(who["clerk"], "VB-00000000000000000000")
