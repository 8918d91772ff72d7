"""A citizen checking a document over HTTP is told, in Vietnamese and English, that it was shadow-attacked.

Real worker and web processes (RabbitMQ, PostgreSQL): the judge signs over RPC a page whose visible line
is an overlay covering another; after signing, an incremental update drops the overlay.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Iterator

import httpx
import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from ecourt_shared.auth import Role
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.documents import blank_pdf
from ecourt_shared.testing.environment import TestEnvironment as EcourtEnv
from ecourt_shared.testing.processes import ServiceProcess

pytestmark = pytest.mark.integration
N = generic.NameObject


@pytest.fixture(scope="module")
def rpc(ecourt_env: EcourtEnv, service_processes: Callable[..., ServiceProcess]) -> Iterator[RpcClientPool]:
    service_processes("signing", "ecourt_signing")
    pool = RpcClientPool(ecourt_env.settings.amqp_uri)
    yield pool
    pool.close()


def bait() -> tuple[bytes, int, int]:
    """A page showing an overlay line over the real one; returns the PDF, the page and the real stream's numbers."""
    writer = IncrementalPdfFileWriter(io.BytesIO(blank_pdf()))
    font = writer.add_object(generic.DictionaryObject({
        N("/Type"): N("/Font"), N("/Subtype"): N("/Type1"), N("/BaseFont"): N("/Helvetica")}))
    real = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 14 Tf 72 700 Td (Phat 100.000.000 dong) Tj ET"))
    cover = writer.add_object(generic.StreamObject(
        stream_data=b"1 1 1 rg 60 690 400 30 re f BT 0 0 0 rg /F1 14 Tf 72 700 Td (Phat 1.000.000 dong) Tj ET"))
    page_ref = writer.root["/Pages"]["/Kids"].raw_get(0)
    page = page_ref.get_object()
    page[N("/Contents")] = generic.ArrayObject([real, cover])
    page[N("/Resources")] = generic.DictionaryObject({N("/Font"): generic.DictionaryObject({N("/F1"): font})})
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), page_ref.idnum, real.idnum


def test_a_dropped_overlay_is_named_a_hide_attack_over_http(
        rpc: RpcClientPool, service_processes: Callable[..., ServiceProcess], ecourt_env: EcourtEnv) -> None:
    web = service_processes("signing", "ecourt_signing", command="web")
    pdf, page_no, real_no = bait()
    judge = ecourt_env.token(Role.JUDGE, judge_id="J-1", display_name="Phạm Minh Tuấn")
    signed = base64.b64decode(rpc.call("signing", "sign_document", token=judge,
                                       pdf_base64=base64.b64encode(pdf).decode())["pdf_base64"])
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = generic.IndirectObject(page_no, 0, writer).get_object()
    page[N("/Contents")] = generic.ArrayObject([generic.IndirectObject(real_no, 0, writer)])
    writer.update_container(page)
    tampered = io.BytesIO()
    writer.write(tampered)

    good = httpx.post(f"{web.url}/api/v1/verify", files={"file": ("qd.pdf", signed, "application/pdf")}, timeout=60)
    assert good.status_code == 200 and good.json()["ok"] and good.json()["changes"] == "none"
    bad = httpx.post(f"{web.url}/api/v1/verify", files={"file": ("qd.pdf", tampered.getvalue(), "application/pdf")},
                     timeout=60)
    assert bad.status_code == 200
    verdict = bad.json()
    assert verdict["intact"] and verdict["valid"] and verdict["trusted"] and not verdict["ok"]
    assert verdict["changes"] == "shadow_hide" and verdict["reason_codes"] == ["shadow.hide"]
    assert verdict["changes_vi"] == "Tấn công che giấu (shadow attack: hide)"
    assert verdict["changes_en"] == "shadow attack: hide"
    assert "Tấn công che giấu" in verdict["reasons"][0] and "shadow attack: hide" in verdict["reasons"][0]
    assert verdict["signatures"][0]["change_details"]
