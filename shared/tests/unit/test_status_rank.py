"""The status rank every read model converges with (ecourt_shared.contracts.status)."""

from typing import get_args

import pytest

from ecourt_shared.contracts.events import CaseProgressedV1, CaseReceivedV1, Stage
from ecourt_shared.contracts.status import AUTHORITY, PHASE_RANK, STAGE_RANK, CaseStatus, status_rank

pytestmark = pytest.mark.unit


def test_rank_orders_stage_then_phase_then_authority() -> None:
    assert status_rank("ST", "accepted", "intake") < status_rank("ST", "accepted", "casefile")
    assert status_rank("ST", "accepted", "casefile") < status_rank("ST", "preparing", "casefile")
    assert status_rank("ST", "preparing", "casefile") == status_rank("ST", "suspended", "casefile")
    assert status_rank("ST", "hearing_scheduled", "casefile") < status_rank("ST", "decided", "casefile")
    assert status_rank("ST", "decided", "casefile") < status_rank("ST", "in_effect", "casefile")
    assert status_rank("ST", "in_effect", "casefile") < status_rank("ST", "closed", "casefile")
    assert status_rank("ST", "closed", "casefile") < status_rank("PT", "accepted", "intake")


def test_rank_formula() -> None:
    assert status_rank("ST", "preparing", "casefile") == 121
    assert status_rank("GĐT", "closed", "intake") == status_rank("TT", "closed", "intake") == 350


def test_unknown_status_is_refused() -> None:
    with pytest.raises(KeyError):
        status_rank("ST", "teleported", "casefile")


def test_tables_cover_exactly_what_the_events_can_carry() -> None:
    assert set(PHASE_RANK) == set(get_args(CaseStatus))
    assert set(STAGE_RANK) == set(get_args(Stage))
    assert set(AUTHORITY) == {CaseReceivedV1.source, CaseProgressedV1.source}
