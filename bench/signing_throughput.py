"""Batch signing throughput: ecourt's signer against pyHanko's default usage, in the same run.

For a 1-page and a 30-page court document (rendered by signing's own templates, Vietnamese text, embedded
font; the page counts are asserted, exactly 1 and exactly 30) it signs N copies (default 200: a judge signing
200 summonses) each way and prints signatures per second, p50/p99 per signature and the ratio to pyHanko's
default, then the time to verify one signed document of each path (all signatures and the change analysis,
shadow-attack checks included).

- *pyHanko default*: the documented usage, ``signers.sign_pdf(IncrementalPdfFileWriter(...), meta,
  signer=SimpleSigner.load(key, cert, ca_chain_files=...))`` with the signer loaded once per batch: pyHanko
  re-parses the private key for every signature and sizes the container with a dry-run signature (and,
  with a TSA, a dummy timestamp request).
- *ecourt*: :func:`ecourt_signing.domain.pades.sign_pdf` with the key store's credential (key kept loaded,
  container pre-sized from the embedded certificates, no dry run).
- *ecourt + stamp*: the same with the visible stamp the workflow puts on every signature (signer, role,
  court, time; the font subset is made once per character set, so once per batch).

Run: ``.venv/bin/python bench/signing_throughput.py [--count 200] [--timestamp]``
(``--timestamp``: both paths also get an RFC 3161 token from the development TSA, PAdES B-T).
"""

from __future__ import annotations

import argparse
import functools
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from harness import percentile
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pypdf import PdfReader

from ecourt_signing.adapters.dev_ca import DevCertificateAuthority
from ecourt_signing.domain.credentials import SignerIdentity
from ecourt_signing.domain.pades import sign_pdf, verify_pdf
from ecourt_signing.domain.stamp import StampText
from ecourt_signing.domain.templates import render_pdf, sample_fields

JUDGE = SignerIdentity(user_id="u-judge-bench", court_id="79KV01", display_name="Nguyễn Văn An")


def timed(paths: dict[str, Callable[[bytes], bytes]],
          docs: list[bytes]) -> dict[str, tuple[float, list[float], bytes]]:
    """Sign every document with every path, the paths taking turns document by document, so that a machine
    whose load changes during the run slows all of them alike. Per path: signatures per second (documents
    over the time spent signing them), the latency of each signature, the last signed document."""
    for fn in paths.values():
        fn(docs[0])  # warm up (imports, first-use caches, the stamp's font subset) outside the measurement
    latencies: dict[str, list[float]] = {name: [] for name in paths}
    last: dict[str, bytes] = {}
    for doc in docs:
        for name, fn in paths.items():
            t = time.perf_counter()
            last[name] = fn(doc)
            latencies[name].append(time.perf_counter() - t)
    return {name: (len(docs) / sum(lat), lat, last[name]) for name, lat in latencies.items()}


PARAGRAPH = ("Xét lời khai của các đương sự, chứng cứ do Tòa án thu thập và kết quả tranh tụng tại phiên tòa, "
             "Hội đồng xét xử nhận định yêu cầu khởi kiện của nguyên đơn là có căn cứ một phần. ") * 3


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def judgment(paragraphs: int, serial: int) -> bytes:
    """A judgment with ``paragraphs`` paragraphs of text: the reasoning holds up to 300 (a field is capped at
    200 000 characters), the ruling the rest."""
    numbered = [f"{n}. {PARAGRAPH}" for n in range(1, paragraphs + 1)]
    fields = {**sample_fields("judgment"), "reasoning": "\n".join(numbered[:300]),
              "ruling": " ".join([f"Bản án số {serial:03d}/2026/DS-ST.", *numbered[300:]])}
    return render_pdf("judgment", fields, document_id=f"bench-{serial:03d}")


@functools.cache
def paragraphs_for(pages: int) -> int:
    """The fewest reasoning paragraphs that make the judgment exactly ``pages`` pages long (bisection)."""
    low, high = 1, 20 * pages
    while low < high:
        middle = (low + high) // 2
        if page_count(judgment(middle, 0)) < pages:
            low = middle + 1
        else:
            high = middle
    assert page_count(judgment(low, 0)) == pages, f"no paragraph count gives exactly {pages} pages"
    return low


def document(pages: int, serial: int) -> bytes:
    """A summons (one page) or a judgment of exactly ``pages`` pages, different per serial; the count is checked."""
    if pages == 1:
        fields = {**sample_fields("summons"), "summoned_person": f"Lê Thị Hồng Nhung ({serial:03d})"}
        pdf = render_pdf("summons", fields, document_id=f"bench-{serial:03d}")
    else:
        pdf = judgment(paragraphs_for(pages), serial)
    assert page_count(pdf) == pages, (pages, page_count(pdf))
    return pdf


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

    def ecourt_stamped(pdf: bytes) -> bytes:
        stamp = StampText("Nguyễn Văn An", "judge", "Tòa án nhân dân Khu vực 1 - Thành phố Hồ Chí Minh",
                          datetime.now(UTC))
        return sign_pdf(pdf, credential, timestamper=tsa, stamp=stamp)

    mode = "PAdES B-T (development TSA)" if tsa else "PAdES B-B"
    print(f"signing throughput, {args.count} documents per batch, {mode}, RSA-2048, one process")
    print(f"{'document':<10} {'path':<16} {'sig/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs default':>11}")
    roots = ca.trust_roots()
    paths = (("pyHanko default", pyhanko_default), ("ecourt", ecourt), ("ecourt + stamp", ecourt_stamped))
    for pages in (1, 30):
        docs = [document(pages, i) for i in range(args.count)]
        measured = timed(dict(paths), docs)
        base_rate = measured["pyHanko default"][0]
        for name, (rate, lat, _) in measured.items():
            print(f"{pages:>2} page(s)  {name:<16} {rate:>8.1f} {pct(lat, .5):>8.1f} {pct(lat, .99):>8.1f} "
                  f"{rate / base_rate:>10.2f}x")
        print(f"{pages:>2} page(s)  {len(docs[0])} bytes unsigned; ratio ecourt / pyHanko default "
              f"{measured['ecourt'][0] / base_rate:.2f}x (stamped {measured['ecourt + stamp'][0] / base_rate:.2f}x)")
        verify_times: dict[str, list[float]] = {name: [] for name in measured}
        for _ in range(20):  # the paths take turns here too
            for name, (_rate, _lat, signed) in measured.items():
                t = time.perf_counter()
                verdict = verify_pdf(signed, roots)
                verify_times[name].append(time.perf_counter() - t)
                assert verdict.ok, verdict.reasons
        for name, times in verify_times.items():
            print(f"{pages:>2} page(s)  verification of {name:<16}: p50 {pct(times, .5):.1f} ms, "
                  f"p99 {pct(times, .99):.1f} ms ({1 / statistics.mean(times):.1f} verifications/s)")


if __name__ == "__main__":
    main()
