"""The development timestamp authority: RFC 3161 timestamp tokens signed with a key of the development CA.

It makes ``signed_at`` trustworthy in development and CI the way a qualified TSA does in production: the
time is vouched for by a third key (certificate with the critical ``timeStamping`` extended key usage),
not declared by the signer's software. The same object answers RFC 3161 requests over HTTP
(``POST /tsa`` on signing's web process), so any RFC 3161 client can use it; in production
``ECOURT_SIGNING_TSA_URL`` points at the court's real TSA instead.
"""

from __future__ import annotations

from datetime import datetime

from asn1crypto import cms, core, tsp
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.sign import general
from pyhanko.sign.general import simple_cms_attribute
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

# A timestamp token holds the TSA's certificate chain plus TSTInfo, signed attributes and an RSA signature.
TOKEN_OVERHEAD_BYTES = 1536


class DevTimestampAuthority(DummyTimeStamper):
    """pyHanko's in-process TSA with the key kept loaded (its base class re-parses the key per token)."""

    def __init__(self, tsa_cert: asn1_x509.Certificate, tsa_key: RSAPrivateKey,
                 chain: list[asn1_x509.Certificate]) -> None:
        der = tsa_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        super().__init__(tsa_cert=tsa_cert, tsa_key=asn1_keys.PrivateKeyInfo.load(der),
                         certs_to_embed=SimpleCertificateStore.from_certs(chain))
        self._key = tsa_key
        self.chain = chain

    def token_size(self) -> int:
        """Bytes one token adds to a signature, from the certificates it embeds (no dummy request)."""
        return len(self.tsa_cert.dump()) + sum(len(c.dump()) for c in self.chain) + TOKEN_OVERHEAD_BYTES

    def _sign_tst_info(self, tst_info_data: bytes, md_algorithm: str,
                       dt: datetime) -> tuple[bytes, cms.CMSAttributes]:
        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes([
            simple_cms_attribute("content_type", "tst_info"),
            simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
            simple_cms_attribute("signing_certificate", general.as_signing_certificate(self.tsa_cert)),
            simple_cms_attribute("message_digest", digest.finalize()),
        ])
        signature = self._key.sign(signed_attrs.dump(), PKCS1v15(), get_pyca_cryptography_hash(md_algorithm))
        return signature, signed_attrs

    def respond(self, request_der: bytes) -> bytes:
        """Answer one DER ``TimeStampReq`` (RFC 3161 over HTTP) with a DER ``TimeStampResp``."""
        try:
            request = tsp.TimeStampReq.load(request_der)
            request.native  # noqa: B018 - parse it all now, so a malformed request is refused here
        except Exception:
            return tsp.TimeStampResp({"status": tsp.PKIStatusInfo({
                "status": tsp.PKIStatus("rejection"), "fail_info": tsp.PKIFailureInfo({"bad_data_format"})})}).dump()
        return self.request_tsa_response(request).dump()
