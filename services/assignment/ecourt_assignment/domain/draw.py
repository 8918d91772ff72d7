"""The weighted random draw (modelled on Brazil's PJe), made publicly verifiable.

How a judge is drawn for a case:

1. **Weight.** The case weighs ``class weight × party factor`` (``weights.yaml``, versioned data).
2. **Candidates.** The active judges of the court whose specializations cover the case type's field.
   Each carries a running load total.
3. **Eligible set.** A judge whose total is within ``max_distance`` of the lowest total is eligible;
   every other candidate still enters with ``outsider_chance`` (25%, the escape), so the result stays
   unpredictable even to someone who knows every total. Under ``ecourt-draw/2`` an outsider farther than
   ``escape_ceiling`` from the lowest total never enters: without that ceiling, with 30 judges the escapes win
   about 30% of the draws and the loads drift apart without bound (spread 45 after 10,000 draws, measured by
   ``ecourt assignment simulate``); with it, they stay within the ceiling plus one case.
4. **Winner.** Drawn uniformly from the eligible set. The winner's total grows by ``weight / capacity``
   (a judge at capacity 0.5 accrues double).

What makes it verifiable: the randomness is not taken from the machine during the draw. A 32-byte seed
is generated first and its SHA-256 (the *commitment*) is committed and published before anything is drawn
(``service_layer.drawing``). Every random
choice then comes from ``HMAC-SHA256(seed, "<case_id>|<counter>")``, counter 0, 1, 2, … in a fixed order
(out-of-band candidates sorted by judge id, then the winner). The record holds the seed, the commitment,
the candidates with their totals, the weight and the parameters, so anyone can recompute the draw with
:func:`verify_draw` and get the same eligible set and the same winner, or find that the record was altered.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from ecourt_assignment.domain.rules import DrawParameters, RuleDataError, WeightTable

ALGORITHM = "ecourt-draw/2"  # the current algorithm (ecourt-draw/1 records still replay)
ALGORITHMS = ("ecourt-draw/1", "ecourt-draw/2")
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
    excluded: tuple[tuple[str, str], ...] = ()  # (judge_id, reason): competent judges kept out of the draw

    @property
    def seed_commitment(self) -> str:
        return seed_commitment(self.seed)

    def record(self) -> dict[str, Any]:
        """Everything an auditor needs to replay the draw (JSON-ready; decimals as strings)."""
        return {"algorithm": self.parameters.algorithm, "case_id": self.case_id,
                "seed_commitment": self.seed_commitment, "seed": self.seed.hex(), "weight": self.weight.as_record(),
                "parameters": self.parameters.as_record(),
                "candidates": [c.as_record() for c in self.candidates], "eligible": list(self.eligible),
                "winner": self.winner, "accrual": str(self.accrual), "random_blocks_used": self.random_blocks_used,
                "excluded": [{"judge_id": j, "reason": r} for j, r in self.excluded]}

    @property
    def escape(self) -> bool:
        """The winner was outside the band and entered by the outsider chance."""
        return not next(c for c in self.candidates if c.judge_id == self.winner).in_band


def run_draw(case_id: str, candidates: Iterable[Candidate], weight: CaseWeight, parameters: DrawParameters,
             seed: bytes, excluded: Iterable[tuple[str, str]] = ()) -> DrawOutcome:
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
        # every out-of-band candidate uses one random block, even beyond the ceiling: the number of blocks used
        # then binds the candidate set, so a candidate removed from (or added to) the record does not replay
        escaped = not in_band and stream.chance(parameters.outsider_chance)
        beyond = parameters.escape_ceiling is not None and distance > parameters.escape_ceiling
        entered = in_band or (escaped and not beyond)
        evaluated.append(EvaluatedCandidate(c.judge_id, c.capacity, c.total, distance, in_band, entered))
    eligible = tuple(c.judge_id for c in evaluated if c.entered)  # never empty: the lowest is always in the band
    winner = eligible[stream.below(len(eligible))]
    capacity = next(c.capacity for c in ordered if c.judge_id == winner)
    return DrawOutcome(case_id=case_id, seed=seed, weight=weight, parameters=parameters,
                       candidates=tuple(evaluated), eligible=eligible, winner=winner,
                       accrual=accrual(weight.value, capacity), random_blocks_used=stream.counter,
                       excluded=tuple(sorted(excluded)))


def _candidates_from(record: Sequence[Mapping[str, Any]]) -> list[Candidate]:
    return [Candidate(judge_id=str(c["judge_id"]), capacity=Decimal(c["capacity"]), total=Decimal(c["total"]))
            for c in record]


REPLAYED_KEYS = ("candidates", "eligible", "winner", "accrual", "random_blocks_used")


def differences(record: Mapping[str, Any], tables: Callable[[str], WeightTable | None] | None = None) -> list[str]:
    """Replay a recorded draw from the record alone; the list of what does not follow (empty: verified).

    Checks, in order: the algorithm; the seed against its commitment; the case weight against its factors
    (and against the weight table of the recorded version, when ``tables`` can find it); that no excluded
    judge was a candidate; then every recorded result (distances, band, entries, eligible set, winner,
    accrual, random blocks used) against a replay. A malformed record is a difference, never an exception.
    """
    try:
        if record["algorithm"] not in ALGORITHMS:
            return [f"algorithm: {record['algorithm']!r} is not one of {', '.join(ALGORITHMS)}"]
        if DrawParameters.from_record(record["parameters"]).algorithm != record["algorithm"]:
            return [f"algorithm: {record['algorithm']!r} does not match the parameters {record['parameters']}"]
        seed_hex = str(record["seed"])
        if len(seed_hex) != 2 * SEED_BYTES:
            return [f"seed: must be {2 * SEED_BYTES} hexadecimal digits"]
        seed = bytes.fromhex(seed_hex)
        found: list[str] = []
        if not hmac.compare_digest(seed_commitment(seed), str(record["seed_commitment"]).lower()):
            found.append(f"seed_commitment: the seed hashes to {seed_commitment(seed)}, "
                         f"the record commits to {record['seed_commitment']}")
        weight = CaseWeight.from_record(record["weight"])
        if weight.value != _q(weight.class_weight * weight.party_factor):
            found.append(f"weight.value: recorded {weight.value}, class weight × party factor gives "
                         f"{_q(weight.class_weight * weight.party_factor)}")
        table = tables(weight.table_version) if tables is not None else None
        if tables is not None and table is None:
            found.append(f"weight.table_version: no weight table {weight.table_version!r} is known")
        if table is not None:
            expected = case_weight(table, weight.case_type, weight.stage, weight.party_count)
            if expected != weight:
                found.append(f"weight: the table {table.version} gives {expected.as_record()}, "
                             f"the record has {weight.as_record()}")
            if DrawParameters.from_record(record["parameters"]) != table.draw:
                found.append(f"parameters: the table {table.version} has {table.draw.as_record()}, "
                             f"the record has {record['parameters']}")
        excluded = [(str(e["judge_id"]), str(e["reason"])) for e in record.get("excluded") or []]
        clash = sorted({j for j, _ in excluded} & {str(c["judge_id"]) for c in record["candidates"]})
        if clash:
            found.append(f"excluded: judge(s) {', '.join(clash)} are both excluded and candidates")
        replay = run_draw(str(record["case_id"]), _candidates_from(record["candidates"]), weight,
                          DrawParameters.from_record(record["parameters"]), seed, excluded)
        replayed = replay.record()
        for key in REPLAYED_KEYS:
            if replayed[key] != record[key]:
                found.append(f"{key}: recorded {_short(record[key])}, replay gives {_short(replayed[key])}")
        return found
    except (KeyError, TypeError, ValueError, LookupError, StopIteration, ArithmeticError, RuleDataError) as exc:
        return [f"record: malformed ({type(exc).__name__}: {exc})"]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 300 else text[:297] + "..."


def verify_draw(record: Mapping[str, Any], table: WeightTable | None = None) -> bool:
    """True only if :func:`differences` finds nothing. With ``table``, a record made under that table's version
    is also checked against it (a record of another version is checked for its own consistency only)."""
    def lookup(version: str) -> WeightTable | None:
        return table

    version = record.get("weight", {}).get("table_version") if isinstance(record.get("weight"), Mapping) else None
    same_version = table is not None and version == table.version
    return not differences(record, lookup if same_version else None)
