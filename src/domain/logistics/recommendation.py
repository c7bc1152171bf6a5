"""A carrier recommended for a parcel (LOG-3): rules first — the carrier is active, serves
the receiver's region, takes the weight, collects cash on delivery when the order needs
it — then the cheapest price table among those left (by code on a tie)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.logistics.carrier import Carrier
from domain.logistics.rates import PriceTable, region_key


@dataclass(frozen=True)
class Option:
    carrier: Carrier
    postage: Decimal | None  # the estimated postage, when the rules let it carry
    refusal: str | None  # the first rule it fails: inactive, region_not_served, ...


@dataclass(frozen=True)
class Recommendation:
    region: str
    grams: int
    cash_on_delivery: bool
    options: tuple[Option, ...]  # the eligible cheapest first, then the refused by code

    @property
    def best(self) -> Option | None:
        first = self.options[0] if self.options else None
        return first if first is not None and first.refusal is None else None


def _option(
    carrier: Carrier, table: PriceTable | None, region: str, grams: int, cod: bool
) -> Option:
    rate = table.rate_for(region) if table is not None else None
    refusal = (
        "inactive"
        if not carrier.active
        else "region_not_served"
        if rate is None
        else "too_heavy"
        if grams > rate.max_grams
        else "no_cash_on_delivery"
        if cod and not carrier.cash_on_delivery
        else None
    )
    postage = rate.postage(grams) if rate is not None and refusal is None else None
    return Option(carrier, postage, refusal)


def recommend(
    carriers: Sequence[tuple[Carrier, PriceTable | None]], region: str, grams: int, cod: bool
) -> Recommendation:
    options = [_option(carrier, table, region, grams, cod) for carrier, table in carriers]
    eligible = sorted(
        (o for o in options if o.refusal is None),
        key=lambda o: (o.postage, o.carrier.code),
    )
    refused = sorted((o for o in options if o.refusal is not None), key=lambda o: o.carrier.code)
    return Recommendation(region_key(region), grams, cod, (*eligible, *refused))
