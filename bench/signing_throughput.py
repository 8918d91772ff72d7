"""Batch signing throughput: ecourt's signer against pyHanko's default usage, in the same run.

For a 1-page and a 30-page court document (rendered by signing's own templates, Vietnamese text, embedded
font) it signs N copies (default 200: a judge signing 200 summonses) both ways and prints signatures per
second, p50/p99 per signature and the ratio, then the time to verify one signed document.

- *pyHanko default*: the documented usage, ``signers.sign_pdf(IncrementalPdfFileWriter(...), meta,
  signer=SimpleSigner.load(key, cert, ca_chain_files=...))`` with the signer loaded once per batch: pyHanko
  re-parses the private key for every signature and sizes the container with a dry-run signature (and,
  with a TSA, a dummy timestamp request).
- *ecourt*: :func:`ecourt_signing.domain.pades.sign_pdf` with the key store's credential (key kept loaded,
  container pre-sized from the embedded certificates, no dry run).

Run: ``.venv/bin/python bench/signing_throughput.py [--count 200] [--timestamp]``
(``--timestamp``: both paths also get an RFC 3161 token from the development TSA, PAdES B-T).
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from harness import percentile
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter

from ecourt_signing.adapters.dev_ca import DevCertificateAuthority
from ecourt_signing.domain.credentials import SignerIdentity
from ecourt_signing.domain.pades import sign_pdf, verify_pdf
from ecourt_signing.domain.templates import render_pdf, sample_fields

JUDGE = SignerIdentity(user_id="u-judge-bench", court_id="79KV01", display_name="Nguyễn Văn An")


def timed(fn: Callable[[bytes], bytes], docs: list[bytes]) -> tuple[float, list[float], bytes]:
    fn(docs[0])  # warm up (imports, first-use caches) outside the measurement
    latencies: list[float] = []
    out = b""
    start = time.perf_counter()
    for doc in docs:
        t = time.perf_counter()
        out = fn(doc)
        latencies.append(time.perf_counter() - t)
    return len(docs) / (time.perf_counter() - start), latencies, out


def document(pages: int, serial: int) -> bytes:
    """A summons (one page) or a judgment whose reasoning runs to ``pages`` pages, different per serial."""
    if pages == 1:
        fields = {**sample_fields("summons"), "summoned_person": f"Lê Thị Hồng Nhung ({serial})"}
        return render_pdf("summons", fields, document_id=f"bench-{serial}")
    paragraph = ("Xét lời khai của các đương sự, chứng cứ do Tòa án thu thập và kết quả tranh tụng tại phiên tòa, "
                 "Hội đồng xét xử nhận định yêu cầu khởi kiện của nguyên đơn là có căn cứ một phần. ")
    reasoning = "\n".join(f"{n}. {paragraph * 3}" for n in range(1, 5 * pages + 14))
    fields = {**sample_fields("judgment"), "reasoning": reasoning, "ruling": f"Bản án số {serial}/2026/DS-ST."}
    return render_pdf("judgment", fields, document_id=f"bench-{serial}")


def pct(values: list[float], q: float) -> float:
    """The q-percentile in milliseconds, rank floor(q * n) as this benchmark has always reported it."""
    return percentile(values, q, rank="floor") * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--timestamp", action="store_true")
    args = parser.parse_args()

    keys_dir = Path(tempfile.mkdtemp(prefix="ecourt-bench-signing-"))
    ca = DevCertificateAuthority(keys_dir)
    ca.prepare()
    credential = ca.credential_for(JUDGE)
    tsa = ca.timestamper() if args.timestamp else None
    # pyHanko's default usage loads the same key and certificates from PEM files.
    user_pem = next((keys_dir / "users").glob("*.pem")).read_bytes()
    key_pem, _, cert_pem = user_pem.partition(b"-----END PRIVATE KEY-----\n")
    (keys_dir / "judge.key.pem").write_bytes(key_pem + b"-----END PRIVATE KEY-----\n")
    (keys_dir / "judge.cert.pem").write_bytes(cert_pem)
    default_signer = signers.SimpleSigner.load(str(keys_dir / "judge.key.pem"), str(keys_dir / "judge.cert.pem"),
                                               ca_chain_files=(str(keys_dir / "root-ca.cert.pem"),))
    assert default_signer is not None

    def pyhanko_default(pdf: bytes) -> bytes:
        meta = signers.PdfSignatureMetadata(field_name="Signature1", md_algorithm="sha256",
                                            subfilter=SigSeedSubFilter.PADES)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        return bytes(signers.sign_pdf(writer, meta, signer=default_signer, timestamper=tsa).getvalue())

    def ecourt(pdf: bytes) -> bytes:
        return sign_pdf(pdf, credential, timestamper=tsa)

    mode = "PAdES B-T (development TSA)" if tsa else "PAdES B-B"
    print(f"signing throughput, {args.count} documents per batch, {mode}, RSA-2048, one process")
    print(f"{'document':<10} {'path':<16} {'sig/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    roots = ca.trust_roots()
    for pages in (1, 30):
        docs = [document(pages, i) for i in range(args.count)]
        rate_default, lat_default, _ = timed(pyhanko_default, docs)
        rate_ours, lat_ours, signed = timed(ecourt, docs)
        for name, rate, lat in (("pyHanko default", rate_default, lat_default), ("ecourt", rate_ours, lat_ours)):
            print(f"{pages:>2} page(s)  {name:<16} {rate:>8.1f} {pct(lat, .5):>8.1f} {pct(lat, .99):>8.1f}")
        print(f"{pages:>2} page(s)  ratio ecourt / pyHanko default: {rate_ours / rate_default:.2f}x "
              f"({len(docs[0])} bytes unsigned)")
        verify_times = []
        for _ in range(20):
            t = time.perf_counter()
            verdict = verify_pdf(signed, roots)
            verify_times.append(time.perf_counter() - t)
        assert verdict.ok, verdict.reasons
        print(f"{pages:>2} page(s)  verification: p50 {pct(verify_times, .5):.1f} ms, "
              f"p99 {pct(verify_times, .99):.1f} ms ({1 / statistics.mean(verify_times):.1f} verifications/s)")


if __name__ == "__main__":
    main()
