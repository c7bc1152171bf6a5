"""Publishing products on sales channels (上架/下架, CAT-7, CHN-1) and their channel
prices: builds each use case's command or query and hands it to the runner.

Events ``product.published`` / ``product.unpublished`` (data ``{channelId}``) go through
the outbox; a change of channel prices is ``product.updated`` with ``channelPrices``.
Pushing to a marketplace is a connector's job (CHN-2), driven by those events.
"""

from __future__ import annotations

from uuid import UUID

from application.catalog.listings.common import PriceInput
from application.catalog.listings.publish import PublishListing, PublishListingHandler
from application.catalog.listings.queries import ListingsOf, ListingsOfHandler
from application.catalog.listings.set_prices import SetListingPrices, SetListingPricesHandler
from application.catalog.listings.unpublish import UnpublishListing, UnpublishListingHandler
from application.shared.clock import Clock
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from domain.catalog.channel import Listing


class ListingService:
    """``publish``, ``unpublish``, ``set_prices`` and ``listings_of``."""

    def __init__(self, runner: CommandRunner, clock: Clock) -> None:
        self._runner = runner
        self._publish = PublishListingHandler(clock)
        self._unpublish = UnpublishListingHandler(clock)

    @runs(ListingsOf)
    async def listings_of(self, ctx: CallContext, product_id: UUID) -> list[Listing]:
        return await self._runner.query(ctx, ListingsOf(product_id), ListingsOfHandler())

    @runs(PublishListing)
    async def publish(
        self,
        ctx: CallContext,
        product_id: UUID,
        channel_id: UUID,
        prices: PriceInput | None = None,
    ) -> Listing:
        command = PublishListing(product_id, channel_id, prices)
        return await self._runner.run(ctx, command, self._publish)

    @runs(UnpublishListing)
    async def unpublish(self, ctx: CallContext, product_id: UUID, channel_id: UUID) -> Listing:
        command = UnpublishListing(product_id, channel_id)
        return await self._runner.run(ctx, command, self._unpublish)

    @runs(SetListingPrices)
    async def set_prices(
        self,
        ctx: CallContext,
        product_id: UUID,
        channel_id: UUID,
        prices: PriceInput,
        expected_version: int | None,
    ) -> Listing:
        command = SetListingPrices(product_id, channel_id, prices, expected_version)
        return await self._runner.run(ctx, command, SetListingPricesHandler())
