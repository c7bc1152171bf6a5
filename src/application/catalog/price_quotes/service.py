"""The price query's facade (CAT-10)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.catalog.price_quotes.quote import QuotePrice, QuotePriceHandler, QuoteView
from application.shared.clock import Clock
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.use_case import runs


class PriceQuoteService:
    def __init__(self, runner: CommandRunner, clock: Clock) -> None:
        self._runner = runner
        self._quote = QuotePriceHandler(clock)

    @runs(QuotePrice)
    async def quote(
        self,
        ctx: CallContext,
        sku_id: UUID,
        channel_id: UUID | None,
        tier: str | None,
        at: datetime | None,
    ) -> QuoteView:
        query = QuotePrice(sku_id, channel_id, tier, at)
        return await self._runner.query(ctx, query, self._quote)
