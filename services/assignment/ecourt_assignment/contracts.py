"""RPC contract of assignment: kept in ``ecourt_shared.contracts.assignment``, imported here under the old names."""

from __future__ import annotations

from ecourt_shared.contracts.assignment import (
    AssignmentResultV1,
    ConflictInputV1,
    DrawCommitmentV1,
    DrawCommittedV1,
    FairnessJudgeV1,
    FairnessViewV1,
    InboxCaseV1,
    JudgeCaseV1,
    JudgeInputV1,
    PanelSeatV1,
    PanelV1,
    PastSeatV1,
    ReceptionDecisionItemV1,
    ReceptionInboxV1,
    ReceptionItemV1,
    RelatedCaseV1,
    RosterJudgeV1,
    UnavailabilityInputV1,
    UnavailabilityV1,
)

__all__ = ["AssignmentResultV1", "ConflictInputV1", "DrawCommitmentV1", "DrawCommittedV1", "FairnessJudgeV1",
           "FairnessViewV1", "InboxCaseV1", "JudgeCaseV1", "JudgeInputV1", "PanelSeatV1", "PanelV1", "PastSeatV1",
           "ReceptionDecisionItemV1", "ReceptionInboxV1", "ReceptionItemV1", "RelatedCaseV1", "RosterJudgeV1",
           "UnavailabilityInputV1", "UnavailabilityV1"]
