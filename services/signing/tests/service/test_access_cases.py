"""Case-level access: only the people of a case draft, read, sign and seal its documents.

The signing worker runs with its real database, key store, object store and token check (worker_factory,
no broker). casefile is not running here: its ``case_standing`` is answered by casefile's own view rule
(``ecourt_casefile.domain.access.view_kind``) over two cases held in memory, behind the real token check.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import create_engine, func, select

from ecourt_casefile.domain.access import ViewKind, view_kind
from ecourt_shared.auth import Role, load_public_key, verify_token
from ecourt_shared.auth.nameko import Authenticator
from ecourt_shared.contracts.errors import NotFound, PermissionDenied
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import format_case_id, make_case_id, parse_case_id
from ecourt_shared.storage import ObjectStore
from ecourt_shared.testing.documents import blank_pdf
from ecourt_shared.testing.environment import TestEnvironment as EcourtEnv
from ecourt_signing.adapters.dev_ca import DevCertificateAuthority
from ecourt_signing.adapters.orm import document_versions, documents, metadata
from ecourt_signing.domain.templates import sample_fields
from ecourt_signing.service import SigningService

pytestmark = pytest.mark.service

CASE_A = sample_fields("summons")["case_id"]  # judge J-1, clerk u-clerk
CASE_B = format_case_id(make_case_id("79KV01", 2026, 2))  # judge J-2, panel J-3, clerk u-clerk-b
CASES = {parse_case_id(CASE_A).canonical: {"court_id": "79KV01", "judge_id": "J-1", "panel": [], "clerk_id": "u-clerk"},
         parse_case_id(CASE_B).canonical: {"court_id": "79KV01", "judge_id": "J-2", "panel": ["J-3"],
                                           "clerk_id": "u-clerk-b"}}


class CasefileStandIn:
    """``casefile.case_standing`` as casefile answers it: another court's case is NotFound, involvement by its rule."""

    def __init__(self, key: Any) -> None:
        self.key = key
        self.calls = 0

    def case_standing(self, token: str, case_id: str) -> dict[str, Any]:
        self.calls += 1
        principal = verify_token(token, self.key)
        canonical = parse_case_id(case_id).canonical
        case = CASES.get(canonical)
        if case is None or case["court_id"] != principal.court_id:
            raise NotFound({"message_vi": f"Không tìm thấy vụ án {case_id}.", "message_en": f"No case {case_id}."})
        view = view_kind(principal, case["judge_id"], case["panel"], case["clerk_id"])
        return {"involved": view is ViewKind.FULL, "case_id": canonical, "court_id": case["court_id"]}


@pytest.fixture(scope="module")
def uows(ecourt_env: EcourtEnv, migrated: Callable[[str], None]) -> Iterator[UnitOfWorkFactory]:
    migrated("ecourt_signing")
    engine = create_engine(ecourt_env.settings.database_url("signing"))
    yield UnitOfWorkFactory(engine, metadata)
    engine.dispose()


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DevCertificateAuthority:
    store = DevCertificateAuthority(tmp_path_factory.mktemp("access-keys"))
    store.prepare()
    return store


@pytest.fixture
def casefile(ecourt_env: EcourtEnv) -> CasefileStandIn:
    return CasefileStandIn(load_public_key(ecourt_env.settings.key_file("public")))


@pytest.fixture
def service(ecourt_env: EcourtEnv, keys: DevCertificateAuthority, uows: UnitOfWorkFactory,
            casefile: CasefileStandIn) -> Any:
    key = load_public_key(ecourt_env.settings.key_file("public"))
    return worker_factory(SigningService, keys=keys, db=uows, store=ObjectStore.from_settings(ecourt_env.settings),
                          auth=Authenticator(lambda token: verify_token(token, key)), casefile=casefile)


def tokens(env: EcourtEnv) -> dict[str, str]:
    return {
        "judge_a": env.token(Role.JUDGE, user_id="u-judge-1", judge_id="J-1", display_name="Phạm Minh Tuấn"),
        "judge_b": env.token(Role.JUDGE, user_id="u-judge-2", judge_id="J-2", display_name="Lê Văn Cường"),
        "panel_b": env.token(Role.JUDGE, user_id="u-judge-3", judge_id="J-3", display_name="Hoàng Thị Lan"),
        "unassigned": env.token(Role.JUDGE, user_id="u-judge-9", judge_id="J-9", display_name="Đỗ Văn Chín"),
        "president": env.token(Role.PRESIDENT, user_id="u-pres", display_name="Đặng Thị Hương"),
        "clerk_a": env.token(Role.CLERK, user_id="u-clerk", display_name="Vũ Ngọc Ánh"),
        "clerk_b": env.token(Role.CLERK, user_id="u-clerk-b", display_name="Ngô Thị Bích"),
        "reception": env.token(Role.RECEPTION, user_id="u-recv", display_name="Trịnh Văn Tiếp"),
        "other_court_judge": env.token(Role.JUDGE, user_id="u-hn-judge", court_id="01KV02", judge_id="J-1",
                                       display_name="Nguyễn Hà Nội"),
        "other_court_president": env.token(Role.PRESIDENT, user_id="u-hn-pres", court_id="01KV02"),
        "other_court_clerk": env.token(Role.CLERK, user_id="u-clerk", court_id="01KV02"),
    }


def draft(service: Any, token: str, case_id: str = CASE_A, kind: str = "summons") -> dict[str, Any]:
    fields = {**sample_fields(kind), "case_id": case_id}
    return service.create_draft(token, case_id, kind, fields)


def count_rows(uows: UnitOfWorkFactory, table: Any, **where: str) -> int:
    with uows() as uow:
        query = select(func.count()).select_from(table)
        for column, value in where.items():
            query = query.where(table.c[column] == value)
        return int(uow.execute(query).scalar_one())


def test_the_people_of_the_case_draft_read_and_sign(service: Any, ecourt_env: EcourtEnv) -> None:
    who = tokens(ecourt_env)
    for drafter in ("judge_b", "panel_b", "president", "clerk_b"):
        state = draft(service, who[drafter], CASE_B)
        assert service.get_document(who["clerk_b"], state["document_id"])["pdf_base64"]
    judgment = draft(service, who["panel_b"], CASE_B, "judgment")
    signed = service.sign(who["panel_b"], judgment["document_id"], judgment["current_sha256"])  # a panel member
    assert signed["workflow"][0]["signer_name"] == "Hoàng Thị Lan"


@pytest.mark.parametrize("outsider", ["other_court_judge", "other_court_president", "other_court_clerk"])
def test_another_courts_staff_find_nothing(service: Any, ecourt_env: EcourtEnv, uows: UnitOfWorkFactory,
                                           outsider: str) -> None:
    """Same judge id, same user id, president even: another court's documents and cases do not exist."""
    who = tokens(ecourt_env)
    state = draft(service, who["judge_a"])
    document_id, sha = state["document_id"], state["current_sha256"]
    token = who[outsider]
    attempts: list[Callable[[], Any]] = [
        lambda: service.get_document(token, document_id),
        lambda: service.update_draft(token, document_id, {**sample_fields("summons")}, 1),
        lambda: draft(service, token),
    ]
    if outsider != "other_court_clerk":
        attempts.append(lambda: service.sign(token, document_id, sha))
    else:
        attempts.append(lambda: service.record_seal(token, document_id, base64.b64encode(blank_pdf()).decode()))
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    if outsider != "other_court_clerk":
        batch = service.sign_batch(token, [{"document_id": document_id, "reviewed_sha256": sha}])
        assert batch["signed"] == 0 and batch["results"][0]["errors"][0]["code"] == "document.not_found"
    assert count_rows(uows, document_versions, document_id=document_id) == 1  # nothing was added
    assert count_rows(uows, documents, court_id="01KV02") == 0


def test_an_unassigned_judge_of_the_same_court_is_refused(service: Any, ecourt_env: EcourtEnv,
                                                          uows: UnitOfWorkFactory) -> None:
    who = tokens(ecourt_env)
    state = draft(service, who["judge_a"])
    document_id, sha = state["document_id"], state["current_sha256"]
    for attempt in (lambda: service.get_document(who["unassigned"], document_id),
                    lambda: service.sign(who["unassigned"], document_id, sha),
                    lambda: service.update_draft(who["unassigned"], document_id, sample_fields("summons"), 1),
                    lambda: draft(service, who["unassigned"]),
                    lambda: service.sign(who["judge_b"], document_id, sha)):  # the judge of *another* case
        with pytest.raises(PermissionDenied) as refused:
            attempt()
        assert "Thẩm phán được phân công" in refused.value.detail["message_vi"]
        assert "assigned to the case" in refused.value.detail["message_en"]
    assert count_rows(uows, document_versions, document_id=document_id) == 1
    assert service.sign(who["judge_a"], document_id, sha)["status"] == "in_effect"  # the case's judge can


def test_reception_and_a_clerk_of_another_case_do_not_read_drafts(service: Any, ecourt_env: EcourtEnv) -> None:
    who = tokens(ecourt_env)
    state = draft(service, who["judge_a"])
    for outsider in ("reception", "clerk_b"):
        with pytest.raises(PermissionDenied):
            service.get_document(who[outsider], state["document_id"])
    assert service.get_document(who["clerk_a"], state["document_id"])["document_id"] == state["document_id"]


def test_a_batch_refuses_only_the_documents_of_other_cases(service: Any, ecourt_env: EcourtEnv,
                                                           casefile: CasefileStandIn) -> None:
    who = tokens(ecourt_env)
    mine = [draft(service, who["judge_a"]) for _ in range(3)]
    theirs = draft(service, who["judge_b"], CASE_B)
    batch = [*mine[:2], theirs, mine[2]]
    items = [{"document_id": s["document_id"], "reviewed_sha256": s["current_sha256"]} for s in batch]
    casefile.calls = 0
    result = service.sign_batch(who["judge_a"], items)
    assert (result["signed"], result["refused"]) == (3, 1)
    assert [r["index"] for r in result["results"]] == [0, 1, 2, 3]
    assert [r["ok"] for r in result["results"]] == [True, True, False, True]
    assert result["results"][2]["errors"][0]["code"] == "case.not_involved"
    assert casefile.calls == 2  # once per case, not once per document


def test_the_seal_step_belongs_to_the_clerk_of_the_case(service: Any, ecourt_env: EcourtEnv) -> None:
    who = tokens(ecourt_env)
    state = draft(service, who["judge_a"])
    service.sign(who["judge_a"], state["document_id"], state["current_sha256"])  # a summons: in effect, to seal
    queued = lambda token: [d["document_id"] for d in service.seal_queue(token)]  # noqa: E731
    assert state["document_id"] in queued(who["clerk_a"])
    assert state["document_id"] in queued(who["president"])
    assert state["document_id"] not in queued(who["clerk_b"])
    scan = base64.b64encode(blank_pdf()).decode()
    with pytest.raises(PermissionDenied):
        service.record_seal(who["clerk_b"], state["document_id"], scan)
    assert service.record_seal(who["clerk_a"], state["document_id"], scan)["status"] == "sealed"
