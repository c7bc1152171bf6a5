"""Return rates per SKU and SPU on hand-made figures (LOG-4)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from domain.aftersales.analysis import SkuFigures, rate, rates

SHIRT, MUG = uuid.uuid4(), uuid.uuid4()
S, M, L, CUP = (uuid.uuid4() for _ in range(4))


def test_rates_per_sku_and_per_product() -> None:
    skus, spus = rates(
        [
            SkuFigures(S, "TS-S", SHIRT, "T恤", sold=10, returned=1),
            SkuFigures(M, "TS-M", SHIRT, "T恤", sold=20, returned=6),
            SkuFigures(L, "TS-L", SHIRT, "T恤", sold=0, returned=2),  # sold before the period
            SkuFigures(CUP, "MUG", MUG, "马克杯", sold=3, returned=0),
        ]
    )
    assert [(r.code, r.sold, r.returned, r.rate) for r in skus] == [
        ("TS-M", 20, 6, Decimal("0.3000")),
        ("TS-S", 10, 1, Decimal("0.1000")),
        ("MUG", 3, 0, Decimal("0.0000")),
        ("TS-L", 0, 2, None),
    ]
    assert [(r.id, r.sold, r.returned, r.rate) for r in spus] == [
        (SHIRT, 30, 9, Decimal("0.3000")),
        (MUG, 3, 0, Decimal("0.0000")),
    ]


def test_a_rate_is_rounded_half_up_to_four_places() -> None:
    assert rate(3, 1) == Decimal("0.3333") and rate(3, 2) == Decimal("0.6667")
    assert rate(0, 0) is None
