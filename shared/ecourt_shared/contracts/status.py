"""A case's procedural status, and the one rule every read model uses to converge on it.

Casefile owns the status (``CaseProgressedV1.status``); intake's ``CaseReceivedV1`` implies
``accepted``. Several services keep their own copy of a case's status (stats, the QLTA gateway), fed by
those events on separate queues, so the events arrive in any order and may be redelivered. To end up
with the same status whatever the arrival order, every such read model keeps the status with the
highest **status rank**, a single integer::

    status_rank = stage_rank * 100 + phase_rank * 10 + authority

- ``stage_rank`` (:data:`STAGE_RANK`): ST=1 < PT=2 < GĐT=3 = TT=3. A later procedure of the same case
  outranks everything that happened in an earlier one (an appeal reopens a decided first-instance case).
- ``phase_rank`` (:data:`PHASE_RANK`): accepted=1 < {preparing, suspended, hearing_scheduled}=2
  < decided=3 < in_effect=4 < closed=5. The three "active" statuses share one rank on purpose: a case
  goes preparing -> suspended -> preparing (resumed) or hearing_scheduled -> suspended, so no fixed order
  among them is right; between them the later event wins (``occurred_at``, stamped by casefile, which
  serialises the changes of one case). Across phases the rank protects against a late, stale event: a
  redelivered ``preparing`` can never pull a decided case back.
- ``authority`` (:data:`AUTHORITY`): casefile=1, intake=0. Casefile's own ``accepted`` (which may carry
  the first deadline) beats intake's ``accepted`` for the same stage, whichever arrives first.

Equal ranks are broken by the producer's clock (``occurred_at``) and then by the values themselves, so
the kept status is a pure maximum: commutative and idempotent (each read model documents its exact
tie-break key). The rank/phase table is court procedure as we understand it
**[verify with casefile's state machine]**.
"""

from __future__ import annotations

from typing import Final, Literal

# The procedural statuses casefile reports (``CaseProgressedV1.status``), in procedural order.
CaseStatus = Literal["accepted", "preparing", "suspended", "hearing_scheduled", "decided", "in_effect", "closed"]

STAGE_RANK: Final[dict[str, int]] = {"ST": 1, "PT": 2, "GĐT": 3, "TT": 3}
PHASE_RANK: Final[dict[str, int]] = {
    "accepted": 1,
    "preparing": 2,
    "suspended": 2,
    "hearing_scheduled": 2,
    "decided": 3,
    "in_effect": 4,
    "closed": 5,
}
# Which producer's word counts more for the same stage and phase (the event's ``source``).
AUTHORITY: Final[dict[str, int]] = {"intake": 0, "casefile": 1}


def status_rank(stage: str, status: str, source: str) -> int:
    """``status_rank("ST", "preparing", "casefile")`` -> 121; unknown codes raise ``KeyError``."""
    return STAGE_RANK[stage] * 100 + PHASE_RANK[status] * 10 + AUTHORITY[source]
