"""The ledger inside casefile's service: state changes append entries in their own transaction; the proof RPC.

Through ``worker_factory`` with the real adapters (PostgreSQL, MongoDB wire server, S3 endpoint, token keys).
"""

import pytest
from nameko.testing.services import worker_factory

from ecourt_casefile.adapters.dossiers import DossierStore
from ecourt_casefile.ledger.checkpoints import FileCheckpointStore
from ecourt_casefile.ledger.proofs import check_case_proof
from ecourt_casefile.ledger.runtime import LedgerRuntime, checkpoint_all
from ecourt_casefile.ledger.verifying import verify_case
from ecourt_casefile.service import CasefileService
from ecourt_shared.auth import Role, load_public_key, verify_token
from ecourt_shared.auth.nameko import Authenticator
from ecourt_shared.contracts.errors import Conflict, NotFound, PermissionDenied, RequestRejected
from ecourt_shared.identifiers import format_case_id
from ecourt_shared.storage import ObjectStore
from ecourt_shared.testing.documents import blank_pdf

pytestmark = pytest.mark.service


@pytest.fixture(scope="module")
def runtime(key, tmp_path_factory):
    return LedgerRuntime(key=key, store=FileCheckpointStore(tmp_path_factory.mktemp("service-checkpoints")))


@pytest.fixture
def service(uows, mongo_db, ecourt_env, runtime):
    key = load_public_key(ecourt_env.settings.key_file("public"))
    return worker_factory(CasefileService, db=uows, dossiers=DossierStore(mongo_db),
                          store=ObjectStore.from_settings(ecourt_env.settings),
                          auth=Authenticator(lambda token: verify_token(token, key)), ledger=runtime)


@pytest.fixture
def received(service, events, ecourt_env):
    data = blank_pdf(pages=1)
    ObjectStore.from_settings(ecourt_env.settings).put_document(events.COURT, data, "application/pdf")
    payload = events.received([events.document(data)])
    service.on_case_received(payload, events.envelope(payload))
    return payload


def kinds(pg, case_id):
    return [r.kind for r in pg("SELECT kind FROM ledger_entries WHERE case_id = :c ORDER BY case_seq", c=case_id)]


def test_receiving_and_assigning_a_case_append_its_chain_in_the_same_transactions(service, events, received, pg,
                                                                                   runtime, uows):
    assert kinds(pg, received.case_id) == ["case.received", "document.version"]
    service.on_case_received(received, events.envelope(received))  # a redelivery appends nothing
    assert len(kinds(pg, received.case_id)) == 2
    assignment = events.assigned(received.case_id)
    envelope = events.envelope(assignment)
    service.on_case_assigned(assignment, envelope)
    service.on_case_assigned(assignment, envelope)  # redelivered: claimed once, one entry
    assert kinds(pg, received.case_id) == ["case.received", "document.version", "case.assigned"]
    [entry] = pg("SELECT payload FROM ledger_entries WHERE case_id = :c AND kind = 'case.assigned'",
                 c=received.case_id)
    assert '"judge_id":"J-0007"' in entry.payload
    assert verify_case(uows.engine, received.case_id, runtime.store, runtime.key.public_key()).ok


def test_an_assignment_before_its_case_enters_the_ledger_with_the_case(service, events, ecourt_env, pg):
    case_id = events.case_id()
    early = events.assigned(case_id, judge_id="J-0042")
    service.on_case_assigned(early, events.envelope(early))
    assert kinds(pg, case_id) == []
    data = blank_pdf(pages=2)
    ObjectStore.from_settings(ecourt_env.settings).put_document(events.COURT, data, "application/pdf")
    payload = events.received([events.document(data)], case_id=case_id)
    service.on_case_received(payload, events.envelope(payload))
    [first] = pg("SELECT payload FROM ledger_entries WHERE case_id = :c AND case_seq = 1", c=case_id)
    assert '"judge_id":"J-0042"' in first.payload


def test_the_president_and_the_assigned_judge_get_a_proof_that_an_auditor_can_check(
        service, events, received, ecourt_env, uows, runtime):
    with pytest.raises(Conflict):  # not checkpointed yet
        service.ledger_proof(ecourt_env.token(Role.PRESIDENT), received.case_id)
    service.on_case_assigned(events.assigned(received.case_id, judge_id="J-0009"),
                             events.envelope(events.assigned(received.case_id, judge_id="J-0009")))
    assert checkpoint_all(uows, runtime) >= 1
    for token in (ecourt_env.token(Role.PRESIDENT), ecourt_env.token(Role.JUDGE, judge_id="J-0009")):
        proof = service.ledger_proof(token, format_case_id(received.case_id))
        proven = check_case_proof(proof, runtime.key.public_key())
        assert proven.case_id == received.case_id and proven.kinds[-1] == "case.assigned"


def test_nobody_else_gets_a_proof_and_another_courts_case_does_not_exist(service, received, ecourt_env):
    for token in (ecourt_env.token(Role.JUDGE, judge_id="J-0001"), ecourt_env.token(Role.CLERK)):
        with pytest.raises(PermissionDenied):
            service.ledger_proof(token, received.case_id)
    with pytest.raises(NotFound):
        service.ledger_proof(ecourt_env.token(Role.PRESIDENT, court_id="79KV02"), received.case_id)
    with pytest.raises(RequestRejected):
        service.ledger_proof(ecourt_env.token(Role.PRESIDENT), "not-a-case")
