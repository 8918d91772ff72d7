"""How evenly the work is spread: spread and Gini index of load totals (plain Python, exact decimals)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal


def spread(totals: Sequence[Decimal]) -> Decimal:
    """Highest minus lowest (0 for fewer than two)."""
    return max(totals) - min(totals) if totals else Decimal(0)


def gini(totals: Sequence[Decimal]) -> Decimal:
    """Gini index in [0, 1): 0 when every total is equal; 4 decimal places.

    G = Σ_i Σ_j |x_i − x_j| / (2 n² mean), computed in O(n log n) from the sorted values.
    """
    values = sorted(totals)
    n = len(values)
    total = sum(values, Decimal(0))
    if n == 0 or total == 0:
        return Decimal("0.0000")
    weighted = sum((Decimal(2 * (i + 1) - n - 1) * x for i, x in enumerate(values)), Decimal(0))
    return (weighted / (n * total)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)
