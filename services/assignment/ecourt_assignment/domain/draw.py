"""The weighted random draw (modelled on Brazil's PJe), made publicly verifiable.

How a judge is drawn for a case:

1. **Weight.** The case weighs ``class weight × party factor`` (``weights.yaml``, versioned data).
2. **Candidates.** The active judges of the court whose specializations cover the case type's field.
   Each carries a running load total.
3. **Eligible set.** A judge whose total is within ``max_distance`` of the lowest total is eligible;
   every other candidate still enters with ``outsider_chance`` (25%), so the result stays unpredictable
   even to someone who knows every total.
4. **Winner.** Drawn uniformly from the eligible set. The winner's total grows by ``weight / capacity``
   (a judge at capacity 0.5 accrues double).

What makes it verifiable: the randomness is not taken from the machine during the draw. A 32-byte seed
is generated first and its SHA-256 (the *commitment*) is recorded before anything is drawn. Every random
choice then comes from ``HMAC-SHA256(seed, "<case_id>|<counter>")``, counter 0, 1, 2, … in a fixed order
(out-of-band candidates sorted by judge id, then the winner). The record holds the seed, the commitment,
the candidates with their totals, the weight and the parameters, so anyone can recompute the draw with
:func:`verify_draw` and get the same eligible set and the same winner, or find that the record was altered.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from ecourt_assignment.domain.rules import DrawParameters, RuleDataError, WeightTable

ALGORITHM = "ecourt-draw/1"
QUANTUM = Decimal("0.0001")  # loads and weights are kept to 4 decimal places (NUMERIC(…, 4) in the database)
SEED_BYTES = 32


class NoCandidates(ValueError):
    """No active judge of the court is competent for the case: there is nobody to draw."""


def _q(value: Decimal) -> Decimal:
    return value.quantize(QUANTUM, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class CaseWeight:
    value: Decimal
    table_version: str
    case_type: str
    stage: str
    party_count: int
    class_weight: Decimal
    party_factor: Decimal

    def as_record(self) -> dict[str, Any]:
        return {"value": str(self.value), "table_version": self.table_version, "case_type": self.case_type,
                "stage": self.stage, "party_count": self.party_count, "class_weight": str(self.class_weight),
                "party_factor": str(self.party_factor)}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> CaseWeight:
        return cls(value=Decimal(record["value"]), table_version=str(record["table_version"]),
                   case_type=str(record["case_type"]), stage=str(record["stage"]),
                   party_count=int(record["party_count"]), class_weight=Decimal(record["class_weight"]),
                   party_factor=Decimal(record["party_factor"]))


def case_weight(table: WeightTable, case_type: str, stage: str, party_count: int) -> CaseWeight:
    """The weight of a case under ``table``; LookupError if the table has no class weight for it."""
    try:
        class_weight = table.class_weights[case_type][stage]
    except KeyError:
        raise LookupError(f"weight table {table.version} has no class weight for {case_type}-{stage}") from None
    factor = next(f for threshold, f in reversed(table.party_factors) if party_count >= threshold)
    return CaseWeight(value=_q(class_weight * factor), table_version=table.version, case_type=case_type,
                      stage=stage, party_count=party_count, class_weight=class_weight, party_factor=factor)


def accrual(weight: Decimal, capacity: Decimal) -> Decimal:
    """What a judge's load total grows by for a case: a judge at half capacity accrues double."""
    if not Decimal(0) < capacity <= Decimal(1):
        raise ValueError(f"capacity must be within (0, 1], got {capacity}")
    return _q(weight / capacity)


def new_seed() -> bytes:
    return secrets.token_bytes(SEED_BYTES)


def seed_commitment(seed: bytes) -> str:
    return hashlib.sha256(seed).hexdigest()


class SeededStream:
    """Deterministic random choices: block n is ``HMAC-SHA256(seed, f"{case_id}|{n}")``."""

    def __init__(self, seed: bytes, case_id: str) -> None:
        if len(seed) != SEED_BYTES:
            raise ValueError(f"the seed must have {SEED_BYTES} bytes, got {len(seed)}")
        self._seed = seed
        self._case_id = case_id
        self.counter = 0

    def next_block(self) -> bytes:
        block = hmac.new(self._seed, f"{self._case_id}|{self.counter}".encode(), hashlib.sha256).digest()
        self.counter += 1
        return block

    def chance(self, probability: Decimal) -> bool:
        """True with exactly ``probability`` (64 random bits compared as fractions, no float rounding)."""
        value = int.from_bytes(self.next_block()[:8], "big")
        return Fraction(value, 2**64) < Fraction(probability)

    def below(self, n: int) -> int:
        """A uniform integer in [0, n), by rejection sampling (no modulo bias)."""
        if n < 1:
            raise ValueError("n must be positive")
        space = 2**256
        limit = space - space % n
        while True:
            value = int.from_bytes(self.next_block(), "big")
            if value < limit:
                return value % n


@dataclass(frozen=True)
class Candidate:
    judge_id: str
    capacity: Decimal
    total: Decimal


@dataclass(frozen=True)
class EvaluatedCandidate:
    judge_id: str
    capacity: Decimal
    total: Decimal
    distance: Decimal  # total minus the lowest total among the candidates
    in_band: bool  # distance <= max_distance
    entered: bool  # in the eligible set (in the band, or by the outsider chance)

    def as_record(self) -> dict[str, Any]:
        return {"judge_id": self.judge_id, "capacity": str(self.capacity), "total": str(self.total),
                "distance": str(self.distance), "in_band": self.in_band, "entered": self.entered}


@dataclass(frozen=True)
class DrawOutcome:
    case_id: str
    seed: bytes
    weight: CaseWeight
    parameters: DrawParameters
    candidates: tuple[EvaluatedCandidate, ...]
    eligible: tuple[str, ...]
    winner: str
    accrual: Decimal
    random_blocks_used: int

    @property
    def seed_commitment(self) -> str:
        return seed_commitment(self.seed)

    def record(self) -> dict[str, Any]:
        """Everything an auditor needs to replay the draw (JSON-ready; decimals as strings)."""
        return {"algorithm": ALGORITHM, "case_id": self.case_id, "seed_commitment": self.seed_commitment,
                "seed": self.seed.hex(), "weight": self.weight.as_record(),
                "parameters": self.parameters.as_record(),
                "candidates": [c.as_record() for c in self.candidates], "eligible": list(self.eligible),
                "winner": self.winner, "accrual": str(self.accrual), "random_blocks_used": self.random_blocks_used}


def run_draw(case_id: str, candidates: Iterable[Candidate], weight: CaseWeight, parameters: DrawParameters,
             seed: bytes) -> DrawOutcome:
    """Draw a judge for ``case_id``. Same inputs, same seed: same outcome, on any machine."""
    ordered = sorted(candidates, key=lambda c: c.judge_id)
    if not ordered:
        raise NoCandidates(case_id)
    if len({c.judge_id for c in ordered}) != len(ordered):
        raise ValueError("a judge appears twice among the candidates")
    stream = SeededStream(seed, case_id)
    lowest = min(c.total for c in ordered)
    evaluated = []
    for c in ordered:
        distance = c.total - lowest
        in_band = distance <= parameters.max_distance
        entered = in_band or stream.chance(parameters.outsider_chance)
        evaluated.append(EvaluatedCandidate(c.judge_id, c.capacity, c.total, distance, in_band, entered))
    eligible = tuple(c.judge_id for c in evaluated if c.entered)  # never empty: the lowest is always in the band
    winner = eligible[stream.below(len(eligible))]
    capacity = next(c.capacity for c in ordered if c.judge_id == winner)
    return DrawOutcome(case_id=case_id, seed=seed, weight=weight, parameters=parameters,
                       candidates=tuple(evaluated), eligible=eligible, winner=winner,
                       accrual=accrual(weight.value, capacity), random_blocks_used=stream.counter)


def _candidates_from(record: Sequence[Mapping[str, Any]]) -> list[Candidate]:
    return [Candidate(judge_id=str(c["judge_id"]), capacity=Decimal(c["capacity"]), total=Decimal(c["total"]))
            for c in record]


def verify_draw(record: Mapping[str, Any], table: WeightTable | None = None) -> bool:
    """Replay a recorded draw; True only if the seed matches its commitment and every recorded result
    (distances, band, entries, eligible set, winner, accrual) follows from the recorded inputs.

    With ``table`` (the weight table of the same version), the case weight is also checked against it.
    A malformed record is simply not verified (False), never an exception.
    """
    try:
        if record["algorithm"] != ALGORITHM:
            return False
        seed_hex = str(record["seed"])
        if len(seed_hex) != 2 * SEED_BYTES:
            return False
        seed = bytes.fromhex(seed_hex)
        if not hmac.compare_digest(seed_commitment(seed), str(record["seed_commitment"]).lower()):
            return False
        weight = CaseWeight.from_record(record["weight"])
        if weight.value != _q(weight.class_weight * weight.party_factor):
            return False
        if table is not None and table.version == weight.table_version:
            expected = case_weight(table, weight.case_type, weight.stage, weight.party_count)
            if expected != weight:
                return False
        replay = run_draw(str(record["case_id"]), _candidates_from(record["candidates"]), weight,
                          DrawParameters.from_record(record["parameters"]), seed)
        replayed = replay.record()
        return all(replayed[key] == record[key]
                   for key in ("candidates", "eligible", "winner", "accrual", "random_blocks_used"))
    except (KeyError, TypeError, ValueError, LookupError, StopIteration, ArithmeticError, RuleDataError):
        return False
