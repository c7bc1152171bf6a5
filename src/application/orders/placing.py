"""Placing an order (ORD-1, ORD-3, CHN-2): staff entry, the own API, a marketplace or an
import, with its stock reserved through inventory's port in the same transaction, all
lines or none.

Two intake policies (docs/orders.md, "Intake"):

- **staff** and **api**: the order is priced by the ``PricingPolicy`` (each discount an
  explained line) and refused whole when stock is missing — 409 ``order_out_of_stock``
  naming the SKUs; nothing is written.
- **marketplace** and **import**: the order already exists on the platform, with the
  platform's prices and usually its payment. It is never refused for stock: it is
  accepted and marked abnormal ``out_of_stock`` (one order's reservation is tried in a
  savepoint; a channel's page of orders is placed together by ``place_many``, PLT-9),
  and the restock sweep (``restock.py``) reserves and releases it when stock arrives. A
  platform order id already taken on the channel answers the order it names: a re-pulled
  page creates nothing new.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from application.orders.common import (
    SYSTEM,
    StockKeeper,
    actor_of,
    load_order,
    store_of,
)
from application.orders.ports import PriceRequest, PricingPolicy
from application.orders.review import Reviewer
from application.shared.use_case import Command, Work
from domain.orders.abnormal import Abnormality
from domain.orders.causes import DETECTED
from domain.orders.lines import Discount, OrderLine
from domain.orders.order import Order
from domain.orders.payment_records import Payment, PaymentMethod, Refund
from domain.orders.permissions import ORDERS_ADJUST_PRICE, ORDERS_WRITE
from domain.orders.rules.apply import Application
from domain.orders.state import ENTITY
from domain.orders.status import OrderStatus
from domain.orders.timeline import SystemReason
from domain.orders.values import ZERO, InvoiceRequest, OrderNumber, Receiver, SellerMemo
from domain.shared.errors import FieldError, ValidationFailed


class OrderSource(StrEnum):
    STAFF = "staff"  # manual entry in the console
    API = "api"  # the company's own shop through the API
    MARKETPLACE = "marketplace"  # already placed on a marketplace: never refused for stock
    IMPORT = "import"  # a file of orders placed elsewhere: as a marketplace's

    @property
    def refuses_missing_stock(self) -> bool:
        return self in (OrderSource.STAFF, OrderSource.API)


@dataclass(frozen=True)
class NewLine:
    sku_id: UUID
    quantity: int
    # The platform's price for marketplace and import orders (required there). For staff
    # and API orders the pricing policy prices the line; a price given there is a manual
    # price and needs ``orders:adjust_price``.
    unit_price: Decimal | None = None
    discounts: tuple[Discount, ...] = ()
    tax: Decimal = ZERO
    title: str | None = None
    platform_order_id: str | None = None
    platform_sub_order_id: str | None = None
    unit_weight_grams: int = 0
    presale: bool = False


@dataclass(frozen=True)
class NewPayment:
    method: PaymentMethod
    amount: Decimal
    paid_at: datetime | None = None
    transaction_id: str | None = None


@dataclass(frozen=True)
class NewOrder:
    lines: tuple[NewLine, ...]
    receiver: Receiver
    source: OrderSource = OrderSource.API
    currency: str = "CNY"
    channel_id: UUID | None = None
    customer_id: UUID | None = None
    member_tier: str | None = None  # the buyer's membership tier, for member prices
    platform_order_ids: tuple[str, ...] = ()
    shipping_fee: Decimal = ZERO
    buyer_message: str | None = None
    seller_memo: SellerMemo | None = None
    invoice: InvoiceRequest | None = None
    cash_on_delivery: bool = False
    payments: tuple[NewPayment, ...] = ()  # paid on the platform already
    # What a channel's intake found (unmapped SKU codes, a refund requested on the
    # platform): marked as the order is placed, by ``marked_by``, in its one save.
    abnormalities: tuple[Abnormality, ...] = ()
    refund_requested: bool = False
    refunded_on_platform: bool = False  # the platform payments refunded (ORD-3)
    marked_by: str = SYSTEM


class PlaceOrder(Command[Order], action="order.create", entity=ENTITY, permission=ORDERS_WRITE):
    order: NewOrder


def _checked(new: NewOrder) -> None:
    errors: list[FieldError] = []
    if new.source.refuses_missing_stock:
        if new.payments:
            errors.append(FieldError("payments", "payments_recorded_after_placing"))
    else:
        if new.channel_id is None:
            errors.append(FieldError("channelId", "required"))
        if not new.platform_order_ids:
            errors.append(FieldError("platformOrderIds", "required"))
        errors.extend(
            FieldError(f"lines[{i}].unitPrice", "required")
            for i, line in enumerate(new.lines)
            if line.unit_price is None
        )
    if new.platform_order_ids and new.channel_id is None and not errors:
        errors.append(FieldError("channelId", "required"))
    if errors:
        raise ValidationFailed(errors)


PLATFORM_REFUND = "refunded on the platform"


def refund_platform_payments(work: Work, order: Order, actor: str) -> bool:
    """What the platform payments still hold refunded against them (the platform says the
    order was refunded; ORD-3), each once: the refund's transaction id is the payment's
    plus ``:refund``, so a re-pull records nothing. True when a refund was recorded."""
    recorded = False
    for payment in order.payments:
        if payment.method is not PaymentMethod.PLATFORM:
            continue
        transaction_id = f"{payment.transaction_id or payment.id}:refund"
        if any(r.transaction_id == transaction_id for r in order.refunds):
            continue
        returned = sum((r.amount for r in order.refunds if r.payment_id == payment.id), ZERO)
        amount = min(payment.amount - returned, order.refundable())
        if amount <= ZERO:
            continue
        refund = Refund(
            work.ids.new_id(), payment.id, amount, PLATFORM_REFUND, work.clock.now(), transaction_id
        )
        order.record_refund(refund, actor)
        recorded = True
    return recorded


def _marked(work: Work, order: Order, new: NewOrder) -> None:
    """The intake's findings on the new order (before its one save)."""
    if new.refund_requested:
        order.set_refund_requested(True, work.clock.now(), new.marked_by)
    for abnormality in new.abnormalities:
        order.mark_abnormal(abnormality, new.marked_by)
    if new.refunded_on_platform:
        refund_platform_payments(work, order, new.marked_by)


def _noted(work: Work, order: Order, source: OrderSource) -> None:
    """A placed order's audit record and events."""
    work.audit(
        order.id,
        {},
        {"status": order.status.value, "total": str(order.total)},
        detail={"number": order.number.value, "source": source.value},
    )
    work.publish(order)


@dataclass(frozen=True)
class Prepared:
    """A new order ready to be placed, and the rule set's decision on it (None: not
    reviewed, or no rules)."""

    order: Order
    reviewed: Application | None


class PlaceOrderHandler:
    def __init__(self, keeper: StockKeeper, pricing: PricingPolicy, reviewer: Reviewer) -> None:
        self._keeper = keeper
        self._pricing = pricing
        self._reviewer = reviewer

    async def handle(self, command: PlaceOrder, work: Work) -> Order:
        new, orders = command.order, store_of(work.uow).orders
        if not new.source.refuses_missing_stock and new.channel_id is not None:
            for platform_id in new.platform_order_ids:
                known = await orders.by_platform_id(new.channel_id, platform_id)
                if known is not None:
                    return (await load_order(work.uow, known)).order  # a re-pull: nothing new
        prepared = await self.prepare(new, work)
        order = prepared.order
        await self._reserve(work, order, new.source)
        await orders.add(order, new.source.value)
        _noted(work, order, new.source)
        split = await self._reviewer.follow_up(work, order, prepared.reviewed)  # a rule's split
        return split.order if split is not None else order

    async def prepare(self, new: NewOrder, work: Work) -> Prepared:
        """The new order built, paid, reviewed and marked — everything but its stock and
        its rows (nothing written but its number taken) — with the review's decision, whose
        follow-ups (a rule's split) are carried out once the order is saved. Raises the
        ``DomainError`` that refuses it."""
        _checked(new)
        now, actor = work.clock.now(), actor_of(work.ctx)
        lines = await self._lines(new, work, now)
        order = Order.create(
            order_id=work.ids.new_id(),
            number=OrderNumber(await store_of(work.uow).orders.next_number(now)),
            currency=new.currency,
            lines=lines,
            receiver=new.receiver,
            placed_at=now,
            actor=actor,
            channel_id=new.channel_id,
            platform_order_ids=new.platform_order_ids,
            customer_id=new.customer_id,
            shipping_fee=new.shipping_fee,
            buyer_message=new.buyer_message,
            seller_memo=new.seller_memo,
            invoice=new.invoice,
            cash_on_delivery=new.cash_on_delivery,
        )
        for payment in new.payments:
            order.record_payment(
                Payment(
                    work.ids.new_id(),
                    payment.method,
                    payment.amount,
                    payment.paid_at or now,
                    payment.transaction_id,
                ),
                actor,
            )
        reviewed = None
        if order.status is OrderStatus.PAID or order.cash_on_delivery:
            order.move_to(OrderStatus.AWAITING_REVIEW, now, SYSTEM, SystemReason.WAITING_FOR_REVIEW)
            reviewed = await self._reviewer.review(work, order)  # gifts: reserved below
        _marked(work, order, new)
        order.recheck_causes(now, SYSTEM, DETECTED)  # an incomplete receiver, more paid than due
        return Prepared(order, reviewed)

    async def place_many(
        self, work: Work, prepared: Sequence[Prepared], source: OrderSource
    ) -> list[Order]:
        """Orders of a marketplace or an import (``prepare``d) placed together — a page of
        a channel's orders (PLT-9): their stock reserved in one call to inventory (each
        order all lines or none; one short of stock marked ``out_of_stock``, never
        refused) and their rows written in one round trip."""
        assert not source.refuses_missing_stock  # guard: the own API refuses one by one
        orders = [p.order for p in prepared]
        await self._keeper.sync_many_or_wait(work, orders)
        await store_of(work.uow).orders.add_many(orders, source.value)
        for order in orders:
            _noted(work, order, source)
        placed = []
        for p in prepared:  # a rule's split, once the page is saved
            split = await self._reviewer.follow_up(work, p.order, p.reviewed)
            placed.append(split.order if split is not None else p.order)
        return placed

    async def _lines(self, new: NewOrder, work: Work, now: datetime) -> list[OrderLine]:
        to_price = [
            (i, line)
            for i, line in enumerate(new.lines)
            if line.unit_price is None and new.source.refuses_missing_stock
        ]
        if new.source.refuses_missing_stock and len(to_price) < len(new.lines):
            work.require_extra(ORDERS_ADJUST_PRICE)  # a price typed in by hand
        priced = (
            await self._pricing.price(
                work.uow,
                [PriceRequest(line.sku_id, line.quantity) for _, line in to_price],
                new.channel_id,
                new.member_tier,
                now,
            )
            if to_price
            else []
        )
        by_index = {i: quote for (i, _), quote in zip(to_price, priced, strict=True)}
        lines = []
        for i, line in enumerate(new.lines):
            quote = by_index.get(i)
            unit_price = quote.unit_price if quote else line.unit_price
            assert unit_price is not None  # guard: checked above
            lines.append(
                OrderLine(
                    id=work.ids.new_id(),
                    sku_id=line.sku_id,
                    quantity=line.quantity,
                    unit_price=unit_price,
                    discounts=(*(quote.discounts if quote else ()), *line.discounts),
                    tax=line.tax,
                    title=line.title,
                    platform_order_id=line.platform_order_id,
                    platform_sub_order_id=line.platform_sub_order_id,
                    unit_weight_grams=line.unit_weight_grams,
                    presale=line.presale,
                )
            )
        return lines

    async def _reserve(self, work: Work, order: Order, source: OrderSource) -> None:
        if source.refuses_missing_stock:
            await self._keeper.sync_or_refuse(work, order)
        else:
            await self._keeper.sync_or_wait(work, order)
