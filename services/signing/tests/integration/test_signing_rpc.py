"""The real signing worker (``python -m ecourt_signing worker``) over RabbitMQ RPC."""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from pyhanko.keys import load_cert_from_pemder
from pypdf import PdfWriter
from sqlalchemy import create_engine, inspect

from ecourt_shared.auth import Role
from ecourt_shared.contracts.errors import PermissionDenied, RequestRejected
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.documents import blank_pdf
from ecourt_shared.testing.environment import TestEnvironment as EcourtEnv
from ecourt_shared.testing.processes import ServiceProcess
from ecourt_signing.adapters.dev_ca import ROOT_CERT_FILE
from ecourt_signing.domain.pades import verify_pdf

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def worker(service_processes: Callable[..., ServiceProcess]) -> ServiceProcess:
    return service_processes("signing", "ecourt_signing")


@pytest.fixture(scope="module")
def rpc(ecourt_env: EcourtEnv, worker: ServiceProcess) -> Iterator[RpcClientPool]:
    pool = RpcClientPool(ecourt_env.settings.amqp_uri)
    yield pool
    pool.close()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def sign(rpc: RpcClientPool, token: str, pdf: bytes) -> dict[str, Any]:
    return rpc.call("signing", "sign_document", token=token, pdf_base64=b64(pdf))


def verify(rpc: RpcClientPool, token: str, pdf: bytes) -> dict[str, Any]:
    return rpc.call("signing", "verify_document", token=token, pdf_base64=b64(pdf))


def test_migrate_creates_signings_tables_and_is_repeatable(ecourt_env: EcourtEnv) -> None:
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "ecourt_signing", "migrate"],
                              env={**os.environ, **ecourt_env.env}, capture_output=True, text=True, timeout=60,
                              check=True)
        assert "signing: migrated" in done.stdout
    engine = create_engine(ecourt_env.settings.database_url("signing"))
    try:
        assert {"documents", "document_versions", "workflow_steps", "seal_queue", "outbox"} <= set(
            inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_ready_only_with_the_ca_material(worker: ServiceProcess, ecourt_env: EcourtEnv) -> None:
    ready = httpx.get(f"{worker.url}/health/ready", timeout=10)
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"amqp": "ok", "postgres": "ok", "keys": "ok", "s3": "ok"}
    assert (ecourt_env.data_dir / "signing" / ROOT_CERT_FILE).exists()  # created at first start, in the data dir


def test_a_judge_signs_over_rpc_and_anyone_with_the_root_can_verify(rpc: RpcClientPool, ecourt_env: EcourtEnv) -> None:
    judge = ecourt_env.token(Role.JUDGE, judge_id="J-1", user_id="u-judge-1", display_name="Phạm Minh Tuấn")
    result = sign(rpc, judge, blank_pdf(pages=3))
    assert result["signer"]["name"] == "Phạm Minh Tuấn"
    signed = base64.b64decode(result["pdf_base64"])

    verified = verify(rpc, ecourt_env.token(Role.CLERK), signed)
    assert verified["ok"] and verified["signer_name"] == "Phạm Minh Tuấn"

    # Independently of the worker: the published development root is enough to check the signature.
    root = load_cert_from_pemder(str(ecourt_env.data_dir / "signing" / ROOT_CERT_FILE))
    assert verify_pdf(signed, [root]).ok


def test_a_document_changed_after_signing_is_reported(rpc: RpcClientPool, ecourt_env: EcourtEnv) -> None:
    signed = base64.b64decode(sign(rpc, ecourt_env.token(Role.JUDGE, judge_id="J-1"), blank_pdf())["pdf_base64"])
    writer = PdfWriter(io.BytesIO(signed), incremental=True)
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)

    verified = verify(rpc, ecourt_env.token(Role.PRESIDENT), out.getvalue())
    assert verified["intact"] and verified["trusted"]
    assert verified["modified_after_signing"] and not verified["ok"]
    assert "document.modified_after_signing" in verified["reason_codes"]


def test_refusals_cross_rpc_intact(rpc: RpcClientPool, ecourt_env: EcourtEnv) -> None:
    with pytest.raises(RequestRejected) as refused:
        sign(rpc, ecourt_env.token(Role.JUDGE, judge_id="J-1"), b"<html>not a pdf</html>")
    assert [(e.field, e.code) for e in refused.value.errors] == [("pdf", "pdf.not_pdf")]
    assert refused.value.errors[0].message_vi.startswith("Tệp không phải PDF")
    with pytest.raises(PermissionDenied):
        sign(rpc, ecourt_env.token(Role.RECEPTION), blank_pdf())


def test_concurrent_signatures_in_one_worker(rpc: RpcClientPool, ecourt_env: EcourtEnv) -> None:
    """pyHanko runs asyncio inside; the worker's greenthreads must not trip over each other's event loops."""
    tokens = [ecourt_env.token(Role.JUDGE, user_id=f"u-judge-c{i % 3}", display_name=f"Thẩm phán {i % 3}")
              for i in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda token: sign(rpc, token, blank_pdf(pages=2)), tokens))
    clerk = ecourt_env.token(Role.CLERK)
    with ThreadPoolExecutor(max_workers=8) as pool:
        verdicts = list(pool.map(lambda r: verify(rpc, clerk, base64.b64decode(r["pdf_base64"])), results))
    assert all(v["ok"] for v in verdicts), [v["reasons"] for v in verdicts]
    assert len({r["signer"]["certificate_serial"] for r in results}) == 3  # one certificate per person


def test_a_worker_without_usable_key_material_stops_at_once(service_processes: Callable[..., ServiceProcess],
                                                             ecourt_env: EcourtEnv) -> None:
    """Better a pod that fails to start, with the reason in its log, than one that fails every signature."""
    blocker = ecourt_env.data_dir / "not-a-directory"
    blocker.write_text("x")
    with pytest.raises(RuntimeError, match="ECOURT_SIGNING_KEYS_DIR"):
        service_processes("signing", "ecourt_signing", ECOURT_SIGNING_KEYS_DIR=str(blocker / "signing"))


def test_citizens_verify_over_http_and_a_crafted_incremental_update_is_named(
        service_processes: Callable[..., ServiceProcess], rpc: RpcClientPool, ecourt_env: EcourtEnv) -> None:
    web = service_processes("signing", "ecourt_signing", command="web")
    signed = base64.b64decode(sign(rpc, ecourt_env.token(Role.JUDGE, judge_id="J-1"), blank_pdf())["pdf_base64"])
    good = httpx.post(f"{web.url}/api/v1/verify", files={"file": ("doc.pdf", signed, "application/pdf")}, timeout=30)
    assert good.status_code == 200 and good.json()["ok"] and good.json()["signatures"][0]["signed_at"]
    writer = PdfWriter(io.BytesIO(signed), incremental=True)
    writer.add_blank_page(595, 842)
    tampered = io.BytesIO()
    writer.write(tampered)
    bad = httpx.post(f"{web.url}/api/v1/verify", files={"file": ("doc.pdf", tampered.getvalue(), "application/pdf")},
                     timeout=30).json()
    assert bad["intact"] and not bad["ok"] and "document.modified_after_signing" in bad["reason_codes"]
    refused = httpx.post(f"{web.url}/api/v1/verify", files={"file": ("x.pdf", b"not a pdf", "application/pdf")},
                         timeout=30)
    assert refused.status_code == 422 or refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "pdf.not_pdf"
