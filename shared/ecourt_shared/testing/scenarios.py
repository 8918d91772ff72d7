"""Scenarios several services' tests share, played through the real running services.

``judged_case`` files a civil petition at intake, announces its judge as assignment's relay would, and records the
hearing and the judgment in casefile: the starting point of every appeal, protest and review-petition test.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from kombu import Connection, Producer

from ecourt_shared.auth import Role
from ecourt_shared.bus.topology import event_exchange
from ecourt_shared.contracts.envelope import EventEnvelope, EventPayload
from ecourt_shared.contracts.errors import NotFound, PermissionDenied
from ecourt_shared.contracts.events import CaseAssignedV1
from ecourt_shared.testing.documents import blank_pdf

AREA = "79KV01"
JUDGE_ID = "J-0007"
PLAINTIFF = {"role": "plaintiff", "full_name": "Phạm Thị Lan", "cccd": "001185012345"}
DEFENDANT = {"role": "defendant", "full_name": "Võ Minh Tuấn", "cccd": "079079004321"}


def eventually(probe: Callable[[], Any], what: str, timeout: float = 30) -> Any:
    """``probe()`` until it answers something truthy; NotFound / PermissionDenied mean "not arrived yet"."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = probe()
        except (NotFound, PermissionDenied):
            result = None
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def publish_event(amqp_uri: str, payload: EventPayload, envelope: EventEnvelope | None = None) -> EventEnvelope:
    """Publish ``payload`` as the source service's relay does (its topic exchange, confirmed, persistent); pass the
    ``envelope`` of an earlier publication to send a redelivery of the same event."""
    envelope = envelope or EventEnvelope.wrap(payload)
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        Producer(conn.channel()).publish(envelope.model_dump(mode="json"), exchange=event_exchange(payload.source),
                                         routing_key=payload.event_type, message_id=envelope.event_id,
                                         delivery_mode=2, serializer="json")
    return envelope


def judged_case(rpc: Any, env: Any, key: str, pronounced_on: date, *, in_effect: bool = False) -> str:
    """The canonical id of a civil case filed at the area court under ``key``, assigned to J-0007 and judged on
    ``pronounced_on`` (its hearing decided 10 days before); with ``in_effect``, in legal effect 40 days after.

    ``rpc``: an ``RpcClientPool``; ``env``: the ``ecourt_env`` fixture. intake and casefile must be running.
    """
    desk = env.token(Role.RECEPTION, user_id="u-desk-judged", court_id=AREA)
    filed = rpc.call("intake", "file_petition", token=desk, petition={
        "idempotency_key": key, "case_type": "DS", "subject": "Tranh chấp hợp đồng vay tài sản",
        "parties": [PLAINTIFF, DEFENDANT],
        "attachment": {"filename": "don-khoi-kien.pdf", "content_base64": base64.b64encode(blank_pdf()).decode()}})
    case_id = str(filed["case_id"])
    president = env.token(Role.PRESIDENT, user_id="u-chanhan", court_id=AREA)
    eventually(lambda: rpc.call("casefile", "case_deadline", token=president, case_id=case_id), "the dossier")
    publish_event(env.settings.amqp_uri, CaseAssignedV1(
        court_id=AREA, case_id=case_id, judge_id=JUDGE_ID, judge_name="Lê Văn Cường", method="random",
        draw_id=f"DR-{key}"[:40], assigned_by="u-chanhan", assigned_at=datetime.now(UTC)))
    judge = env.token(Role.JUDGE, user_id=f"u-{JUDGE_ID}", court_id=AREA, judge_id=JUDGE_ID)

    def step(name: str, on: date, **params: Any) -> dict[str, Any]:
        return dict(rpc.call("casefile", "record_step", token=judge, case_id=case_id, step=name, on=on.isoformat(),
                             params={k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in params.items()}))

    eventually(lambda: step("decide_to_try", pronounced_on - timedelta(days=10), hearing_on=pronounced_on,
                            room="P.3"), "the judge's assignment")
    step("pronounce_judgment", pronounced_on)
    if in_effect:
        step("enter_legal_effect", pronounced_on + timedelta(days=40))
    return case_id
