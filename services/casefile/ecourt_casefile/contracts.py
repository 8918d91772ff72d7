"""casefile's RPC contracts now live in ``ecourt_shared.contracts.casefile``; re-exported here under the same names."""

from ecourt_shared.contracts.casefile import (
    CaseDeadlineV1,
    CaseStandingV1,
    DeadlineViewV1,
    DossierDocumentV1,
    DossierEssentialsV1,
    DossierFullV1,
    DossierPartyV1,
    ExplanationStepV1,
    HearingViewV1,
    NoticeV1,
    StageViewV1,
    StepResultV1,
    TimelineEntryV1,
)

__all__ = ["CaseDeadlineV1", "CaseStandingV1", "DeadlineViewV1", "DossierDocumentV1", "DossierEssentialsV1",
           "DossierFullV1", "DossierPartyV1", "ExplanationStepV1", "HearingViewV1", "NoticeV1", "StageViewV1",
           "StepResultV1", "TimelineEntryV1"]
