"""Who signs, and the key material they sign with, whatever holds the key (files, PKCS#11 token, HSM)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import keys as asn1_keys
from asn1crypto import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.sign.signers import Signer, SimpleSigner
from pyhanko_certvalidator.registry import CertificateStore, SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

# What a CMS SignedData holds besides the certificates: signer info, signed attributes (content type,
# digest, signing time, signing-certificate-v2), algorithm identifiers, the raw signature (≤ 512 bytes
# for RSA-4096). Measured at ~900 bytes with RSA-2048; the margin covers longer names and larger keys.
CMS_OVERHEAD_BYTES = 2048


@dataclass(frozen=True)
class SignerIdentity:
    """The person signing, as the verified token says: the certificate is issued to exactly this."""

    user_id: str
    court_id: str
    display_name: str


class LoadedKeySigner(SimpleSigner):
    """A :class:`SimpleSigner` that keeps its private key loaded.

    pyHanko's ``SimpleSigner.sign_raw`` turns the stored PKCS#8 structure back into a key object on every
    signature (``load_der_private_key`` with its RSA consistency check: ~35 ms for RSA-2048, more than
    the rest of a one-page signature). Loading it once is the largest single saving in batch signing.
    """

    def __init__(self, *, signing_cert: x509.Certificate, private_key: RSAPrivateKey | EllipticCurvePrivateKey,
                 cert_registry: CertificateStore | None = None) -> None:
        der = private_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
        super().__init__(signing_cert=signing_cert, signing_key=asn1_keys.PrivateKeyInfo.load(der),
                         cert_registry=cert_registry or SimpleCertificateStore())
        self._key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        algo = mechanism["algorithm"].native
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        if algo in ("rsassa_pkcs1v15", "sha256_rsa", "sha384_rsa", "sha512_rsa") and isinstance(self._key,
                                                                                              RSAPrivateKey):
            return self._key.sign(data, PKCS1v15(), hash_algo)
        if algo.endswith("ecdsa") and isinstance(self._key, EllipticCurvePrivateKey):
            return self._key.sign(data, ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)  # PSS and the rest: pyHanko's own path


@dataclass(frozen=True)
class SigningCredential:
    """A pyHanko signer (it holds or reaches the private key) and the certificate it signs as.

    ``signer`` is a :class:`LoadedKeySigner` for keys in memory; an HSM key store returns a
    ``PKCS11Signer`` instead, and nothing else changes.
    """

    signer: Signer
    certificate: x509.Certificate

    @property
    def subject_name(self) -> str:
        return str(self.certificate.subject.native.get("common_name", ""))

    @property
    def serial_hex(self) -> str:
        return format(self.certificate.serial_number, "x")

    @property
    def fingerprint_sha256(self) -> str:
        return hashlib.sha256(self.certificate.dump()).hexdigest()

    @property
    def not_before(self) -> datetime:
        return self.certificate.not_valid_before

    @property
    def not_after(self) -> datetime:
        return self.certificate.not_valid_after

    def signature_size(self) -> int:
        """Bytes a CMS signature by this credential needs: its embedded certificates plus the overhead.

        Computed from what is embedded, so the signature container is sized without pyHanko's dry run.
        """
        certs = [self.certificate, *(self.signer.cert_registry or ())]
        return sum(len(c.dump()) for c in certs) + CMS_OVERHEAD_BYTES
