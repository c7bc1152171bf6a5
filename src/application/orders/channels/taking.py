"""Taking platform orders in (ORD-9, CHN-2, ORD-3, ORD-7): the one path of the marketplace
pull, the order-file import and a channel SKU mapping's arrival.

- **A new platform order** is prepared as a marketplace order (platform prices, the paid
  amount as a ``platform`` payment, never refused for stock) and the page's new orders are
  placed together (``PlaceOrderHandler.place_many``: one reservation call through
  inventory's ``reserve_many``, each order all lines or none, one short of stock marked
  ``out_of_stock``; one insert of their rows; PLT-9): one the domain refuses while it is
  prepared is audited (``order.channel_rejected``), nothing of it written, and the others
  go on.
  What the intake found travels with the ``NewOrder`` (one save): unmapped channel SKU
  codes mark it abnormal ``sku_not_mapped`` — it is placed with its mapped lines, unpaid,
  and **waits** (``ChannelStore.wait``) with the sub-orders it could not place; a refund
  requested on the platform sets ``refund_requested`` and marks it abnormal
  ``refund_requested`` (a request withdrawn later releases it); a refund done on the
  platform (``refunded``) also records a refund against its platform payment. An order
  with **no** mapped code cannot be an order: it is audited (``order.channel_unmapped``)
  and skipped.
- **A known platform order id** (a re-pull, a file imported again) never duplicates: a
  refund requested or done reaches the order as above, each once; a changed receiver is
  applied through the ``change_address`` edit while the order is editable (past that the
  audit records ``address: not_applied``).
- **A mapping arrives** (``mapping_added``): every order of the channel waiting for that
  code whose codes are now all mapped gets its lines (platform prices, ids, discounts and
  tax), its platform payment, ``sku_not_mapped`` released automatically, review when paid
  and its stock reserved (or ``out_of_stock``).

Every status change this makes reaches the roles concerned (``sweeps.swept`` /
``tell_concerned``, ORD-7).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from application.notifications.ports import Notifier
from application.orders.channels.ports import (
    ORDER_CHANNELS,
    ChannelStore,
    PlatformOrder,
    PlatformSubOrder,
    RefundStatus,
    WaitingOrder,
)
from application.orders.common import (
    SYSTEM,
    StockKeeper,
    load_order,
    step_before,
    store_of,
    swept,
    tell_concerned,
)
from application.orders.placing import (
    NewLine,
    NewOrder,
    NewPayment,
    OrderSource,
    PlaceOrderHandler,
    Prepared,
    refund_platform_payments,
)
from application.orders.review import Reviewer
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Work
from domain.orders.abnormal import Abnormality, AbnormalType
from domain.orders.allocation import allocate
from domain.orders.errors import OrderNotEditable
from domain.orders.lines import Discount, OrderLine
from domain.orders.order import Order
from domain.orders.payment_records import Payment, PaymentMethod
from domain.orders.state import ENTITY
from domain.orders.status import OrderStatus
from domain.orders.timeline import SystemReason
from domain.orders.values import ZERO, Receiver, ShippingAddress
from domain.shared.errors import DomainError
from domain.shared.money import quantum

INTAKE_ACTOR = "system:orders.channel_intake"
PLATFORM_DISCOUNT = "platform discount"


def channels_of(uow: UnitOfWork) -> ChannelStore:
    return uow.of(ORDER_CHANNELS).channels


@dataclass(frozen=True)
class Taken:
    """What taking orders did: placed, known already (re-pulled), of those updated,
    skipped (no mapped code), refused by the domain (audited)."""

    placed: int = 0
    repulled: int = 0
    updated: int = 0
    unmapped: int = 0
    rejected: int = 0

    def __add__(self, other: Taken) -> Taken:
        return Taken(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Taken)))


def receiver_of(platform: PlatformOrder) -> Receiver:
    r = platform.receiver
    address = ShippingAddress(r.province, r.city, r.district, r.address, r.postal_code)
    return Receiver(r.name, r.phone, address)


def sub_orders_of(platform: PlatformOrder) -> tuple[PlatformSubOrder, ...]:
    """The sub-orders with the order-level discount and tax shared over them by their
    value, to the currency's minor unit (largest remainder)."""
    if not platform.discount and not platform.tax:
        return platform.sub_orders
    step = quantum(platform.currency)
    weights = [s.unit_price * s.quantity for s in platform.sub_orders]
    discounts = allocate(platform.discount, weights, step)
    taxes = allocate(platform.tax, weights, step)
    return tuple(
        replace(s, discount=s.discount + d, tax=s.tax + t)
        for s, d, t in zip(platform.sub_orders, discounts, taxes, strict=True)
    )


def _discounts(sub: PlatformSubOrder) -> tuple[Discount, ...]:
    return (Discount(sub.discount, "platform", PLATFORM_DISCOUNT),) if sub.discount else ()


def _new_line(sku_id: UUID, sub: PlatformSubOrder, platform_order_id: str) -> NewLine:
    return NewLine(
        sku_id,
        sub.quantity,
        unit_price=sub.unit_price,
        discounts=_discounts(sub),
        tax=sub.tax,
        title=sub.title,
        platform_order_id=platform_order_id,
        platform_sub_order_id=sub.sub_order_id,
    )


def _paid(platform_order_id: str, amount: Decimal, paid_at: datetime | None) -> NewPayment:
    return NewPayment(PaymentMethod.PLATFORM, amount, paid_at, f"{platform_order_id}:paid")


def _refund_requested(order: Order, now: datetime) -> None:
    order.set_refund_requested(True, now, INTAKE_ACTOR)
    order.mark_abnormal(_refund_abnormality(now), INTAKE_ACTOR)


def _refund_abnormality(now: datetime) -> Abnormality:
    return Abnormality(AbnormalType.REFUND_REQUESTED, now, note="refund requested on the platform")


@dataclass(frozen=True)
class _Prepared:
    """A new platform order prepared for placing, and its wait for a mapping if any."""

    platform: PlatformOrder
    ready: Prepared
    waiting: WaitingOrder | None


def _rejected(
    work: Work, known: UUID | None, platform: PlatformOrder, refused: DomainError
) -> None:
    work.audit(
        known,
        detail={"platformOrderId": platform.platform_order_id, "error": refused.code},
        action="order.channel_rejected",
    )


class ChannelOrders:
    """Platform orders into orders (see the module docstring), in the caller's
    transaction; every write goes through ``work`` (audit records, events)."""

    def __init__(
        self,
        placing: PlaceOrderHandler,
        keeper: StockKeeper,
        reviewer: Reviewer,
        notifier: Notifier,
    ) -> None:
        self._placing = placing
        self._keeper = keeper
        self._reviewer = reviewer
        self._notifier = notifier

    async def take(self, work: Work, channel_id: UUID, orders: Sequence[PlatformOrder]) -> Taken:
        """The page's mappings and known platform ids read once; its new orders prepared
        one by one (one the domain refuses is audited, writing nothing) and placed
        together (``place_many``: one reservation call, one round trip of rows, PLT-9); a
        known one updated in a savepoint. A platform id met twice in one page: the
        orders gathered so far are placed first, so the second is a re-pull of the first."""
        codes = sorted({s.channel_sku_code for o in orders for s in o.sub_orders})
        skus = await channels_of(work.uow).skus_of(channel_id, codes)
        known = await store_of(work.uow).orders.by_platform_ids(
            channel_id, [o.platform_order_id for o in orders]
        )
        taken, batch, batched = Taken(), list[_Prepared](), set[str]()
        for platform in orders:
            pid = platform.platform_order_id
            if pid in batched:
                taken += await self._place(work, channel_id, batch)
                batch, batched = [], set()
                found = await store_of(work.uow).orders.by_platform_id(channel_id, pid)
                if found is not None:
                    known[pid] = found
            if pid in known:
                taken += await self._take_known(work, platform, known[pid])
                continue
            prepared = await self._prepare(work, channel_id, platform, skus)
            if isinstance(prepared, Taken):
                taken += prepared
            else:
                batch.append(prepared)
                batched.add(pid)
        return taken + await self._place(work, channel_id, batch)

    async def _take_known(self, work: Work, platform: PlatformOrder, known: UUID) -> Taken:
        try:
            async with store_of(work.uow).orders.attempt():
                return Taken(repulled=1, updated=await self._update(work, known, platform))
        except DomainError as refused:  # e.g. a receiver the platform let through
            _rejected(work, known, platform, refused)
            return Taken(repulled=1, rejected=1)

    async def _prepare(
        self, work: Work, channel_id: UUID, platform: PlatformOrder, skus: dict[str, UUID]
    ) -> _Prepared | Taken:
        """A new platform order as an order (``PlaceOrderHandler.prepare``), or what
        became of it: skipped (no mapped code) or refused by the domain (audited)."""
        pid, now = platform.platform_order_id, work.clock.now()
        missing = [
            s.channel_sku_code for s in platform.sub_orders if s.channel_sku_code not in skus
        ]
        if len(missing) == len(platform.sub_orders):
            work.audit(
                None,
                detail={"platformOrderId": pid, "unmappedCodes": ",".join(missing)},
                action="order.channel_unmapped",
            )
            return Taken(unmapped=1)
        subs = sub_orders_of(platform)
        marks: list[Abnormality] = []
        if missing:
            marks.append(
                Abnormality(
                    AbnormalType.SKU_NOT_MAPPED,
                    now,
                    note="unmapped channel SKU codes: " + ", ".join(missing),
                    detail={"codes": ",".join(missing)},
                )
            )
        refund = platform.refund_status is not RefundStatus.NONE
        if refund:
            marks.append(_refund_abnormality(now))
        paid = platform.paid_amount > ZERO and not missing  # unmapped: the amount would not match
        try:
            new = NewOrder(
                lines=tuple(
                    _new_line(skus[s.channel_sku_code], s, pid)
                    for s in subs
                    if s.channel_sku_code in skus
                ),
                receiver=receiver_of(platform),
                source=OrderSource.MARKETPLACE,
                currency=platform.currency,
                channel_id=channel_id,
                platform_order_ids=(pid,),
                shipping_fee=platform.shipping_fee,
                buyer_message=platform.buyer_message,
                payments=(_paid(pid, platform.paid_amount, platform.paid_at),) if paid else (),
                abnormalities=tuple(marks),
                refund_requested=refund,
                refunded_on_platform=platform.refund_status is RefundStatus.REFUNDED,
                marked_by=INTAKE_ACTOR,
            )
            ready = await self._placing.prepare(new, work)
        except DomainError as refused:  # e.g. a receiver the platform let through
            _rejected(work, None, platform, refused)
            return Taken(rejected=1)
        waiting = (
            WaitingOrder(
                ready.order.id,
                channel_id,
                pid,
                tuple(sorted(set(missing))),
                tuple(s for s in subs if s.channel_sku_code not in skus),
                platform.paid_amount,
                platform.paid_at,
            )
            if missing
            else None
        )
        return _Prepared(platform, ready, waiting)

    async def _place(self, work: Work, channel_id: UUID, batch: list[_Prepared]) -> Taken:
        """The prepared orders placed together; those waiting for a mapping noted, and
        the roles concerned told of each one placed abnormal (ORD-7)."""
        if not batch:
            return Taken()
        placed = await self._placing.place_many(
            work, [p.ready for p in batch], OrderSource.MARKETPLACE
        )
        for prepared, order in zip(batch, placed, strict=True):
            if prepared.waiting is not None:
                await channels_of(work.uow).wait(prepared.waiting, work.clock.now())
            if order.status is OrderStatus.ABNORMAL and order.resume_status is not None:
                before = order.resume_status.value
                await tell_concerned(
                    self._notifier, work, order, before, step_before(order, before)
                )
        return Taken(placed=len(batch))

    async def _update(self, work: Work, order_id: UUID, platform: PlatformOrder) -> int:
        """A known order: a refund requested or done and a changed address reach it."""
        order = (await load_order(work.uow, order_id, for_update=True)).order
        if order.status is OrderStatus.CANCELLED or order.retired:
            return 0
        now, read_version, before = work.clock.now(), order.version, order.status.value
        changed: dict[str, object] = {}
        if platform.refund_status is not RefundStatus.NONE and not order.refund_requested:
            _refund_requested(order, now)
            changed["refundStatus"] = RefundStatus.REQUESTED.value
        elif platform.refund_status is RefundStatus.NONE and order.refund_requested:
            order.set_refund_requested(False, now, INTAKE_ACTOR)  # withdrawn: released
            changed["refundStatus"] = RefundStatus.NONE.value
        if platform.refund_status is RefundStatus.REFUNDED and refund_platform_payments(
            work, order, INTAKE_ACTOR
        ):
            changed["refundStatus"] = RefundStatus.REFUNDED.value
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
        if order.version == read_version:  # only what could not be applied
            work.audit(order.id, detail=changed, entity=ENTITY)
        else:
            await swept(work, self._notifier, order, read_version, before, changed)
        return 1

    async def mapping_added(self, work: Work, channel_id: UUID, code: str) -> int:
        """The orders of the channel waiting for ``code`` whose codes are all mapped now get
        their lines; the number released."""
        store, released = channels_of(work.uow), 0
        for waiting in await store.waiting(channel_id, code):
            skus = await store.skus_of(channel_id, waiting.codes)
            if len(skus) < len(waiting.codes):
                continue  # another code is still unmapped
            await store.stop_waiting(waiting.order_id)
            order = (await load_order(work.uow, waiting.order_id, for_update=True)).order
            if not any(a.type is AbnormalType.SKU_NOT_MAPPED for a in order.abnormalities):
                continue  # a person released it (or cancelled the order) meanwhile
            read_version, before = order.version, order.status.value
            await self._complete(work, order, waiting, skus)
            detail: dict[str, object] = {
                "platformOrderId": waiting.platform_order_id,
                "codes": ",".join(waiting.codes),
            }
            await swept(
                work, self._notifier, order, read_version, before, detail, action="order.sku_mapped"
            )
            released += 1
        return released

    async def _complete(
        self, work: Work, order: Order, waiting: WaitingOrder, skus: dict[str, UUID]
    ) -> None:
        now, reason = work.clock.now(), "channel SKU code mapped"
        for sub in waiting.sub_orders:
            line = OrderLine(
                id=work.ids.new_id(),
                sku_id=skus[sub.channel_sku_code],
                quantity=sub.quantity,
                unit_price=sub.unit_price,
                discounts=_discounts(sub),
                tax=sub.tax,
                title=sub.title,
                platform_order_id=waiting.platform_order_id,
                platform_sub_order_id=sub.sub_order_id,
            )
            order.add_line(line, now, INTAKE_ACTOR, reason=reason)
        if waiting.paid_amount > ZERO:
            paid = _paid(waiting.platform_order_id, waiting.paid_amount, waiting.paid_at)
            payment = Payment(
                work.ids.new_id(),
                paid.method,
                paid.amount,
                paid.paid_at or now,
                paid.transaction_id,
            )
            order.record_payment(payment, INTAKE_ACTOR)
        order.resolve_abnormal(
            AbnormalType.SKU_NOT_MAPPED, now, INTAKE_ACTOR, reason, automatic=True
        )
        if order.status is OrderStatus.PAID:
            order.move_to(OrderStatus.AWAITING_REVIEW, now, SYSTEM, SystemReason.WAITING_FOR_REVIEW)
            await self._reviewer.review(work, order)
        await self._keeper.sync_or_wait(work, order)
