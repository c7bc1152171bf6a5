"""/api/v1/logistics: a carrier's price table and service area, and the carrier recommended
for an order (LOG-3)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, put
from litestar.params import FromPath, JSONBody, QueryParameter

from application.logistics.rates import GetPriceTable, SetPriceTable
from application.logistics.recommending import RecommendCarrier
from domain.logistics.rates import PriceTable
from domain.logistics.recommendation import Option
from entrypoints.http.conventions import etagged
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion
from entrypoints.http.logistics.schemas import (
    OptionOut,
    PriceTableIn,
    PriceTableOut,
    RateOut,
    RecommendationOut,
)
from entrypoints.http.permissions import needs


def price_table_out(table: PriceTable) -> PriceTableOut:
    return PriceTableOut(
        table.carrier_id,
        list(table.regions),
        [RateOut.of_rate(rate) for rate in table.rates],
        table.version,
    )


def option_out(option: Option) -> OptionOut:
    carrier = option.carrier
    return OptionOut(carrier.id, carrier.code, carrier.name, option.postage, option.refusal)


class PriceTablesController(Controller):
    path = "/carriers/{carrier_id:uuid}/price-table"

    @get("/", opt=needs(GetPriceTable))
    async def get_price_table(
        self, ctx: Context, use_cases: Dispatch, carrier_id: FromPath[UUID]
    ) -> Response[PriceTableOut]:
        """The carrier's rates by region and weight; their regions are its service area."""
        return etagged(price_table_out, await use_cases.query(ctx, GetPriceTable(carrier_id)))

    @put("/", opt=needs(SetPriceTable))
    async def put_price_table(
        self,
        ctx: Context,
        use_cases: Dispatch,
        carrier_id: FromPath[UUID],
        data: JSONBody[PriceTableIn],
        expected_version: ExpectedVersion,
    ) -> Response[PriceTableOut]:
        """Replace the carrier's price table (If-Match; "v0" the first time)."""
        command = SetPriceTable(
            carrier_id, tuple(rate.rate() for rate in data.rates), expected_version
        )
        return etagged(price_table_out, await use_cases.run(ctx, command))


class RecommendationsController(Controller):
    path = "/orders/{order_id:uuid}/recommendation"

    @get("/", opt=needs(RecommendCarrier))
    async def recommend_carrier(
        self,
        ctx: Context,
        use_cases: Dispatch,
        order_id: FromPath[UUID],
        grams: Annotated[int | None, QueryParameter(name="grams")] = None,
    ) -> RecommendationOut:
        """The carriers for the order: those the rules leave (region served, weight,
        cash on delivery), cheapest first with the estimated postage, then those refused
        and why."""
        found = await use_cases.query(ctx, RecommendCarrier(order_id, grams))
        best = found.best
        return RecommendationOut(
            found.region,
            found.grams,
            found.cash_on_delivery,
            option_out(best) if best else None,
            [option_out(option) for option in found.options],
        )
