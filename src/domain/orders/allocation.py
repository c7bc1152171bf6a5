"""Sharing an amount between parts to the minor unit: largest remainder (Hamilton).

Each part gets the floor of its exact share; the units left over go one each to the parts
with the largest remainders (ties to the earlier part). The parts always add up to the
whole, a part never gets more than one unit above its exact share, and equal inputs give
equal outputs — so a split can be undone exactly by adding the parts back up.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal


def allocate(amount: Decimal, weights: Sequence[Decimal | int], step: Decimal) -> list[Decimal]:
    """``amount`` (a multiple of ``step``, not negative) shared in proportion to ``weights``.
    With every weight zero, the first part takes it all."""
    total_weight = sum((Decimal(w) for w in weights), Decimal(0))
    if not weights:
        return []
    if total_weight == 0:
        return [amount] + [Decimal(0).quantize(step)] * (len(weights) - 1)
    units = int(amount / step)
    exact = [Decimal(units) * Decimal(w) / total_weight for w in weights]
    floors = [int(share.to_integral_value(rounding=ROUND_FLOOR)) for share in exact]
    left = units - sum(floors)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[:left]:
        floors[i] += 1
    return [(Decimal(n) * step).quantize(step) for n in floors]
