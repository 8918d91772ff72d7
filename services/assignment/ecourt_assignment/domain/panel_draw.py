"""Drawing a trial panel from one committed seed, every seat replayable.

A panel draw commits to one 32-byte seed (published as its SHA-256 before anything is drawn, as for a single
judge). Each seat then gets its own seed, ``HMAC-SHA256(panel seed, "<case_id>|seat|<label>")``, and is filled by
the ordinary weighted draw (:func:`ecourt_assignment.domain.draw.run_draw`) over the seat's roster: judges for
judge seats, lay assessors (hội thẩm nhân dân) for assessor seats, clerks (thư ký) for the clerk seat. Seats are
drawn in the composition's fixed order; whoever already sits (the presiding judge the case is assigned to, the
winners of earlier seats) is kept out of later seats and recorded as excluded with the seat they hold.

The record keeps the panel seed and, per seat, a complete single-draw record, so :func:`panel_differences`
replays every seat with the single-draw verifier and checks what binds the seats together: each seat seed
derives from the committed seed, nobody sits twice, and the seats are those the composition asks for.
Replacing one member (recusal, illness) is a panel draw of that one seat, with the other members seated.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ecourt_assignment.domain.draw import (
    SEED_BYTES,
    Candidate,
    CaseWeight,
    DrawOutcome,
    differences,
    run_draw,
    seed_commitment,
)
from ecourt_assignment.domain.panel_rules import Composition, Seat
from ecourt_assignment.domain.rules import DrawParameters, WeightTable

PANEL_ALGORITHM = "ecourt-panel/1"


class SeatUnfilled(ValueError):
    """Nobody on the seat's roster is free to take it."""

    def __init__(self, seat: Seat, excluded: list[tuple[str, str]]) -> None:
        super().__init__(f"seat {seat.label} ({seat.kind}): no candidate")
        self.seat = seat
        self.excluded = excluded


def seat_seed(seed: bytes, case_id: str, label: str) -> bytes:
    """The seat's own seed: derived from the committed panel seed, so it is fixed once that seed is."""
    return hmac.new(seed, f"{case_id}|seat|{label}".encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class SeatDraw:
    seat: Seat
    outcome: DrawOutcome

    def as_record(self) -> dict[str, Any]:
        return {"seat": self.seat.label, "kind": self.seat.kind, "record": self.outcome.record()}


@dataclass(frozen=True)
class PanelOutcome:
    kind: str  # "panel" (a whole panel) or "replacement" (one seat)
    case_id: str
    seed: bytes
    seated: tuple[tuple[str, str], ...]  # (member_id, seat) already sitting before the draw
    seats: tuple[SeatDraw, ...]
    composition: Composition | None

    def record(self) -> dict[str, Any]:
        return {"algorithm": PANEL_ALGORITHM, "kind": self.kind, "case_id": self.case_id,
                "seed_commitment": seed_commitment(self.seed), "seed": self.seed.hex(),
                "composition": self.composition.as_record() if self.composition else None,
                "seated": [{"member_id": m, "seat": s} for m, s in self.seated],
                "seats": [s.as_record() for s in self.seats]}


def run_panel_draw(kind: str, case_id: str, seed: bytes, seats: Sequence[Seat],
                   pools: Mapping[str, Sequence[Candidate]], excluded: Mapping[str, str], weight: CaseWeight,
                   parameters: DrawParameters, seated: Mapping[str, str],
                   composition: Composition | None = None) -> PanelOutcome:
    """Fill ``seats`` in order. ``pools``: competent, active members per roster kind (or per seat label, for a seat
    with a rule of its own, e.g. the juvenile-trained assessor); ``excluded``: member ->
    why they may not sit (unavailable, conflicted, earlier stage, leaving the seat); ``seated``: member -> seat."""
    if len(seed) != SEED_BYTES:
        raise ValueError(f"the seed must have {SEED_BYTES} bytes")
    taken = dict(seated)
    drawn = []
    for seat in seats:
        pool = pools[seat.label] if seat.label in pools else pools.get(seat.kind, ())  # a seat may have its own
        kept_out = {c.judge_id: excluded[c.judge_id] for c in pool if c.judge_id in excluded}
        kept_out.update({c.judge_id: f"seated:{taken[c.judge_id]}" for c in pool if c.judge_id in taken})
        candidates = [c for c in pool if c.judge_id not in kept_out]
        if not candidates:
            raise SeatUnfilled(seat, sorted(kept_out.items()))
        outcome = run_draw(case_id, candidates, weight, parameters, seat_seed(seed, case_id, seat.label),
                           sorted(kept_out.items()))
        taken[outcome.winner] = seat.label
        drawn.append(SeatDraw(seat, outcome))
    return PanelOutcome(kind=kind, case_id=case_id, seed=seed, seated=tuple(sorted(seated.items())),
                        seats=tuple(drawn), composition=composition)


def _composition_from(record: Mapping[str, Any]) -> Composition:
    source = record["source"]
    return Composition(stage=str(record["stage"]), case_type=str(record["case_type"]), judges=int(record["judges"]),
                       assessors=int(record["assessors"]), substitute_judges=int(record["substitute_judges"]),
                       substitute_assessors=int(record["substitute_assessors"]), clerks=int(record["clerks"]),
                       source_vi=str(source["vi"]), source_en=str(source["en"]), verify=bool(source["verify"]),
                       complex=bool(record["complex"]))


def panel_differences(record: Mapping[str, Any],
                      tables: Callable[[str], WeightTable | None] | None = None) -> list[str]:
    """Replay a panel draw from its record; the list of what does not follow (empty: verified)."""
    try:
        if record["algorithm"] != PANEL_ALGORITHM:
            return [f"algorithm: {record['algorithm']!r} is not {PANEL_ALGORITHM}"]
        seed_hex = str(record["seed"])
        if len(seed_hex) != 2 * SEED_BYTES:
            return [f"seed: must be {2 * SEED_BYTES} hexadecimal digits"]
        seed, case_id = bytes.fromhex(seed_hex), str(record["case_id"])
        found: list[str] = []
        if not hmac.compare_digest(seed_commitment(seed), str(record["seed_commitment"]).lower()):
            found.append(f"seed_commitment: the seed hashes to {seed_commitment(seed)}, "
                         f"the record commits to {record['seed_commitment']}")
        sitting = {str(s["member_id"]): str(s["seat"]) for s in record["seated"]}
        labels = [str(s["seat"]) for s in record["seats"]]
        if record["kind"] == "panel":
            wanted = [s.label for s in _composition_from(record["composition"]).seats() if s.label not in
                      set(sitting.values())]
            if labels != wanted:
                found.append(f"seats: recorded {labels}, the composition asks for {wanted}")
        elif len(labels) != 1:
            found.append(f"seats: a replacement fills one seat, the record has {labels}")
        for entry in record["seats"]:
            label, sub = str(entry["seat"]), entry["record"]
            if str(sub["case_id"]) != case_id:
                found.append(f"seats[{label}].case_id: {sub['case_id']} is not {case_id}")
            if str(sub["seed"]) != seat_seed(seed, case_id, label).hex():
                found.append(f"seats[{label}].seed: does not derive from the committed panel seed")
            clash = sorted(set(sitting) & {str(c["judge_id"]) for c in sub["candidates"]})
            if clash:
                found.append(f"seats[{label}].candidates: {', '.join(clash)} already sit on the panel")
            found += [f"seats[{label}].{d}" for d in differences(sub, tables)]
            winner = str(sub["winner"])
            if winner in sitting:
                found.append(f"seats[{label}].winner: {winner} already holds seat {sitting[winner]}")
            sitting[winner] = label
        return found
    except (KeyError, TypeError, ValueError, LookupError, ArithmeticError) as exc:
        return [f"record: malformed ({type(exc).__name__}: {exc})"]


def candidates_of(rows: Sequence[Any]) -> list[Candidate]:
    """Roster rows (judges table) as draw candidates."""
    return [Candidate(r.judge_id, Decimal(r.capacity), Decimal(r.load_total)) for r in rows]
