"""/api/v1/orders (ORD-1..ORD-3, ORD-5): place orders (idempotent), read them with their
timeline, list them with filters by keyset, record payments and refunds, approve, hold,
release, cancel, release an abnormality by hand, edit before shipment (If-Match), and the
tenant's unpaid limit."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter

from application.orders.bulk import BulkInput, BulkOrders, BulkResult
from application.orders.lifecycle import (
    AddLine,
    AdjustPrice,
    ApproveOrder,
    CancelOrder,
    ChangeAddress,
    ChangeQuantity,
    Edit,
    EditOrder,
    HoldOrder,
    RecordPayment,
    RecordRefund,
    ReleaseHold,
    RemoveLine,
    ResolveAbnormal,
)
from application.orders.merging import MergeOrders, UnmergeOrder
from application.orders.placing import NewLine, NewOrder, NewPayment, OrderSource, PlaceOrder
from application.orders.ports import OrderFilter, StoredOrder
from application.orders.queries import (
    GetCustomerTotals,
    GetMergeWait,
    GetOrder,
    GetOrderTimeline,
    GetUnpaidLimit,
    ListOrders,
    SetMergeWait,
    SetUnpaidLimit,
)
from application.orders.review import DryRunRules, GetRuleSet, ReviewWaiting, SaveRuleSet
from application.orders.review_job import WaitingReviews
from application.orders.splitting import RejoinOrder, SplitOrder
from application.shared.context import CallContext
from application.shared.use_cases import UseCases
from domain.orders.actions import OrderAction, allowed_actions
from domain.orders.lines import Discount
from domain.orders.order import Order
from domain.orders.rules.dry_run import DryRunResult
from domain.orders.rules.ruleset import RuleSet
from domain.orders.status import OrderStatus
from domain.orders.timeline import TimelineEntry
from domain.orders.values import ZERO, InvoiceRequest, Receiver, SellerMemo, ShippingAddress
from domain.shared.errors import ValidationFailed
from entrypoints.http.conventions import Cursor, Limit, Rendered, with_etag
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
from entrypoints.http.jobs.controllers import job_out
from entrypoints.http.jobs.schemas import JobOut
from entrypoints.http.orders.schemas import (
    AbnormalityOut,
    AddressOut,
    BulkIn,
    BulkResultOut,
    CustomerTotalsOut,
    DecidedOut,
    DiscountOut,
    DryRunIn,
    DryRunOut,
    EditIn,
    EditsIn,
    HoldIn,
    HoldOut,
    MergeIn,
    MergeWaitIn,
    MergeWaitOut,
    OrderIn,
    OrderLineOut,
    OrderOut,
    OrderPageOut,
    PaymentIn,
    PaymentOut,
    ReasonIn,
    ReceiverIn,
    ReceiverOut,
    RefundIn,
    RefundOut,
    ResolveIn,
    ReviewedPageOut,
    ReviewWaitingIn,
    RuleSetIn,
    RuleSetOut,
    SplitIn,
    TimelineEntryOut,
    UnpaidLimitIn,
    UnpaidLimitOut,
)
from entrypoints.http.permissions import needs
from entrypoints.messages import message

PATH = "/api/v1/orders"
OrderId = FromPath[UUID]

# Back-pressure for a burst on one SKU (docs/decisions.md): placements waiting on the same
# stock row each hold a pooled connection, so at most this many run at once in a process
# (half the request pool) and the others wait here, holding none — authentication and
# every other route keep connections, and no placement times out waiting for the pool.
MAX_PLACEMENTS_IN_FLIGHT = 10
# one per event loop (a semaphore belongs to the loop it first waits in)
_placements: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


async def _placed(use_cases: UseCases, ctx: CallContext, command: PlaceOrder) -> Order:
    loop = asyncio.get_running_loop()
    gate = _placements.setdefault(loop, asyncio.Semaphore(MAX_PLACEMENTS_IN_FLIGHT))
    async with gate:
        return await use_cases.run(ctx, command)


def order_out(order: Order, source: str, actions: frozenset[OrderAction]) -> OrderOut:
    r, a = order.receiver, order.receiver.address
    return OrderOut.of(
        order,
        source=source,
        number=order.number.value,
        status=order.status.value,
        resume_status=order.resume_status.value if order.resume_status else None,
        platform_order_ids=list(order.platform_order_ids),
        receiver=ReceiverOut(
            r.name,
            r.phone,
            AddressOut(a.province, a.city, a.district, a.line, a.postal_code),
        ),
        lines=[
            OrderLineOut.of(
                line,
                discounts=[DiscountOut.of(d) for d in line.discounts],
                net=line.net,
            )
            for line in order.lines
        ],
        payments=[PaymentOut.of(p) for p in order.payments],
        refunds=[RefundOut.of(x) for x in order.refunds],
        seller_memo=order.seller_memo.text,
        memo_flag=order.seller_memo.flag,
        hold=HoldOut(order.hold.reason, order.hold.since, order.hold.until) if order.hold else None,
        abnormalities=[
            AbnormalityOut(
                a.type,
                a.since,
                a.due(),
                a.policy.release.value,
                a.note,
                dict(a.detail),
                a.risk_score,
                list(a.risk_reasons),
            )
            for a in order.abnormalities
        ],
        reserved={str(k): v for k, v in order.reserved.items()},
        split_into=list(order.split_into),
        allowed_actions=[action for action in OrderAction if action in actions],
    )


def stored_out(stored: StoredOrder) -> OrderOut:
    return order_out(stored.order, stored.source, stored.actions)


def _rendered(source: str) -> Callable[[Order], Rendered[OrderOut]]:
    """A placed order's: new, so made by merging none."""
    return lambda o: Rendered(
        order_out(o, source, allowed_actions(o, merged=False)), f"{PATH}/{o.id}", o.version
    )


def _receiver(data: ReceiverIn) -> Receiver:
    a = data.address
    return Receiver(
        data.name,
        data.phone,
        ShippingAddress(a.province, a.city, a.district, a.line, a.postal_code),
    )


def _new_order(data: OrderIn) -> NewOrder:
    return NewOrder(
        lines=tuple(
            NewLine(
                li.sku_id,
                li.quantity,
                li.unit_price,
                tuple(Discount(d.amount, d.source, d.reason) for d in li.discounts),
                li.tax if li.tax is not None else ZERO,
                li.title,
                li.platform_order_id,
                li.platform_sub_order_id,
                li.unit_weight_grams,
                li.presale,
            )
            for li in data.lines
        ),
        receiver=_receiver(data.receiver),
        source=data.source,
        currency=data.currency,
        channel_id=data.channel_id,
        customer_id=data.customer_id,
        member_tier=data.member_tier,
        platform_order_ids=tuple(data.platform_order_ids),
        shipping_fee=data.shipping_fee if data.shipping_fee is not None else ZERO,
        buyer_message=data.buyer_message,
        seller_memo=SellerMemo(data.seller_memo, data.memo_flag),
        invoice=(
            InvoiceRequest(data.invoice.kind, data.invoice.title, data.invoice.tax_number)
            if data.invoice
            else None
        ),
        cash_on_delivery=data.cash_on_delivery,
        payments=tuple(
            NewPayment(p.method, p.amount, p.paid_at, p.transaction_id) for p in data.payments
        ),
    )


def _edit(i: int, data: EditIn) -> Edit:
    def need(value: Any, field: str) -> Any:
        if value is None:
            raise ValidationFailed.single(f"edits[{i}].{field}", "required")
        return value

    match data.op:
        case "add_line":
            return AddLine(need(data.sku_id, "skuId"), need(data.quantity, "quantity"))
        case "remove_line":
            return RemoveLine(need(data.line_id, "lineId"))
        case "change_quantity":
            return ChangeQuantity(need(data.line_id, "lineId"), need(data.quantity, "quantity"))
        case "change_address":
            return ChangeAddress(_receiver(need(data.receiver, "receiver")))
        case "adjust_price":
            return AdjustPrice(need(data.line_id, "lineId"), need(data.unit_price, "unitPrice"))
    raise ValidationFailed.single(f"edits[{i}].op", "unknown_edit", op=data.op)


def timeline_out(entry: TimelineEntry, names: Mapping[str, str]) -> TimelineEntryOut:
    return TimelineEntryOut.of(
        entry,
        actor_name=names.get(entry.actor),
        rule=str(entry.rule) if entry.rule else None,
        detail=dict(entry.detail),
    )


StatusFilter = Annotated[
    OrderStatus | None, QueryParameter(name="status", description="Only this status.")
]
ChannelFilter = Annotated[
    UUID | None, QueryParameter(name="channelId", description="Only this channel.")
]
CustomerFilter = Annotated[
    UUID | None, QueryParameter(name="customerId", description="Only this customer.")
]
SourceFilter = Annotated[
    OrderSource | None, QueryParameter(name="source", description="Only orders come in so.")
]
FromFilter = Annotated[
    datetime | None, QueryParameter(name="placedFrom", description="Placed at or after.")
]
AcceptLanguage = Annotated[
    str | None, HeaderParameter(name="accept-language", description="The messages' language.")
]
ToFilter = Annotated[datetime | None, QueryParameter(name="placedTo", description="Placed before.")]


class OrdersController(Controller):
    path = "/"

    @post("/", opt=needs(PlaceOrder))
    async def place_order(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        data: JSONBody[OrderIn],
    ) -> Response[OrderOut]:
        """Place an order, its stock reserved in the same transaction (all lines or none).
        From ``api`` or ``staff``, missing stock is 409 ``order_out_of_stock`` naming the
        SKUs; a ``marketplace`` or ``import`` order is never refused: it is accepted and
        marked abnormal ``out_of_stock``, and its platform order id makes it idempotent."""
        command = PlaceOrder(_new_order(data))
        return await idempotency.created(
            lambda: _placed(use_cases, ctx, command), _rendered(data.source.value)
        )

    @get("/", opt=needs(ListOrders))
    async def list_orders(
        self,
        ctx: Context,
        use_cases: Dispatch,
        status: StatusFilter = None,
        channel_id: ChannelFilter = None,
        customer_id: CustomerFilter = None,
        source: SourceFilter = None,
        placed_from: FromFilter = None,
        placed_to: ToFilter = None,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> OrderPageOut:
        """Orders, newest first."""
        where = OrderFilter(
            status,
            channel_id,
            customer_id,
            source.value if source else None,
            placed_from,
            placed_to,
        )
        page = await use_cases.query(ctx, ListOrders(where, cursor, limit))
        return OrderPageOut.of_page(page, stored_out)

    @get("/{order_id:uuid}", opt=needs(GetOrder))
    async def get_order(
        self, ctx: Context, use_cases: Dispatch, order_id: OrderId
    ) -> Response[OrderOut]:
        """One order with its lines, money, payments, hold and abnormalities."""
        stored = await use_cases.query(ctx, GetOrder(order_id))
        return with_etag(stored_out(stored), stored.order.version)

    @get("/customers/{customer_id:uuid}", opt=needs(GetCustomerTotals))
    async def customer_totals(
        self, ctx: Context, use_cases: Dispatch, customer_id: FromPath[UUID]
    ) -> CustomerTotalsOut:
        """A customer's orders and totals (CRM-1): how many, their total and what was
        paid, the first and last; cancelled orders and merge or split originals left out.
        The orders themselves: ``GET /api/v1/orders?customerId=``."""
        totals = await use_cases.query(ctx, GetCustomerTotals(customer_id))
        return CustomerTotalsOut.of(totals, customer_id=customer_id)

    @get("/{order_id:uuid}/timeline", opt=needs(GetOrderTimeline))
    async def get_timeline(
        self, ctx: Context, use_cases: Dispatch, order_id: OrderId
    ) -> list[TimelineEntryOut]:
        """Every transition and edit, with who (``actor``, and ``actorName`` for a person or
        an API key, as the audit trail says it), why and which rule."""
        found = await use_cases.query(ctx, GetOrderTimeline(order_id))
        return [timeline_out(e, found.actor_names) for e in found.entries]

    @post("/{order_id:uuid}/payments", opt=needs(RecordPayment))
    async def record_payment(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        order_id: OrderId,
        data: JSONBody[PaymentIn],
    ) -> Response[OrderOut]:
        """Record a payment; the one that covers the total makes the order paid (it then
        waits for review). A transaction id already recorded records nothing."""
        command = RecordPayment(
            order_id, data.method, data.amount, data.transaction_id, data.paid_at
        )
        return await idempotency.created(lambda: use_cases.run(ctx, command), stored_rendered)

    @post("/{order_id:uuid}/refunds", opt=needs(RecordRefund))
    async def record_refund(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        order_id: OrderId,
        data: JSONBody[RefundIn],
    ) -> Response[OrderOut]:
        """Record a refund against one payment (never more than it holds, never for goods
        already shipped)."""
        command = RecordRefund(
            order_id, data.payment_id, data.amount, data.reason, data.transaction_id
        )
        return await idempotency.created(lambda: use_cases.run(ctx, command), stored_rendered)

    @post("/{order_id:uuid}/approve", status_code=200, opt=needs(ApproveOrder))
    async def approve(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        order_id: OrderId,
        expected_version: ExpectedVersion,
    ) -> Response[OrderOut]:
        """Approve an order awaiting review (If-Match)."""
        command = ApproveOrder(order_id, expected_version)
        return await idempotency.respond(lambda: use_cases.run(ctx, command), stored_rendered)

    @post("/{order_id:uuid}/hold", status_code=200, opt=needs(HoldOrder))
    async def hold(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        order_id: OrderId,
        data: JSONBody[HoldIn],
        expected_version: ExpectedVersion,
    ) -> Response[OrderOut]:
        """Hold an order with a reason, until a time or until released (If-Match)."""
        command = HoldOrder(order_id, data.reason, data.until, expected_version)
        return await idempotency.respond(lambda: use_cases.run(ctx, command), stored_rendered)

    @post("/{order_id:uuid}/release", status_code=200, opt=needs(ReleaseHold))
    async def release(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        order_id: OrderId,
        expected_version: ExpectedVersion,
    ) -> Response[OrderOut]:
        """Release the hold: the order returns to where it was (If-Match)."""
        command = ReleaseHold(order_id, expected_version)
        return await idempotency.respond(lambda: use_cases.run(ctx, command), stored_rendered)

    @post("/{order_id:uuid}/resolve-abnormal", status_code=200, opt=needs(ResolveAbnormal))
    async def resolve_abnormal(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        order_id: OrderId,
        data: JSONBody[ResolveIn],
        expected_version: ExpectedVersion,
    ) -> Response[OrderOut]:
        """Release one abnormality by hand, with a reason (If-Match)."""
        command = ResolveAbnormal(order_id, data.type, data.reason, expected_version)
        return await idempotency.respond(lambda: use_cases.run(ctx, command), stored_rendered)

    @post("/{order_id:uuid}/cancel", status_code=200, opt=needs(CancelOrder))
    async def cancel(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        order_id: OrderId,
        data: JSONBody[ReasonIn],
        expected_version: ExpectedVersion,
    ) -> Response[OrderOut]:
        """Cancel an order and release its stock (If-Match)."""
        command = CancelOrder(order_id, data.reason, expected_version)
        return await idempotency.respond(lambda: use_cases.run(ctx, command), stored_rendered)

    @post("/{order_id:uuid}/edits", status_code=200, opt=needs(EditOrder))
    async def edit(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        order_id: OrderId,
        data: JSONBody[EditsIn],
        expected_version: ExpectedVersion,
    ) -> Response[OrderOut]:
        """Edit before shipment, all edits or none (If-Match): add_line, remove_line,
        change_quantity, change_address, adjust_price (``orders:adjust_price``). Stock is
        re-reserved; an approved order goes back to review."""
        edits = tuple(_edit(i, e) for i, e in enumerate(data.edits))
        command = EditOrder(order_id, edits, data.reason, expected_version)
        return await idempotency.respond(lambda: use_cases.run(ctx, command), stored_rendered)

    @post("/bulk", status_code=200, opt=needs(BulkOrders.apply))
    async def bulk(
        self,
        ctx: Context,
        bulk: NamedDependency[BulkOrders],
        idempotency: Idempotent,
        data: JSONBody[BulkIn],
    ) -> Response[list[BulkResultOut]]:
        """Approve, hold, release, cancel, release an abnormal type (``resolve_abnormal``
        with ``abnormalType`` and ``reason``), assign a warehouse (``warehouseId``) or a
        carrier (``carrier``) or set the priority (``priority``) of up to 200 orders, each
        in its own transaction at its current version, with a result per order (``done``,
        the new status, or the refusal's code and message in the caller's language: an
        order without that type open is ``order_abnormal_release_refused``)."""

        def out(results: list[BulkResult]) -> Rendered[list[BulkResultOut]]:
            return Rendered(
                [
                    BulkResultOut(
                        r.order_id,
                        r.done,
                        r.status,
                        r.version,
                        r.code,
                        message(r.code, ctx.locale, **(r.params or {})) if r.code else None,
                    )
                    for r in results
                ]
            )

        return await idempotency.respond(
            lambda: bulk.apply(ctx, data.action, data.order_ids, _bulk_input(data)), out
        )

    @post("/merge", opt=needs(MergeOrders))
    async def merge(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        data: JSONBody[MergeIn],
    ) -> Response[OrderOut]:
        """Merge orders (合单) of one customer, shop and receiver, paid and not picked, into
        a new order awaiting review; the originals are kept, retired. 409
        ``orders_not_mergeable`` names the condition and the order that fails it."""
        command = MergeOrders(tuple(data.order_ids), data.reason)
        return await idempotency.created(lambda: use_cases.run(ctx, command), stored_rendered)

    @post("/{order_id:uuid}/unmerge", status_code=200, opt=needs(UnmergeOrder))
    async def unmerge(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        order_id: OrderId,
        data: JSONBody[ReasonIn],
        expected_version: ExpectedVersion,
    ) -> Response[list[OrderOut]]:
        """Give a merged order's originals back as they were (If-Match on the merged
        order, which is cancelled); each reserves its stock again."""
        command = UnmergeOrder(order_id, data.reason, expected_version)
        return await idempotency.respond(
            lambda: use_cases.run(ctx, command),
            lambda restored: Rendered([stored_out(s) for s in restored]),
        )

    @post("/{order_id:uuid}/split", status_code=200, opt=needs(SplitOrder))
    async def split(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        order_id: OrderId,
        data: JSONBody[SplitIn],
        expected_version: ExpectedVersion,
    ) -> Response[list[OrderOut]]:
        """Split into parts (拆单) by chosen lines, pre-sale, weight or package cap
        (If-Match): quantities, money, payments and platform ids conserved, the stock
        reserved again per part; the original is kept, retired. Answers the parts."""
        command = SplitOrder(
            order_id, data.by, data.reason, expected_version, tuple(data.line_ids), data.cap
        )
        return await idempotency.respond(
            lambda: use_cases.run(ctx, command),
            lambda parts: Rendered([stored_out(p) for p in parts]),
        )

    @post("/{order_id:uuid}/rejoin", status_code=200, opt=needs(RejoinOrder))
    async def rejoin(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        order_id: OrderId,
        data: JSONBody[ReasonIn],
        expected_version: ExpectedVersion,
    ) -> Response[OrderOut]:
        """Add a split order's parts back into it (If-Match on the original); the parts
        are cancelled, the stock reserved again for the whole."""
        command = RejoinOrder(order_id, data.reason, expected_version)
        return await idempotency.respond(lambda: use_cases.run(ctx, command), stored_rendered)

    @get("/rules", opt=needs(GetRuleSet))
    async def get_rules(self, ctx: Context, use_cases: Dispatch) -> Response[RuleSetOut]:
        """The review rule set (审单): its version and rules (each with its own version)."""
        rule_set = await use_cases.query(ctx, GetRuleSet())
        return with_etag(rule_set_out(rule_set), rule_set.version)

    @put("/rules", opt=needs(SaveRuleSet))
    async def save_rules(
        self,
        ctx: Context,
        use_cases: Dispatch,
        data: JSONBody[RuleSetIn],
        expected_version: ExpectedVersion,
    ) -> Response[RuleSetOut]:
        """Replace the rule set (If-Match: its version, "v0" before the first). A rule whose
        text changed gets a new version; every version is kept. Applies to orders reviewed
        from now on."""
        rule_set = await use_cases.run(ctx, SaveRuleSet(data.rules, expected_version))
        return with_etag(rule_set_out(rule_set), rule_set.version)

    @post("/rules/dry-run", status_code=200, opt=needs(DryRunRules))
    async def dry_run_rules(
        self, ctx: Context, use_cases: Dispatch, data: JSONBody[DryRunIn]
    ) -> list[DryRunOut]:
        """What a rule set (the current one, or the draft given) would change on the most
        recent orders awaiting review, and why; nothing is written."""
        query = DryRunRules(data.rules, data.limit, data.any_status)
        return [dry_run_out(r) for r in await use_cases.query(ctx, query)]

    @post("/rules/review-waiting", status_code=200, opt=needs(ReviewWaiting))
    async def review_waiting(
        self, ctx: Context, use_cases: Dispatch, data: JSONBody[ReviewWaitingIn]
    ) -> ReviewedPageOut:
        """Review the orders awaiting review again with the current rule set, one page
        (up to ``limit``, newest first) per call: how many were reviewed and changed, and
        the cursor of the next page. A rule that already acted on an order acts no more."""
        page = await use_cases.run(ctx, ReviewWaiting(data.cursor, data.limit))
        return ReviewedPageOut.of(page)

    @post("/rules/review-waiting/jobs", status_code=202, opt=needs(WaitingReviews.start))
    async def review_every_waiting(
        self, ctx: Context, reviews: NamedDependency[WaitingReviews], idempotency: Idempotent
    ) -> Response[JobOut]:
        """Review every order awaiting review again with the current rule set, as a job run
        by a worker (two ranges of orders at a time, each page its own transaction): the
        job, followed at ``/api/v1/jobs/{id}``. A rule that already acted on an order acts
        no more."""
        return await idempotency.respond(
            lambda: reviews.start(ctx),
            lambda job: Rendered(job_out(job), f"/api/v1/jobs/{job.id}"),
            202,
        )

    @get("/settings/unpaid-limit", opt=needs(GetUnpaidLimit))
    async def get_unpaid_limit(self, ctx: Context, use_cases: Dispatch) -> UnpaidLimitOut:
        """Minutes an own-API or staff order may wait for payment before it is cancelled."""
        return UnpaidLimitOut(await use_cases.query(ctx, GetUnpaidLimit()))

    @put("/settings/unpaid-limit", opt=needs(SetUnpaidLimit))
    async def set_unpaid_limit(
        self, ctx: Context, use_cases: Dispatch, data: JSONBody[UnpaidLimitIn]
    ) -> UnpaidLimitOut:
        """Set the unpaid limit in minutes (1 to 43,200)."""
        return UnpaidLimitOut(await use_cases.run(ctx, SetUnpaidLimit(data.minutes)))

    @get("/settings/auto-merge", opt=needs(GetMergeWait))
    async def get_merge_wait(self, ctx: Context, use_cases: Dispatch) -> MergeWaitOut:
        """Minutes from payment after which orders of one customer, shop and receiver merge
        automatically (合单); null: only orders a rule made merge-eligible."""
        return MergeWaitOut(await use_cases.query(ctx, GetMergeWait()))

    @put("/settings/auto-merge", opt=needs(SetMergeWait))
    async def set_merge_wait(
        self, ctx: Context, use_cases: Dispatch, data: JSONBody[MergeWaitIn]
    ) -> MergeWaitOut:
        """Set the automatic-merge wait in minutes (0 to 10,080; null switches the tenant's
        wait off — a rule's merge_eligible wait still applies)."""
        return MergeWaitOut(await use_cases.run(ctx, SetMergeWait(data.minutes)))


def rule_set_out(rule_set: RuleSet) -> RuleSetOut:
    return RuleSetOut(rule_set.version, rule_set.to_dict()["rules"])


def dry_run_out(result: DryRunResult) -> DryRunOut:
    return DryRunOut(
        result.order_id,
        result.number,
        result.decision.rule_set_version,
        [
            DecidedOut(
                d.action.describe(),
                str(d.rule),
                d.rule_name,
                [e.text for e in d.because],
                d.skipped,
            )
            for d in result.decision.actions
        ],
        list(result.changes),
        list(result.refused),
    )


def _bulk_input(data: BulkIn) -> BulkInput:
    return BulkInput(
        data.reason,
        data.until,
        data.warehouse_id,
        data.carrier,
        data.priority,
        data.abnormal_type,
    )


def stored_rendered(stored: StoredOrder) -> Rendered[OrderOut]:
    return Rendered(stored_out(stored), f"{PATH}/{stored.order.id}", stored.order.version)
