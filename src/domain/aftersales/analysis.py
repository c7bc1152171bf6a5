"""Return analysis (LOG-4): return rates per SKU and per SPU (the product), reasons,
refund and shipping-insurance totals over a period.

The rate of a SKU is the units returned (named by return-and-refund and exchange cases
opened in the period, not rejected) over the units sold (order lines of orders placed in
the period, cancelled ones left out), to four places; a SKU returned but not sold in the
period has no rate (None) — its sale lies in an earlier period. An SPU adds up its SKUs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

RATE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class SkuFigures:
    """One SKU's units in the period, as the store counts them."""

    sku_id: UUID
    sku_code: str
    product_id: UUID
    product_name: str
    sold: int
    returned: int


@dataclass(frozen=True)
class ReturnRate:
    id: UUID  # the SKU or the product
    code: str  # the SKU's code or the product's name
    sold: int
    returned: int
    rate: Decimal | None


@dataclass(frozen=True)
class ReturnAnalysis:
    skus: tuple[ReturnRate, ...]
    spus: tuple[ReturnRate, ...]
    reasons: Mapping[str, int]  # cases per reason
    cases: int
    refund_total: Decimal
    insurance_claims: int
    insurance_total: Decimal


def rate(sold: int, returned: int) -> Decimal | None:
    if sold <= 0:
        return None
    return (Decimal(returned) / Decimal(sold)).quantize(RATE_PLACES, ROUND_HALF_UP)


def _ranked(rates: Iterable[ReturnRate]) -> tuple[ReturnRate, ...]:
    """Highest rate first (no rate last), then most returned, then by code."""
    return tuple(sorted(rates, key=lambda r: (r.rate is None, -(r.rate or 0), -r.returned, r.code)))


def rates(figures: Iterable[SkuFigures]) -> tuple[tuple[ReturnRate, ...], tuple[ReturnRate, ...]]:
    """Per SKU and per SPU (the SKUs of one product added up)."""
    skus: list[ReturnRate] = []
    spus: dict[UUID, tuple[str, int, int]] = {}
    for f in figures:
        skus.append(ReturnRate(f.sku_id, f.sku_code, f.sold, f.returned, rate(f.sold, f.returned)))
        name, sold, returned = spus.get(f.product_id, (f.product_name, 0, 0))
        spus[f.product_id] = (name, sold + f.sold, returned + f.returned)
    products = (
        ReturnRate(pid, name, sold, returned, rate(sold, returned))
        for pid, (name, sold, returned) in spus.items()
    )
    return _ranked(skus), _ranked(products)
