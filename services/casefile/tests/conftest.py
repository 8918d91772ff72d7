"""Events as intake and assignment emit them, for every tier of casefile's tests."""

from __future__ import annotations

import hashlib
import itertools
import random
from datetime import UTC, date, datetime
from typing import Any

import pytest

from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.events import CaseAssignedV1, CaseReceivedV1, DocumentRefV1, PartyRefV1
from ecourt_shared.identifiers import make_case_id
from ecourt_shared.storage import court_bucket, document_key

COURT = "79KV01"
ACCEPTED_AT = datetime(2026, 1, 15, 2, 30, 0, 123456, tzinfo=UTC)  # 09:30 in Hà Nội: legal day 15/01/2026


class Events:
    """Builds valid events; every case gets a fresh, check-digited id."""

    COURT = COURT
    ACCEPTED_AT = ACCEPTED_AT

    def __init__(self) -> None:
        self._serials = itertools.count(random.randint(1, 900_000))

    def case_id(self, court_id: str = COURT) -> str:
        return make_case_id(court_id, 2026, next(self._serials))

    @staticmethod
    def document(data: bytes, court_id: str = COURT, **changes: Any) -> DocumentRefV1:
        sha = hashlib.sha256(data).hexdigest()
        values: dict[str, Any] = {
            "document_id": f"D-{sha[:16].upper()}", "title": "Đơn khởi kiện", "filename": "don-khoi-kien.pdf",
            "content_type": "application/pdf", "size_bytes": len(data), "sha256": sha, "page_count": 1,
            "bucket": court_bucket(court_id), "object_key": document_key(sha)}
        return DocumentRefV1(**{**values, **changes})

    def received(self, documents: list[DocumentRefV1], case_id: str | None = None, court_id: str = COURT,
                 case_type: str = "DS", accepted_at: datetime = ACCEPTED_AT,
                 accepted_on: date = date(2026, 1, 15)) -> CaseReceivedV1:
        return CaseReceivedV1(
            court_id=court_id, case_id=case_id or self.case_id(court_id), acceptance_number="12/2026/TLST-DS",
            case_type=case_type, stage="ST", subject="Tranh chấp hợp đồng vay tài sản", accepted_at=accepted_at,
            accepted_on=accepted_on,
            parties=[PartyRefV1(party_id="P-00000000000000A1", role="plaintiff", is_minor=False),
                     PartyRefV1(party_id="P-00000000000000B2", role="defendant", is_minor=True)],
            documents=documents, receipt_secret_hash="0" * 64)

    @staticmethod
    def assigned(case_id: str, judge_id: str = "J-0007", court_id: str = COURT,
                 assigned_at: datetime = datetime(2026, 1, 16, 3, 0, tzinfo=UTC),
                 judge_name: str = "Lê Văn Cường") -> CaseAssignedV1:
        return CaseAssignedV1(court_id=court_id, case_id=case_id, judge_id=judge_id, judge_name=judge_name,
                              method="random", draw_id="DR-2026-0042", assigned_by="u-president",
                              assigned_at=assigned_at)

    @staticmethod
    def envelope(payload: Any) -> EventEnvelope:
        """As a consumer receives it: wrapped, serialized and parsed back."""
        return EventEnvelope.model_validate(EventEnvelope.wrap(payload).model_dump(mode="json"))


@pytest.fixture(scope="session")
def events() -> Events:
    return Events()


@pytest.fixture(scope="module")
def casefile_engine(ecourt_env, migrated):
    """casefile's own database of this test module, migrated by the real ``python -m ecourt_casefile migrate``."""
    from ecourt_shared.db import make_engine

    migrated("ecourt_casefile")
    engine = make_engine(ecourt_env.settings.database_url("casefile"), pool_size=2)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def pg(casefile_engine):
    """Runs one SQL query on casefile's database and returns its rows."""
    from sqlalchemy import text

    def query(sql: str, **params: Any) -> list[Any]:
        with casefile_engine.connect() as conn:
            return list(conn.execute(text(sql), params).all())
    return query


@pytest.fixture(scope="module")
def mongo_db(ecourt_env):
    """casefile's MongoDB database of this test module (named after its prefix), dropped at the end."""
    from ecourt_shared.mongo import mongo_client, service_database

    database = service_database(ecourt_env.settings, "casefile")
    yield database
    mongo_client(ecourt_env.settings).drop_database(database.name)
