"""A carrier's price table (LOG-3): the regions it serves (its service area) and, per
group of regions, the postage by weight — a first weight at a first price, then each
started kilogram above it at the additional price — up to the heaviest parcel it takes.

Prices are exact to the fen; a region is a province, keyed without its suffix
(``广东省`` and ``广东`` are one region: ``region_key``), and is in one rate at most.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from domain.logistics.money import checked_amount
from domain.shared.errors import ValidationFailed

MAX_RATES, MAX_REGIONS = 100, 100
MAX_GRAMS = 1_000_000  # as a shipment's weight
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


def region_key(region: str) -> str:
    """A province as the price tables key it: trimmed, without 省, 市 or 自治区."""
    key = region.strip()
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


@dataclass(frozen=True)
class Rate:
    regions: tuple[str, ...]
    first_grams: int
    first_price: Decimal
    additional_per_kg: Decimal
    max_grams: int

    def postage(self, grams: int) -> Decimal:
        """The first price, plus the additional price per started kilogram above."""
        extra_kg = -(-max(0, grams - self.first_grams) // 1000)
        return self.first_price + self.additional_per_kg * extra_kg


def _grams(value: int, field: str) -> int:
    if not 0 < value <= MAX_GRAMS:
        raise ValidationFailed.single(field, "weight_out_of_range", max=MAX_GRAMS)
    return value


def checked_rates(rates: Sequence[Rate]) -> tuple[Rate, ...]:
    """The rates with their regions keyed; refused: too many, a rate without regions, a
    region twice, a weight out of range or under the first weight, a price not in fen."""
    if len(rates) > MAX_RATES:
        raise ValidationFailed.single("rates", "too_many_items", max=MAX_RATES)
    seen: set[str] = set()
    checked = []
    for i, rate in enumerate(rates):
        at = f"rates[{i}]"
        regions = tuple(dict.fromkeys(region_key(r) for r in rate.regions if region_key(r)))
        if not regions or len(regions) > MAX_REGIONS:
            raise ValidationFailed.single(f"{at}.regions", "rate_regions_needed", max=MAX_REGIONS)
        twice = seen.intersection(regions)
        if twice:
            raise ValidationFailed.single(f"{at}.regions", "region_priced_twice", region=min(twice))
        seen.update(regions)
        first = _grams(rate.first_grams, f"{at}.firstWeightGrams")
        heaviest = _grams(rate.max_grams, f"{at}.maxWeightGrams")
        if heaviest < first:
            raise ValidationFailed.single(f"{at}.maxWeightGrams", "max_under_first_weight")
        checked.append(
            Rate(
                regions,
                first,
                checked_amount(rate.first_price, f"{at}.firstPrice"),
                checked_amount(rate.additional_per_kg, f"{at}.additionalPerKg"),
                heaviest,
            )
        )
    return tuple(checked)


@dataclass(frozen=True)
class PriceTable:
    carrier_id: UUID
    rates: tuple[Rate, ...] = ()
    version: int = 0  # 0: never set

    @property
    def regions(self) -> tuple[str, ...]:
        """The service area."""
        return tuple(region for rate in self.rates for region in rate.regions)

    def rate_for(self, region: str) -> Rate | None:
        key = region_key(region)
        return next((rate for rate in self.rates if key in rate.regions), None)

    def postage(self, region: str, grams: int) -> Decimal | None:
        """The postage of a parcel to ``region``; None where the carrier does not go or
        the parcel is heavier than it takes."""
        rate = self.rate_for(region)
        if rate is None or grams > rate.max_grams:
            return None
        return rate.postage(grams)
