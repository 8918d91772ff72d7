"""A court merger (sáp nhập Tòa án): every case the old court holds moves to its successor.

Closed cases move too: the old court ceases to exist, so its whole register passes to the successor (a
later appeal, cassation or retrial of one of its judgments is then handled from there).

The case keeps its permanent id, its stage, its procedure state, its judge and its running time limits: a
merger changes which court holds the work, not where the procedure stands [verify: the merging resolution of
the National Assembly Standing Committee usually says the successor continues the old court's cases; Luật Tổ
chức Tòa án nhân dân 2024, as amended 2025]. So, unlike a transfer step (which restarts the stage at the new
court), the stage goes on: a new row of the stage history at the successor, opened on the same day the stage
first opened (the time limits counted from that day stay right), and the old row closed with ``merged``.

One transaction per case, under the case's lock: the stage-court change, a ``court_merger`` step on the
timeline, a ledger entry (in the successor's tree) and ``case_transferred`` (reason ``merger``) in the outbox,
all or nothing. The merger itself is recorded first (``court_mergers``), so a rerun after a crash recognises it
and moves only the cases still at the old court; a case already moved is never touched again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from ecourt_casefile import ledger
from ecourt_casefile.adapters import mergers as mergers_repo
from ecourt_casefile.adapters import procedure as steps_repo
from ecourt_casefile.adapters import repository
from ecourt_casefile.adapters.orm import case_stages, deadlines
from ecourt_casefile.domain.courts import CourtRegistry, UnknownCourt
from ecourt_shared.contracts.casefile import CaseTransferredV1
from ecourt_shared.contracts.errors import FieldError, RequestRejected
from ecourt_shared.db import UnitOfWork, UnitOfWorkFactory

MERGER_STEP = "court_merger"  # the step on the case's timeline, and ``opened_by`` of the successor's stage row
MERGER_USER = "system:court-merger"
OUTCOME = "merged"

BeforeCommit = Callable[[UnitOfWork, str], None]


@dataclass(frozen=True)
class MergeReport:
    old_court_id: str
    successor_id: str
    effective_on: date
    dry_run: bool
    to_move: int  # cases at the old court when the run started
    moved: list[str] = field(default_factory=list)  # moved by this run
    moved_before: int = 0  # moved by earlier (interrupted) runs

    def summary(self) -> str:
        if self.dry_run:
            return (f"Sẽ chuyển {self.to_move} vụ án từ Tòa án {self.old_court_id} sang {self.successor_id} "
                    f"(sáp nhập từ {self.effective_on:%d/%m/%Y}); chưa thay đổi gì. / Would move {self.to_move} "
                    f"cases from {self.old_court_id} to {self.successor_id} (merger effective "
                    f"{self.effective_on.isoformat()}); nothing changed.")
        return (f"Đã chuyển {len(self.moved)} vụ án từ Tòa án {self.old_court_id} sang {self.successor_id} "
                f"(trước đó {self.moved_before}). / Moved {len(self.moved)} cases from {self.old_court_id} to "
                f"{self.successor_id} ({self.moved_before} moved by earlier runs).")


def _refuse(errors: list[FieldError]) -> None:
    if errors:
        raise RequestRejected.of(errors)


def check_merger(courts: CourtRegistry, old: str, successor: str) -> None:
    """Field-level refusals: unknown courts, a court into itself, a successor that is itself dissolved."""
    errors: list[FieldError] = []
    for name, court_id in (("old_court", old), ("successor", successor)):
        if not courts.knows(court_id):
            err = UnknownCourt(court_id)
            errors.append(FieldError(field=name, code="court.unknown", message_vi=err.message_vi,
                                     message_en=err.message_en))
    _refuse(errors)
    if old == successor:
        _refuse([FieldError(field="successor", code="merger.same_court",
                            message_vi="Không thể sáp nhập một Tòa án vào chính nó.",
                            message_en="A court cannot be merged into itself.")])
    _refuse_dissolved_successor(courts, successor)
    shipped = courts.court(old).successor
    if shipped is not None and shipped != successor:
        _refuse([FieldError(field="successor", code="merger.other_successor",
                            message_vi=f"Tòa án {old} đã được sáp nhập vào {shipped}.",
                            message_en=f"Court {old} was already merged into {shipped}.")])


def _refuse_dissolved_successor(courts: CourtRegistry, successor: str) -> None:
    if courts.court(successor).successor is not None:
        _refuse([FieldError(field="successor", code="merger.successor_dissolved",
                            message_vi=f"Tòa án {successor} đã giải thể (sáp nhập vào "
                                       f"{courts.resolve(successor).id}); hãy chọn Tòa án đang hoạt động.",
                            message_en=f"Court {successor} is dissolved (merged into {courts.resolve(successor).id}); "
                                       f"choose a court that still sits.")])


def _check(uow: UnitOfWork, courts: CourtRegistry, old: str, successor: str) -> None:
    """The shipped data's refusals, then a successor dissolved by a merger recorded earlier."""
    check_merger(courts, old, successor)
    _refuse_dissolved_successor(effective_registry(uow, courts), successor)


def effective_registry(uow: UnitOfWork, courts: CourtRegistry) -> CourtRegistry:
    """The shipped registry with every recorded merger applied (old codes resolve to their successor).

    A recorded merger naming a court this registry does not list is left out: it cannot be resolved with
    this data anyway, and refusing every lookup for it would stop the whole service.
    """
    return courts.with_mergers((m.old_court_id, m.successor_id, m.effective_on)
                               for m in mergers_repo.all_mergers(uow)
                               if courts.knows(m.old_court_id) and courts.knows(m.successor_id))


def holding_court(uows: UnitOfWorkFactory, court_id: str, courts: CourtRegistry | None = None) -> str:
    """The court that holds a court's work today: itself, or the end of its chain of mergers."""
    with uows() as uow:
        registry = effective_registry(uow, courts or CourtRegistry.load())
    return registry.resolve(court_id).id


def _record(uows: UnitOfWorkFactory, courts: CourtRegistry, old: str, successor: str, on: date,
            at: datetime) -> mergers_repo.MergerRecord:
    with uows() as uow:
        _check(uow, courts, old, successor)
        stored = mergers_repo.record_merger(uow, old, successor, on, at)
        if (stored.successor_id, stored.effective_on) != (successor, on):
            _refuse([FieldError(field="successor", code="merger.already_recorded",
                                message_vi=f"Tòa án {old} đã được ghi nhận sáp nhập vào {stored.successor_id} "
                                           f"từ ngày {stored.effective_on:%d/%m/%Y}.",
                                message_en=f"Court {old} is already recorded as merged into {stored.successor_id} "
                                           f"from {stored.effective_on.isoformat()}.")])
        uow.commit()
    return stored


def _move_case(uow: UnitOfWork, courts: CourtRegistry, case_id: str, old: str, successor: str, on: date,
               instant: datetime) -> bool:
    """Move one case, if it is still at the old court; False when another run moved it already."""
    repository.lock_case(uow, case_id)
    state = repository.case_state_of(uow, case_id)
    if state is None or state.court_id != old:
        return False
    first_opened = uow.execute(select(case_stages.c.opened_on).where(
        case_stages.c.case_id == case_id, case_stages.c.seq == state.stage_seq)).scalar_one()
    steps_repo.close_stage(uow, case_id, state.stage_seq, OUTCOME)
    seq = steps_repo.open_stage(uow, case_id, state.stage, successor, first_opened, MERGER_STEP)
    # the stage goes on at the successor: its deadlines (running or not) belong to the new stage row
    uow.execute(deadlines.update().where(deadlines.c.case_id == case_id, deadlines.c.stage_seq == state.stage_seq)
                .values(stage_seq=seq))
    steps_repo.update_case(uow, case_id, court_id=successor, stage_seq=seq, updated_at=instant)
    params = {"from_court_id": old, "to_court_id": successor, "effective_on": on.isoformat()}
    steps_repo.record_step(uow, case_id=case_id, stage_seq=seq, stage=state.stage, court_id=successor,
                           step=MERGER_STEP, from_state=state.state, to_state=state.state, on_date=on,
                           params=params, user_id=MERGER_USER, recorded_at=instant)
    ledger.append(uow, case_id, successor, f"stage.{MERGER_STEP}", {
        "step": MERGER_STEP, "stage": state.stage, "state": state.state, "on": on, "by": MERGER_USER,
        "court_id": successor, "from_court_id": old, "stage_seq": seq}, instant)
    target = courts.court(successor)
    uow.emit(CaseTransferredV1(court_id=successor, case_id=case_id, from_court_id=old, stage=state.stage,
                               reason="merger", transferred_on=on, court_name_vi=target.vi,
                               court_name_en=target.en))
    mergers_repo.count_moved(uow, old)
    return True


def merge_court(uows: UnitOfWorkFactory, old: str, successor: str, on: date, now: Callable[[], datetime], *,
                courts: CourtRegistry | None = None, dry_run: bool = False, batch: int = 200,
                before_commit: BeforeCommit | None = None) -> MergeReport:
    """Merge ``old`` into ``successor`` from ``on``; resumable and idempotent (see the module docstring).

    ``before_commit(uow, case_id)`` runs inside each case's transaction just before it commits (tests use it
    to crash a run halfway).
    """
    courts = courts or CourtRegistry.load()
    if dry_run:
        with uows() as uow:
            _check(uow, courts, old, successor)
            to_move = mergers_repo.count_cases_at(uow, old)
            earlier = mergers_repo.merger_of(uow, old)
        return MergeReport(old, successor, on, True, to_move, moved_before=earlier.moved if earlier else 0)
    stored = _record(uows, courts, old, successor, on, now())
    with uows() as uow:
        to_move = mergers_repo.count_cases_at(uow, old)
    report = MergeReport(old, successor, on, False, to_move, moved_before=stored.moved)
    while True:
        with uows() as uow:
            pending = mergers_repo.cases_at(uow, old, batch)
        if not pending:
            break
        for case_id in pending:
            with uows() as uow:
                if _move_case(uow, courts, case_id, old, successor, on, now()):
                    report.moved.append(case_id)
                if before_commit is not None:
                    before_commit(uow, case_id)
                uow.commit()
    with uows() as uow:
        mergers_repo.complete(uow, old, now())
        uow.commit()
    return report
