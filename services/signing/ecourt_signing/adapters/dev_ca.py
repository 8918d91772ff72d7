"""The development certificate authority: a root CA made at first start, certificates issued on demand.

It stands in for the HSM / national CA on developer and CI machines, so that signatures are real
PAdES signatures which any PDF reader can check once the development root is trusted. Layout of its
directory (``ECOURT_SIGNING_KEYS_DIR`` or ``<data_dir>/signing``; never committed)::

    root-ca.key.pem        the root's private key              (mode 600)
    root-ca.cert.pem       the root certificate                (public: give it to verifiers)
    users/<id>.pem         a signer's private key + certificate (mode 600); <id> = sha256(court, user)
    tsa.pem                the development timestamp authority's key + certificate (mode 600)
    .lock                  serialises creation between processes

A signer's certificate: CN = display name, O = court id, UID = user id, C = VN; key usage
digitalSignature + nonRepudiation; two years. It is re-issued when its holder's display name changed or
it expires within :data:`RENEW_BEFORE`, unless the store was opened with ``issue_on_demand=False``
(``ECOURT_SIGNING_ISSUE_ON_DEMAND=false``): then only :meth:`DevCertificateAuthority.enroll` issues, and a
person without a certificate is refused, as with a real CA. Old certificates stay embedded in the documents they signed.
Documents signed with this CA have no legal value.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ecourt_signing.adapters.dev_tsa import DevTimestampAuthority
from ecourt_signing.domain.credentials import LoadedKeySigner, SignerIdentity, SigningCredential

log = logging.getLogger(__name__)

ROOT_KEY_FILE = "root-ca.key.pem"
ROOT_CERT_FILE = "root-ca.cert.pem"
USERS_DIR = "users"
TSA_FILE = "tsa.pem"
TSA_COMMON_NAME = "ecourt DEVELOPMENT timestamp authority - no legal value"
ROOT_VALIDITY = timedelta(days=3650)
SIGNER_VALIDITY = timedelta(days=730)
RENEW_BEFORE = timedelta(days=30)
BACKDATE = timedelta(minutes=5)  # tolerate clock skew between this host and a verifier
ROOT_KEY_BITS = 3072
SIGNER_KEY_BITS = 2048
ROOT_COMMON_NAME = "ecourt DEVELOPMENT root CA - no legal value"
MAX_COMMON_NAME = 64  # X.509 upper bound (ub-common-name)
_KEY_END = b"-----END PRIVATE KEY-----\n"


class KeyStoreError(RuntimeError):
    """The key material is missing, unreadable or inconsistent."""


class NoCertificate(LookupError):
    """The person has no signing certificate in this store (and the store does not issue on demand)."""


@dataclass(frozen=True)
class _Issued:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate


def utc_now() -> datetime:
    return datetime.now(UTC)


class DevCertificateAuthority:
    """A :class:`~ecourt_signing.adapters.keystore.KeyStore` backed by files in one directory."""

    def __init__(self, directory: Path, now: Callable[[], datetime] = utc_now, *,
                 issue_on_demand: bool = True) -> None:
        self.directory = Path(directory)
        self._now = now
        self.issue_on_demand = issue_on_demand
        self._tsa: DevTimestampAuthority | None = None
        self._lock = threading.Lock()  # created in DependencyProvider.setup, i.e. green under eventlet
        self._root: _Issued | None = None
        self._credentials: dict[tuple[str, str], tuple[SigningCredential, x509.Certificate]] = {}

    # -- the root -----------------------------------------------------------------------------------

    @property
    def root_key_path(self) -> Path:
        return self.directory / ROOT_KEY_FILE

    @property
    def root_cert_path(self) -> Path:
        return self.directory / ROOT_CERT_FILE

    def prepare(self) -> None:
        """Load the root, creating it on first start. Raises :class:`KeyStoreError` if that is impossible."""
        with self._lock:
            self._ensure_root()

    def root_certificate(self) -> x509.Certificate:
        return self._ensure_root().cert

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        return [_asn1_cert(self.root_certificate())]

    def check(self) -> None:
        """Readiness: the root key and certificate can be read from disk and belong together."""
        root = self._load_root()
        if root is None:
            raise KeyStoreError(f"no development root CA in {self.directory}")

    def _ensure_root(self) -> _Issued:
        if self._root is None:
            root = self._load_root()
            if root is None:
                with self._exclusive():
                    root = self._load_root() or self._create_root()
            self._root = root
        return self._root

    def _load_root(self) -> _Issued | None:
        key_exists, cert_exists = self.root_key_path.exists(), self.root_cert_path.exists()
        if not cert_exists:
            return None  # a key without its certificate is a creation that crashed midway: start again
        if not key_exists:
            raise KeyStoreError(f"{self.root_cert_path} exists but its private key {self.root_key_path} is missing; "
                                "restore it rather than creating a new root, or every earlier signature "
                                "becomes untrusted")
        try:
            key = serialization.load_pem_private_key(self.root_key_path.read_bytes(), password=None)
            cert = x509.load_pem_x509_certificate(self.root_cert_path.read_bytes())
        except (OSError, ValueError) as exc:
            raise KeyStoreError(f"cannot read the development root CA in {self.directory}: {exc}") from exc
        if not isinstance(key, rsa.RSAPrivateKey) or key.public_key() != cert.public_key():
            raise KeyStoreError(f"{self.root_key_path} does not belong to {self.root_cert_path}")
        _warn_if_readable_by_others(self.root_key_path)
        return _Issued(key, cert)

    def _create_root(self) -> _Issued:
        now = self._now()
        key = rsa.generate_private_key(public_exponent=65537, key_size=ROOT_KEY_BITS)
        name = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ecourt (development)"),
            x509.NameAttribute(NameOID.COMMON_NAME, ROOT_COMMON_NAME),
        ])
        cert = (
            x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - BACKDATE).not_valid_after(now + ROOT_VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        _write_atomic(self.root_key_path, _private_pem(key), 0o600)
        _write_atomic(self.root_cert_path, cert.public_bytes(serialization.Encoding.PEM), 0o644)
        log.warning("created a DEVELOPMENT root CA in %s (serial %x); signatures made with it have no legal value",
                    self.directory, cert.serial_number)
        return _Issued(key, cert)

    # -- signers ------------------------------------------------------------------------------------

    def credential_for(self, identity: SignerIdentity) -> SigningCredential:
        """The signer's current credential, issuing (or renewing) their certificate when needed.

        With ``issue_on_demand=False`` nothing is issued here: :class:`NoCertificate` if the person was
        never enrolled, and their certificate as it is (possibly expired: the caller refuses it) otherwise.
        """
        cache_key = (identity.court_id, identity.user_id)
        with self._lock:
            root = self._ensure_root()
            cached = self._credentials.get(cache_key)
            if cached is not None and (self._still_good(cached[1], identity) or not self.issue_on_demand):
                return cached[0]
            path = self._user_path(identity)
            issued = self._load_user(path)
            if not self.issue_on_demand:
                if issued is None:
                    raise NoCertificate(f"user {identity.user_id} of court {identity.court_id} has no certificate")
            elif issued is None or not self._still_good(issued.cert, identity):
                with self._exclusive():  # another process may have issued it meanwhile
                    issued = self._load_user(path)
                    if issued is None or not self._still_good(issued.cert, identity):
                        issued = self._issue(root, identity)
                        _write_atomic(path, _private_pem(issued.key)
                                      + issued.cert.public_bytes(serialization.Encoding.PEM), 0o600)
            credential = _credential(issued, root)
            self._credentials[cache_key] = (credential, issued.cert)
            return credential

    def enroll(self, identity: SignerIdentity) -> SigningCredential:
        """Issue a certificate to ``identity`` now, whatever it held before (an officer's enrolment)."""
        with self._lock:
            root = self._ensure_root()
            with self._exclusive():
                issued = self._issue(root, identity)
                _write_atomic(self._user_path(identity), _private_pem(issued.key)
                              + issued.cert.public_bytes(serialization.Encoding.PEM), 0o600)
            credential = _credential(issued, root)
            self._credentials[(identity.court_id, identity.user_id)] = (credential, issued.cert)
            return credential

    # -- the timestamp authority --------------------------------------------------------------------

    def timestamper(self) -> DevTimestampAuthority:
        """The development TSA, its key and certificate made at first use (``tsa.pem``)."""
        with self._lock:
            if self._tsa is None:
                root = self._ensure_root()
                path = self.directory / TSA_FILE
                issued = self._load_user(path)
                if issued is None or issued.cert.not_valid_after_utc - RENEW_BEFORE <= self._now():
                    with self._exclusive():
                        issued = self._load_user(path)
                        if issued is None or issued.cert.not_valid_after_utc - RENEW_BEFORE <= self._now():
                            issued = self._issue(root, None)
                            _write_atomic(path, _private_pem(issued.key)
                                          + issued.cert.public_bytes(serialization.Encoding.PEM), 0o600)
                self._tsa = DevTimestampAuthority(_asn1_cert(issued.cert), issued.key, [_asn1_cert(root.cert)])
            return self._tsa

    def _user_path(self, identity: SignerIdentity) -> Path:
        digest = hashlib.sha256(f"{identity.court_id}\x00{identity.user_id}".encode()).hexdigest()[:40]
        return self.directory / USERS_DIR / f"{digest}.pem"

    def _still_good(self, cert: x509.Certificate, identity: SignerIdentity) -> bool:
        return (_common_name(cert) == _cn_for(identity)
                and cert.not_valid_after_utc - RENEW_BEFORE > self._now())

    def _load_user(self, path: Path) -> _Issued | None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        key_pem, sep, cert_pem = data.partition(_KEY_END)
        try:
            if not sep:
                raise ValueError("no private key block")
            key = serialization.load_pem_private_key(key_pem + sep, password=None)
            cert = x509.load_pem_x509_certificate(cert_pem)
        except ValueError as exc:
            raise KeyStoreError(f"cannot read the signing key {path}: {exc}") from exc
        if not isinstance(key, rsa.RSAPrivateKey) or key.public_key() != cert.public_key():
            raise KeyStoreError(f"the key and certificate in {path} do not belong together")
        return _Issued(key, cert)

    def _issue(self, root: _Issued, identity: SignerIdentity | None) -> _Issued:
        """A signer's certificate, or with ``identity=None`` the timestamp authority's."""
        now = self._now()
        key = rsa.generate_private_key(public_exponent=65537, key_size=SIGNER_KEY_BITS)
        if identity is None:
            subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                                 x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ecourt (development)"),
                                 x509.NameAttribute(NameOID.COMMON_NAME, TSA_COMMON_NAME)])
        else:
            subject = x509.Name([
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, identity.court_id),
                x509.NameAttribute(NameOID.USER_ID, identity.user_id),
                x509.NameAttribute(NameOID.COMMON_NAME, _cn_for(identity)),
            ])
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject).issuer_name(root.cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - BACKDATE)
            .not_valid_after(min(now + SIGNER_VALIDITY, root.cert.not_valid_after_utc))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root.key.public_key()), critical=False)
        )
        if identity is None:  # RFC 3161 § 2.3: a TSA certificate has exactly this EKU, marked critical
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        cert = builder.sign(root.key, hashes.SHA256())
        log.info("issued a development %s certificate (serial %x)%s", "signing" if identity else "timestamping",
                 cert.serial_number, f" to user {identity.user_id} of court {identity.court_id}" if identity else "")
        return _Issued(key, cert)

    # -- files --------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """Hold the directory's lock file, so two processes never create the same material twice."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            (self.directory / USERS_DIR).mkdir(exist_ok=True, mode=0o700)
            fd = os.open(self.directory / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise KeyStoreError(
                f"cannot create the development CA in {self.directory}: {exc}. Point ECOURT_SIGNING_KEYS_DIR at a "
                "writable directory, or configure the court's real key store") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock


def _credential(issued: _Issued, root: _Issued) -> SigningCredential:
    cert = _asn1_cert(issued.cert)
    signer = LoadedKeySigner(signing_cert=cert, private_key=issued.key,
                             cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(root.cert)]))
    return SigningCredential(signer=signer, certificate=cert)


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _cn_for(identity: SignerIdentity) -> str:
    name = " ".join(identity.display_name.split()) or identity.user_id
    return name[:MAX_COMMON_NAME]


def _common_name(cert: x509.Certificate) -> str:
    values = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else ""


def _private_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _write_atomic(path: Path, data: bytes, mode: int) -> None:
    """Write to a private temporary file, then rename: readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)  # the umask may have narrowed a public file; never widens a private one
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _warn_if_readable_by_others(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.stat().st_mode & 0o077:
            log.warning("%s is readable by other users (mode %o); it should be 600", path, path.stat().st_mode & 0o777)
