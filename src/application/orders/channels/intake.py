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

A platform order whose channel SKU codes are partly unmapped is placed with its mapped
lines and marked abnormal ``sku_not_mapped`` (the note names the codes); one with no mapped
code cannot be an order (an order needs a line): it is recorded in the audit log
(``order.channel_unmapped``, with its platform id and codes) and the sync point moves on —
once mapped, setting the connector's ``since`` back pulls it again. A re-pulled order whose
refund status is ``requested`` gets ``refund_requested`` set and is marked abnormal
``refund_requested``; a changed address is applied as the edit ``change_address`` while
the order is editable (past that, the audit records ``address: not_applied``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.orders.channels.ports import (
    ORDER_CHANNELS,
    ChannelRef,
    ChannelStore,
    ChannelUnavailable,
    ConnectedChannels,
    Connectors,
    ConnectorSetting,
    PlatformOrder,
    RefundStatus,
    SkuMapping,
)
from application.orders.common import load_order, store_of
from application.orders.placing import (
    NewLine,
    NewOrder,
    NewPayment,
    OrderSource,
    PlaceOrder,
    PlaceOrderHandler,
)
from application.shared.context import CallContext
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Command, Query, Reading, Work, runs
from application.shared.use_cases import UseCases
from domain.orders.abnormal import Abnormality, AbnormalType
from domain.orders.errors import OrderNotEditable
from domain.orders.order import Order
from domain.orders.payment_records import PaymentMethod
from domain.orders.permissions import ORDERS_IMPORT, ORDERS_READ
from domain.orders.status import OrderStatus
from domain.orders.values import ZERO, Receiver, ShippingAddress
from domain.shared.errors import DomainError, NotFound, ValidationFailed

OVERLAP = timedelta(minutes=2)
MAX_CODE = 100  # a channel SKU code's characters (the table checks it too)
INTAKE_ACTOR = "system:orders.channel_intake"
MAPPING = "channel_sku_mapping"
CONNECTOR = "channel_connector"


def channels_of(uow: UnitOfWork) -> ChannelStore:
    return uow.of(ORDER_CHANNELS).channels


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
    """What one page did: orders placed, re-pulled (already there), updated, skipped (no
    mapped code), and whether the window is done (or another puller holds the channel)."""

    placed: int = 0
    repulled: int = 0
    updated: int = 0
    unmapped: int = 0
    rejected: int = 0  # refused by the domain (audited ``order.channel_rejected``)
    done: bool = True
    busy: bool = False


class PullChannelOrders(
    Command[PageTaken], action="order.channel_pull", entity="order", permission=ORDERS_IMPORT
):
    channel_id: UUID


class SetChannelSkuMappingHandler:
    async def handle(self, command: SetChannelSkuMapping, work: Work) -> SkuMapping:
        code = command.channel_sku_code.strip()
        if not 1 <= len(code) <= MAX_CODE or not code.isprintable():
            raise ValidationFailed.single("channelSkuCode", "invalid_channel_sku_code")
        await channel_ref(work.uow, command.channel_id)  # 404 for another tenant's channel
        mapping = SkuMapping(command.channel_id, code, command.sku_id)
        await channels_of(work.uow).set_mapping(mapping, work.clock.now())
        work.audit(
            command.channel_id,
            None,
            {"channelSkuCode": code, "skuId": str(command.sku_id)},
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


def receiver_of(platform: PlatformOrder) -> Receiver:
    r = platform.receiver
    address = ShippingAddress(r.province, r.city, r.district, r.address, r.postal_code)
    return Receiver(r.name, r.phone, address)


class PullChannelOrdersHandler:
    def __init__(self, connectors: Connectors, placing: PlaceOrderHandler) -> None:
        self._connectors = connectors
        self._placing = placing

    async def handle(self, command: PullChannelOrders, work: Work) -> PageTaken:
        store, now = channels_of(work.uow), work.clock.now()
        setting = await _of_channel(work.uow, await store.lock_connector(command.channel_id))
        if setting is None:
            return PageTaken(busy=True)
        until = setting.window_until or now
        since = setting.synced_until - OVERLAP
        connector = self._connectors.connector(setting.kind, setting.endpoint)
        page = await connector.pull_orders(setting.channel, since, until, setting.page_token)
        codes = sorted({s.channel_sku_code for o in page.orders for s in o.sub_orders})
        skus = await store.skus_of(command.channel_id, codes)
        placed = repulled = updated = unmapped = rejected = 0
        for platform_order in page.orders:
            known = await store_of(work.uow).orders.by_platform_id(
                command.channel_id, platform_order.platform_order_id
            )
            if known is not None:
                repulled += 1
                updated += await self._update(work, known, platform_order)
                continue
            missing = [
                s.channel_sku_code
                for s in platform_order.sub_orders
                if s.channel_sku_code not in skus
            ]
            if len(missing) == len(platform_order.sub_orders):
                unmapped += 1
                work.audit(
                    None,
                    detail={
                        "platformOrderId": platform_order.platform_order_id,
                        "unmappedCodes": ",".join(missing),
                    },
                    action="order.channel_unmapped",
                )
                continue
            try:
                async with store_of(work.uow).orders.attempt():
                    await self._place(work, command.channel_id, platform_order, skus, missing)
            except DomainError as refused:  # e.g. a receiver the platform let through
                rejected += 1
                work.audit(
                    None,
                    detail={
                        "platformOrderId": platform_order.platform_order_id,
                        "error": refused.code,
                    },
                    action="order.channel_rejected",
                )
                continue
            placed += 1
        if page.next_page_token:
            await store.advance(
                command.channel_id, setting.synced_until, until, page.next_page_token, now
            )
        else:
            await store.advance(command.channel_id, until, None, None, now)
        return PageTaken(
            placed, repulled, updated, unmapped, rejected, done=page.next_page_token is None
        )

    async def _place(
        self,
        work: Work,
        channel_id: UUID,
        platform: PlatformOrder,
        skus: dict[str, UUID],
        missing: list[str],
    ) -> None:
        lines = tuple(
            NewLine(
                skus[s.channel_sku_code],
                s.quantity,
                unit_price=s.unit_price,
                title=s.title,
                platform_order_id=platform.platform_order_id,
                platform_sub_order_id=s.sub_order_id,
            )
            for s in platform.sub_orders
            if s.channel_sku_code in skus
        )
        payments = (
            (
                NewPayment(
                    PaymentMethod.PLATFORM,
                    platform.paid_amount,
                    platform.paid_at,
                    f"{platform.platform_order_id}:paid",
                ),
            )
            if platform.paid_amount > ZERO and not missing
            else ()
        )
        new = NewOrder(
            lines=lines,
            receiver=receiver_of(platform),
            source=OrderSource.MARKETPLACE,
            channel_id=channel_id,
            platform_order_ids=(platform.platform_order_id,),
            shipping_fee=platform.shipping_fee,
            buyer_message=platform.buyer_message,
            payments=payments,
        )
        order = await self._placing.handle(PlaceOrder(new), work)
        now = work.clock.now()
        changed = False
        read_version = order.version
        if missing:
            order.mark_abnormal(
                Abnormality(
                    AbnormalType.SKU_NOT_MAPPED,
                    now,
                    note="unmapped channel SKU codes: " + ", ".join(missing),
                    detail={"codes": ",".join(missing)},
                ),
                INTAKE_ACTOR,
            )
            changed = True
        if platform.refund_status is RefundStatus.REQUESTED:
            changed |= self._refund_requested(order, now)
        if changed:
            await store_of(work.uow).orders.save(order, read_version)
            work.publish(order)

    async def _update(self, work: Work, order_id: UUID, platform: PlatformOrder) -> int:
        """A re-pulled order: a refund requested and a changed address reach the order
        (the address through the edit an operator would make; an order past editing keeps
        its address, and the audit says the platform's was not applied)."""
        order = (await load_order(work.uow, order_id, for_update=True)).order
        if order.status is OrderStatus.CANCELLED or order.retired:
            return 0
        now, read_version, before = work.clock.now(), order.version, order.status.value
        changed: dict[str, str] = {}
        if platform.refund_status is RefundStatus.REQUESTED and not order.refund_requested:
            self._refund_requested(order, now)
            changed["refundStatus"] = platform.refund_status.value
        try:
            receiver = receiver_of(platform)
        except DomainError:  # a receiver the domain refuses: the order keeps its own
            receiver = order.receiver
        if receiver != order.receiver:
            try:
                order.change_address(receiver, now, INTAKE_ACTOR, "address changed on the platform")
                changed["address"] = "changed"
            except OrderNotEditable:
                changed["address"] = "not_applied"
        if not changed:
            return 0
        if "refundStatus" in changed or changed.get("address") == "changed":
            await store_of(work.uow).orders.save(order, read_version)
            work.publish(order)
        work.audit(order.id, {"status": before}, {"status": order.status.value}, detail=changed)
        return 1

    @staticmethod
    def _refund_requested(order: Order, now: datetime) -> bool:
        order.set_refund_requested(True, now, INTAKE_ACTOR)
        order.mark_abnormal(
            Abnormality(
                AbnormalType.REFUND_REQUESTED, now, note="refund requested on the platform"
            ),
            INTAKE_ACTOR,
        )
        return True


@dataclass(frozen=True)
class Pulled:
    placed: int = 0
    repulled: int = 0
    updated: int = 0
    unmapped: int = 0
    pages: int = 0
    failed: str | None = None  # why the channel's pull stopped (the platform kept refusing)
    rejected: int = 0


class ChannelIntake:
    """Takes a channel's pages until its window is done (the scheduler's job and the
    pull-now route)."""

    def __init__(self, use_cases: UseCases, channels: ConnectedChannels) -> None:
        self._use_cases = use_cases
        self._channels = channels

    @runs(PullChannelOrders)
    async def pull(self, ctx: CallContext, channel_id: UUID, max_pages: int = 100) -> Pulled:
        total = Pulled()
        for _ in range(max_pages):
            page = await self._use_cases.run(ctx, PullChannelOrders(channel_id))
            if page.busy:
                return total
            total = Pulled(
                total.placed + page.placed,
                total.repulled + page.repulled,
                total.updated + page.updated,
                total.unmapped + page.unmapped,
                total.pages + 1,
                rejected=total.rejected + page.rejected,
            )
            if page.done:
                return total
        return total

    @runs(PullChannelOrders)
    async def pull_everywhere(
        self, context_of: Callable[[UUID], CallContext]
    ) -> dict[tuple[UUID, UUID], Pulled]:
        """Every channel with a connector, each on its own: a platform that keeps refusing
        stops its channel's pull (its sync point stays) and none of the others."""
        done: dict[tuple[UUID, UUID], Pulled] = {}
        for tenant_id, channel_id in await self._channels.all():
            try:
                done[tenant_id, channel_id] = await self.pull(context_of(tenant_id), channel_id)
            except ChannelUnavailable as refused:
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
