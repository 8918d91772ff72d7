"""The development CA: one root made at first start and kept, signer certificates issued on demand."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from ecourt_shared.settings import Settings
from ecourt_signing.adapters.dev_ca import ROOT_CERT_FILE, ROOT_KEY_FILE, DevCertificateAuthority, KeyStoreError
from ecourt_signing.adapters.keystore import KeyStore, keys_dir, open_key_store
from ecourt_signing.domain.credentials import SignerIdentity

pytestmark = pytest.mark.unit

JUDGE = SignerIdentity(user_id="u-judge-1", court_id="79KV01", display_name="Nguyễn Văn An")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def pem_cert(credential_cert: object) -> x509.Certificate:
    return x509.load_der_x509_certificate(credential_cert.dump())  # type: ignore[attr-defined]


def test_first_start_creates_the_root_and_a_restart_reloads_the_same(tmp_path: Path) -> None:
    directory = tmp_path / "signing"
    first = DevCertificateAuthority(directory)
    first.prepare()
    assert mode(directory / ROOT_KEY_FILE) == 0o600
    assert mode(directory) == 0o700
    root = first.root_certificate()
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    key_bytes = (directory / ROOT_KEY_FILE).read_bytes()

    again = DevCertificateAuthority(directory)
    again.prepare()
    assert again.root_certificate() == root
    assert (directory / ROOT_KEY_FILE).read_bytes() == key_bytes
    assert again.trust_roots()[0].dump() == first.trust_roots()[0].dump()
    again.check()


def test_a_signer_certificate_is_issued_on_first_use_and_then_reused(tmp_path: Path) -> None:
    ca = DevCertificateAuthority(tmp_path)
    ca.prepare()
    credential = ca.credential_for(JUDGE)
    cert = pem_cert(credential.certificate)

    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Nguyễn Văn An"
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "79KV01"
    assert cert.subject.get_attributes_for_oid(NameOID.USER_ID)[0].value == "u-judge-1"
    assert cert.issuer == ca.root_certificate().subject
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert timedelta(days=729) < lifetime < timedelta(days=731)
    assert credential.serial_hex == format(cert.serial_number, "x")
    files = list((tmp_path / "users").iterdir())
    assert len(files) == 1 and mode(files[0]) == 0o600

    assert ca.credential_for(JUDGE).serial_hex == credential.serial_hex
    restarted = DevCertificateAuthority(tmp_path)
    assert restarted.credential_for(JUDGE).serial_hex == credential.serial_hex  # read back from disk


def test_each_person_has_their_own_certificate(tmp_path: Path) -> None:
    ca = DevCertificateAuthority(tmp_path)
    clerk = SignerIdentity(user_id="u-clerk-1", court_id="79KV01", display_name="Trần Thị Bình")
    other_court = SignerIdentity(user_id="u-judge-1", court_id="01TC01", display_name="Nguyễn Văn An")
    serials = {ca.credential_for(who).serial_hex for who in (JUDGE, clerk, other_court)}
    assert len(serials) == 3


def test_a_new_display_name_gets_a_new_certificate(tmp_path: Path) -> None:
    ca = DevCertificateAuthority(tmp_path)
    before = ca.credential_for(JUDGE)
    renamed = ca.credential_for(SignerIdentity(user_id="u-judge-1", court_id="79KV01",
                                               display_name="Nguyễn Văn  An Bình"))
    assert renamed.serial_hex != before.serial_hex
    assert renamed.subject_name == "Nguyễn Văn An Bình"


def test_a_certificate_about_to_expire_is_renewed(tmp_path: Path) -> None:
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    ca = DevCertificateAuthority(tmp_path, now=lambda: now[0])
    first = ca.credential_for(JUDGE)
    now[0] += timedelta(days=400)
    assert ca.credential_for(JUDGE).serial_hex == first.serial_hex
    now[0] += timedelta(days=320)  # 720 days: less than 30 left
    assert ca.credential_for(JUDGE).serial_hex != first.serial_hex


def test_a_root_certificate_without_its_key_is_an_error_not_a_new_root(tmp_path: Path) -> None:
    DevCertificateAuthority(tmp_path).prepare()
    (tmp_path / ROOT_KEY_FILE).unlink()
    with pytest.raises(KeyStoreError, match="missing"):
        DevCertificateAuthority(tmp_path).prepare()
    assert (tmp_path / ROOT_CERT_FILE).exists()


def test_readiness_check_fails_when_the_material_is_unreadable(tmp_path: Path) -> None:
    ca = DevCertificateAuthority(tmp_path)
    with pytest.raises(KeyStoreError):
        ca.check()  # nothing created yet
    ca.prepare()
    ca.check()
    (tmp_path / ROOT_KEY_FILE).write_text("not a key")
    with pytest.raises(KeyStoreError):
        ca.check()


def test_a_directory_that_cannot_be_created_is_reported_clearly(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(KeyStoreError, match="ECOURT_SIGNING_KEYS_DIR"):
        DevCertificateAuthority(blocker / "signing").prepare()


def test_the_keys_directory_comes_from_the_environment_or_the_data_dir(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    monkeypatch.delenv("ECOURT_SIGNING_KEYS_DIR", raising=False)
    assert keys_dir(settings) == tmp_path / "data" / "signing"
    monkeypatch.setenv("ECOURT_SIGNING_KEYS_DIR", str(tmp_path / "mounted"))
    assert keys_dir(settings) == tmp_path / "mounted"
    store = open_key_store(settings)
    assert isinstance(store, KeyStore)
    assert isinstance(store, DevCertificateAuthority) and store.directory == tmp_path / "mounted"
