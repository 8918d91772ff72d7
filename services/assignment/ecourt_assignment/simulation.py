"""A repeatable simulation of many draws over one court, on the real draw code (no database).

Used by the tests (the band holds over 10,000 draws; every draw of a run replays) and by
``ecourt assignment simulate``. Judges have mixed capacities (full, three-quarter, half time); cases are civil,
family, business and labour cases of 1 to 7 parties at first instance, weighed with the weight table in force.
Each draw's seed comes from ``SHA-256(run seed | draw number)`` so a run is repeatable; the service itself uses
``secrets``.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ecourt_assignment.domain.draw import Candidate, case_weight, run_draw
from ecourt_assignment.domain.fairness import gini, spread
from ecourt_assignment.domain.rules import WeightTable, weight_tables

CAPACITIES = (Decimal("1"), Decimal("1"), Decimal("0.75"), Decimal("0.5"))
CASE_TYPES = ("DS", "DS", "HNGĐ", "HNGĐ", "KDTM", "LĐ")


@dataclass
class SimulationResult:
    table: WeightTable
    capacities: dict[str, Decimal]
    totals: dict[str, Decimal]
    records: list[dict[str, Any]] = field(default_factory=list)
    escapes: int = 0
    largest_accrual: Decimal = Decimal(0)
    widest_spread: Decimal = Decimal(0)  # the largest spread seen after any draw

    @property
    def spread(self) -> Decimal:
        return spread(list(self.totals.values()))

    @property
    def gini(self) -> Decimal:
        return gini(list(self.totals.values()))

    @property
    def band_limit(self) -> Decimal:
        """How far apart loads may ever be: the band's hard edge (the escape ceiling, or the band itself without
        one) plus one case at the heaviest accrual seen (a judge at the edge may still take one case)."""
        edge = self.table.draw.escape_ceiling
        return (self.table.draw.max_distance if edge is None else edge) + self.largest_accrual

    def summary(self) -> str:
        n = len(self.records)
        cases = {j: 0 for j in self.totals}
        for r in self.records:
            cases[r["winner"]] += 1
        lines = [f"{n} draws over {len(self.totals)} judges (weight table {self.table.version}, "
                 f"max_distance {self.table.draw.max_distance}, outsider_chance {self.table.draw.outsider_chance}, "
                 f"escape_ceiling {self.table.draw.escape_ceiling})",
                 f"final spread {self.spread} (band limit {self.band_limit}); widest spread during the run "
                 f"{self.widest_spread}; Gini {self.gini}; escapes {self.escapes} "
                 f"({100 * self.escapes / max(n, 1):.2f}%)",
                 "judge      capacity  cases  load_total"]
        for judge_id in sorted(self.totals):
            capacity, total = self.capacities[judge_id], self.totals[judge_id]
            lines.append(f"{judge_id:<10} {capacity:>8}  {cases[judge_id]:>5}  {total}")
        return "\n".join(lines)


def simulate(draws: int = 10_000, judges: int = 30, seed: str = "ecourt-simulation",
             keep_records: bool = True) -> SimulationResult:
    rng = random.Random(seed)  # the case mix only; draws use their own seeds below
    table = weight_tables().tables[-1]
    capacities = {f"TP-{n:03d}": CAPACITIES[n % len(CAPACITIES)] for n in range(1, judges + 1)}
    result = SimulationResult(table=table, capacities=capacities, totals={j: Decimal("0.0000") for j in capacities})
    for n in range(draws):
        case_id = f"SIM{n:015d}"
        weight = case_weight(table, rng.choice(CASE_TYPES), "ST", rng.randint(1, 7))
        draw_seed = hashlib.sha256(f"{seed}|{n}".encode()).digest()
        outcome = run_draw(case_id, [Candidate(j, capacities[j], t) for j, t in result.totals.items()], weight,
                           table.draw, draw_seed)
        result.totals[outcome.winner] += outcome.accrual
        result.largest_accrual = max(result.largest_accrual, outcome.accrual)
        result.widest_spread = max(result.widest_spread, result.spread)
        result.escapes += outcome.escape
        if keep_records:
            result.records.append(outcome.record())
    return result
