"""The signing service class with its real key store and token check, without a broker (worker_factory)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import create_engine

from ecourt_shared.auth import Role, load_public_key, verify_token
from ecourt_shared.auth.nameko import Authenticator
from ecourt_shared.contracts.errors import PermissionDenied, RequestRejected
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.testing.documents import blank_pdf
from ecourt_shared.testing.environment import TestEnvironment as EcourtEnv
from ecourt_signing.adapters.dev_ca import ROOT_CERT_FILE, DevCertificateAuthority
from ecourt_signing.adapters.orm import metadata
from ecourt_signing.dependencies import Keys, readiness_checks
from ecourt_signing.service import SigningService

pytestmark = pytest.mark.service


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DevCertificateAuthority:
    store = DevCertificateAuthority(tmp_path_factory.mktemp("signing-keys"))
    store.prepare()
    return store


@pytest.fixture(scope="module")
def uows(ecourt_env: EcourtEnv, migrated: Callable[[str], None]) -> Iterator[UnitOfWorkFactory]:
    migrated("ecourt_signing")
    engine = create_engine(ecourt_env.settings.database_url("signing"))
    yield UnitOfWorkFactory(engine, metadata)
    engine.dispose()


@pytest.fixture
def service(ecourt_env: EcourtEnv, keys: DevCertificateAuthority, uows: UnitOfWorkFactory) -> Any:
    key = load_public_key(ecourt_env.settings.key_file("public"))
    return worker_factory(SigningService, keys=keys, db=uows,
                          auth=Authenticator(lambda token: verify_token(token, key)))


def test_a_judge_signs_with_their_own_certificate(service: Any, ecourt_env: EcourtEnv) -> None:
    token = ecourt_env.token(Role.JUDGE, user_id="u-judge-7", judge_id="J-7", display_name="Lê Văn Công")
    result = service.sign_document(token, b64(blank_pdf()))
    signed = base64.b64decode(result["pdf_base64"])
    assert result["sha256"] == hashlib.sha256(signed).hexdigest()
    assert result["signer"]["name"] == "Lê Văn Công"
    assert result["signer"]["user_id"] == "u-judge-7" and result["signer"]["court_id"] == "79KV01"
    again = service.sign_document(token, b64(blank_pdf()))
    assert again["signer"]["certificate_serial"] == result["signer"]["certificate_serial"]

    verified = service.verify_document(ecourt_env.token(Role.RECEPTION), result["pdf_base64"])
    assert verified["ok"] and verified["intact"] and verified["valid"] and verified["trusted"]
    assert verified["signer_name"] == "Lê Văn Công" and verified["modified_after_signing"] is False
    assert verified["signed_at"] and verified["reasons"] == []


@pytest.mark.parametrize("role", [Role.PRESIDENT, Role.CLERK])
def test_the_president_and_clerks_sign_too(service: Any, ecourt_env: EcourtEnv, role: Role) -> None:
    result = service.sign_document(ecourt_env.token(role, user_id=f"u-{role}"), b64(blank_pdf()))
    assert result["signer"]["user_id"] == f"u-{role}"


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.IT_ADMIN, Role.CITIZEN, Role.LAWYER])
def test_others_may_not_sign(service: Any, ecourt_env: EcourtEnv, role: Role) -> None:
    with pytest.raises(PermissionDenied):
        service.sign_document(ecourt_env.token(role), b64(blank_pdf()))


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.LAWYER])
def test_verification_is_for_staff(service: Any, ecourt_env: EcourtEnv, role: Role) -> None:
    with pytest.raises(PermissionDenied):
        service.verify_document(ecourt_env.token(role), b64(blank_pdf()))


def test_a_forged_token_is_refused(service: Any) -> None:
    with pytest.raises(PermissionDenied):
        service.sign_document("not-a-token", b64(blank_pdf()))


def test_an_unsigned_document_verifies_as_not_signed(service: Any, ecourt_env: EcourtEnv) -> None:
    verified = service.verify_document(ecourt_env.token(Role.CLERK), b64(blank_pdf()))
    assert verified["signed"] is False and verified["ok"] is False
    assert verified["reason_codes"] == ["document.not_signed"]


@pytest.mark.parametrize(("payload", "field", "code"), [
    ("%%% not base64 %%%", "pdf_base64", "pdf.bad_encoding"),
    (b64(b"PK\x03\x04 a zip file"), "pdf", "pdf.not_pdf"),
])
def test_bad_input_is_rejected_field_by_field(service: Any, ecourt_env: EcourtEnv, payload: str, field: str,
                                              code: str) -> None:
    for method, role in ((service.sign_document, Role.JUDGE), (service.verify_document, Role.CLERK)):
        with pytest.raises(RequestRejected) as refused:
            method(ecourt_env.token(role), payload)
        assert [(e.field, e.code) for e in refused.value.errors] == [(field, code)]


def test_the_keys_dependency_creates_the_ca_where_configured(tmp_path: Path, ecourt_env: EcourtEnv,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOURT_SIGNING_KEYS_DIR", str(tmp_path / "keys"))
    checks = readiness_checks(ecourt_env.settings)
    assert set(checks) == {"amqp", "postgres", "keys", "s3"}
    with pytest.raises(Exception, match="no development root CA"):
        checks["keys"]()
    provider = Keys()
    provider.setup()
    assert (tmp_path / "keys" / ROOT_CERT_FILE).exists()
    checks["keys"]()
    assert provider.get_dependency(None) is provider.store
