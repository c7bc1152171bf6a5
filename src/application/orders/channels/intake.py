"""Order intake from sales channels (ORD-9, CHN-2).

- **SKU mapping**: ``SetChannelSkuMapping`` / ``ListChannelSkuMappings`` — per tenant, which
  SKU a channel's SKU code is.
- **Connector**: ``ConfigureChannelConnector`` — the channel's connector kind and endpoint
  and the time its first pull starts from (its sync point).
- **Intake**: ``PullChannelOrders(channel_id)`` takes **one page** in one transaction: it
  locks the channel's connector row (``FOR UPDATE SKIP LOCKED``: a second scheduler pulling
  the same channel at the same moment gets nothing and stops), asks the connector for the
  page of the window being pulled, places each new platform order as a marketplace
  ``PlaceOrder`` (never refused for stock; a platform order id already known answers the
  order there, so a re-pulled page creates nothing), and advances the sync point in the
  same transaction. The window is ``[synced_until - OVERLAP, now)``: the overlap catches
  orders a platform shows late, and costs nothing (idempotent). ``ChannelIntake.pull``
  takes pages until the window is done; ``pull_everywhere`` does it for every channel
  with a connector (the scheduler's job).

What a page's orders become — placed, updated, marked ``sku_not_mapped`` and released
when the mapping arrives, refunds — is ``taking.ChannelOrders``, the path the order-file
import takes too. An order with no mapped code is audited (``order.channel_unmapped``)
and the sync point moves on; once mapped, setting the connector's ``since`` back pulls it
again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.orders.channels.ports import (
    ChannelRef,
    ConnectedChannels,
    Connectors,
    ConnectorSetting,
    OrderPage,
    SkuMapping,
)
from application.orders.channels.read_ahead import PageRequest, ReadAhead
from application.orders.channels.taking import ChannelOrders, Taken, channels_of
from application.orders.common import store_of
from application.orders.ports import ChannelError, ChannelRefunds
from application.shared.context import CallContext
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Command, Query, Reading, Work, runs
from application.shared.use_cases import UseCases
from domain.orders.channel_codes import channel_sku_code
from domain.orders.permissions import ORDERS_IMPORT, ORDERS_READ
from domain.shared.errors import NotFound, ValidationFailed

OVERLAP = timedelta(minutes=2)
MAPPING = "channel_sku_mapping"
CONNECTOR = "channel_connector"


async def channel_ref(uow: UnitOfWork, channel_id: UUID) -> ChannelRef:
    """The catalog's sales channel (its code and platform), through its published port;
    404 for a channel the tenant does not have."""
    found = await uow.of(CATALOG).channels.get(channel_id)
    if found is None:
        raise NotFound(entity="sales_channel")
    return ChannelRef(channel_id, found.code, found.platform or "")


async def _of_channel(uow: UnitOfWork, setting: ConnectorSetting | None) -> ConnectorSetting | None:
    if setting is None:
        return None
    return replace(setting, channel=await channel_ref(uow, setting.channel.channel_id))


class SetChannelSkuMapping(
    Command[SkuMapping], action="channel_sku_mapping.set", entity=MAPPING, permission=ORDERS_IMPORT
):
    channel_id: UUID
    channel_sku_code: str
    sku_id: UUID


class ListChannelSkuMappings(Query[list[SkuMapping]], entity=MAPPING, permission=ORDERS_READ):
    channel_id: UUID


class ConfigureChannelConnector(
    Command[ConnectorSetting],
    action="channel_connector.set",
    entity=CONNECTOR,
    permission=ORDERS_IMPORT,
):
    channel_id: UUID
    kind: str
    endpoint: str
    since: datetime | None = None  # where the sync point starts (or moves back to)


@dataclass(frozen=True)
class PageTaken:
    """What one page did (``Taken``), and whether the window is done (or another puller
    holds the channel)."""

    taken: Taken = field(default_factory=Taken)
    done: bool = True
    busy: bool = False


class PullChannelOrders(
    Command[PageTaken], action="order.channel_pull", entity="order", permission=ORDERS_IMPORT
):
    channel_id: UUID


class SetChannelSkuMappingHandler:
    """Sets the mapping, then re-checks the channel's orders waiting for the code: those
    whose codes are all mapped now get their lines and ``sku_not_mapped`` released."""

    def __init__(self, taking: ChannelOrders) -> None:
        self._taking = taking

    async def handle(self, command: SetChannelSkuMapping, work: Work) -> SkuMapping:
        code = channel_sku_code(command.channel_sku_code)
        await channel_ref(work.uow, command.channel_id)  # 404 for another tenant's channel
        mapping = SkuMapping(command.channel_id, code, command.sku_id)
        await channels_of(work.uow).set_mapping(mapping, work.clock.now())
        released = await self._taking.mapping_added(work, command.channel_id, code)
        work.audit(
            command.channel_id,
            None,
            {"channelSkuCode": code, "skuId": str(command.sku_id)},
            detail={"ordersReleased": released} if released else None,
        )
        return mapping


class ListChannelSkuMappingsHandler:
    async def handle(self, query: ListChannelSkuMappings, reading: Reading) -> list[SkuMapping]:
        await channel_ref(reading.uow, query.channel_id)  # 404 for another tenant's channel
        return await channels_of(reading.uow).mappings(query.channel_id)


class ConfigureChannelConnectorHandler:
    def __init__(self, kinds: tuple[str, ...]) -> None:
        self._kinds = kinds

    async def handle(self, command: ConfigureChannelConnector, work: Work) -> ConnectorSetting:
        if command.kind not in self._kinds:
            raise ValidationFailed.single("kind", "unknown_connector_kind")
        store, now = channels_of(work.uow), work.clock.now()
        channel = await channel_ref(work.uow, command.channel_id)
        known = await store.connector(command.channel_id)
        since = command.since or (known.synced_until if known else now)
        setting = ConnectorSetting(
            channel=channel,
            kind=command.kind,
            endpoint=command.endpoint,
            synced_until=since,
        )
        await store.set_connector(setting, now)
        if command.since is not None and known is not None:
            await store.advance(command.channel_id, since, None, None, now)
        work.audit(
            command.channel_id,
            None,
            {"kind": command.kind, "endpoint": command.endpoint, "since": since.isoformat()},
        )
        stored = await _of_channel(work.uow, await store.connector(command.channel_id))
        if stored is None:  # guard: the channel's foreign key refused it before this
            raise NotFound(entity=CONNECTOR)
        return stored


class PullChannelOrdersHandler:
    def __init__(
        self, connectors: Connectors, taking: ChannelOrders, read_ahead: ReadAhead
    ) -> None:
        self._connectors = connectors
        self._taking = taking
        self._read_ahead = read_ahead

    async def handle(self, command: PullChannelOrders, work: Work) -> PageTaken:
        store, now = channels_of(work.uow), work.clock.now()
        setting = await _of_channel(work.uow, await store.lock_connector(command.channel_id))
        if setting is None:
            return PageTaken(busy=True)
        until = setting.window_until or now
        since = setting.synced_until - OVERLAP
        request = PageRequest(
            setting.kind, setting.endpoint, setting.channel, since, until, setting.page_token
        )
        page = await self._read_ahead.page(request, self._fetch)
        if page.next_page_token:  # read while this page is placed (read_ahead.py)
            self._read_ahead.ask(replace(request, token=page.next_page_token), self._fetch)
        taken = await self._taking.take(work, command.channel_id, page.orders)
        if page.next_page_token:
            await store.advance(
                command.channel_id, setting.synced_until, until, page.next_page_token, now
            )
        else:
            await store.advance(command.channel_id, until, None, None, now)
        return PageTaken(taken, done=page.next_page_token is None)

    async def _fetch(self, request: PageRequest) -> OrderPage:
        connector = self._connectors.connector(request.kind, request.endpoint)
        return await connector.pull_orders(
            request.channel, request.since, request.until, request.token
        )


@dataclass(frozen=True)
class Pulled:
    taken: Taken = field(default_factory=Taken)
    pages: int = 0
    failed: str | None = None  # why the channel's pull stopped (the platform kept refusing)


class ChannelIntake:
    """Takes a channel's pages until its window is done (the scheduler's job and the
    pull-now route)."""

    def __init__(
        self, use_cases: UseCases, channels: ConnectedChannels, read_ahead: ReadAhead
    ) -> None:
        self._use_cases = use_cases
        self._channels = channels
        self._read_ahead = read_ahead

    @runs(PullChannelOrders)
    async def pull(self, ctx: CallContext, channel_id: UUID, max_pages: int = 100) -> Pulled:
        """Pages until the window is done (or ``max_pages``), each the next one's request
        sent while it is placed (``read_ahead.py``)."""
        total = Pulled()
        with self._read_ahead.during():
            for _ in range(max_pages):
                page = await self._use_cases.run(ctx, PullChannelOrders(channel_id))
                if page.busy:
                    return total
                total = Pulled(total.taken + page.taken, total.pages + 1)
                if page.done:
                    return total
        return total

    @runs(PullChannelOrders)
    async def pull_everywhere(
        self, context_of: Callable[[UUID], CallContext]
    ) -> dict[tuple[UUID, UUID], Pulled]:
        """Every channel with a connector, each on its own: a platform that keeps refusing
        (or refuses a call) stops its channel's pull (its sync point stays) and none of
        the others."""
        done: dict[tuple[UUID, UUID], Pulled] = {}
        for tenant_id, channel_id in await self._channels.all():
            try:
                done[tenant_id, channel_id] = await self.pull(context_of(tenant_id), channel_id)
            except ChannelError as refused:
                done[tenant_id, channel_id] = Pulled(failed=str(refused))
        return done


class AvailabilityPush:
    """Pushes a SKU's new sellable number on a channel (``inventory.channel_availability_
    changed``) to the channel's platform for every channel SKU code mapped to it; a channel
    without a connector or an unmapped SKU pushes nothing. Called by the event's subscriber
    in its own transaction: a platform that keeps refusing raises, and the event is
    delivered again."""

    def __init__(self, connectors: Connectors) -> None:
        self._connectors = connectors

    async def push(self, uow: UnitOfWork, sku_id: UUID, channel_id: UUID, sellable: int) -> int:
        store = channels_of(uow)
        setting = await _of_channel(uow, await store.connector(channel_id))
        if setting is None:
            return 0
        codes = [
            m.channel_sku_code for m in await store.codes_of(sku_id) if m.channel_id == channel_id
        ]
        if not codes:
            return 0
        connector = self._connectors.connector(setting.kind, setting.endpoint)
        await connector.push_availability(setting.channel, [(c, max(sellable, 0)) for c in codes])
        return len(codes)


class RefundReports(ChannelRefunds):
    """An after-sales refund of a channel's order told to its platform, for the order's
    first platform order id (``ChannelConnector.report_refund``). Called by the refund
    event's subscriber in its own transaction: a platform that keeps refusing raises, and
    the event is delivered again (the platform records a refund id once)."""

    def __init__(self, connectors: Connectors) -> None:
        self._connectors = connectors

    async def report_refund(
        self, uow: UnitOfWork, order_id: UUID, refund_id: UUID, amount: Decimal
    ) -> bool:
        stored = await store_of(uow).orders.get(order_id)
        order = stored.order if stored is not None else None
        if order is None or order.channel_id is None or not order.platform_order_ids:
            return False
        setting = await _of_channel(uow, await channels_of(uow).connector(order.channel_id))
        if setting is None:
            return False
        connector = self._connectors.connector(setting.kind, setting.endpoint)
        await connector.report_refund(
            setting.channel, order.platform_order_ids[0], str(refund_id), amount
        )
        return True
