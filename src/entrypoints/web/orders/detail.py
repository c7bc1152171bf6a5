"""An order's page (ORD-1..ORD-5): its lines, money, payments, receiver and customer (as
customers' own use case shows them: masked without ``customers:read_pii``), the timeline
with who did what, and why it is held or abnormal — the hold, each abnormality and every
step a rule took, with the rule and its version. Its actions, each shown only to a role
that may take it and each carrying the version the page showed (the API's If-Match):
approve, hold, release, record a payment, edit the receiver and the quantities, split by
lines, merge with the customer's other orders that could be merged."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict, State
from litestar.params import FromPath
from litestar.response import Template

from application.customers.queries import GetCustomer
from application.customers.views import CustomerView
from application.orders.lifecycle import (
    ApproveOrder,
    ChangeAddress,
    ChangeQuantity,
    Edit,
    EditOrder,
    HoldOrder,
    RecordPayment,
    ReleaseHold,
)
from application.orders.merge_candidates import ListMergeCandidates
from application.orders.merging import MergeOrders
from application.orders.ports import StoredOrder
from application.orders.queries import GetOrder, GetOrderTimeline
from application.orders.splitting import SplitBy, SplitOrder
from application.shared.context import CallContext
from application.shared.use_cases import UseCases
from domain.orders.order import Order
from domain.orders.payment_records import PaymentMethod
from domain.orders.values import Receiver, ShippingAddress
from domain.shared.errors import NotFound
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.orders.fields import amount, choice, ids, moment, needed, text, version, whole
from entrypoints.web.orders.labels import LABELS
from entrypoints.web.pages import done, page, view_of

OrderId = FromPath[UUID]
ACTIONS = {  # the page's buttons, each shown to a role that may run its use case
    "approve": ApproveOrder,
    "hold": HoldOrder,
    "pay": RecordPayment,
    "edit": EditOrder,
    "split": SplitOrder,
    "merge": MergeOrders,
}


def _to_order(
    request: Request[Any, Any, State], order_id: UUID, said: str, **params: Any
) -> Response[Any]:
    return done(request, f"/console/orders/{order_id}", said, **params)


def _receiver(form: FormMultiDict) -> Receiver:
    return Receiver(
        needed(form, "name"),
        needed(form, "phone"),
        ShippingAddress(
            needed(form, "province"),
            needed(form, "city"),
            needed(form, "district"),
            needed(form, "line"),
            text(form, "postal_code"),
        ),
    )


def edits_of(order: Order, form: FormMultiDict) -> tuple[Edit, ...]:
    """What the form changes: the receiver when it differs, each line's quantity that
    differs (the edit itself is the use case's to allow or refuse)."""
    found: list[Edit] = []
    receiver = _receiver(form)
    if receiver != order.receiver:
        found.append(ChangeAddress(receiver))
    for line in order.lines:
        quantity = whole(form, f"quantity_{line.id}")
        if quantity is not None and quantity != line.quantity:
            found.append(ChangeQuantity(line.id, quantity))
    return tuple(found)


async def _customer(
    use_cases: UseCases, ctx: CallContext, customer_id: UUID
) -> CustomerView | None:
    """The order's customer as customers' own use case shows them (masked without
    ``customers:read_pii``); none when the id names no customer (an intake's own id)."""
    try:
        return await use_cases.query(ctx, GetCustomer(customer_id))
    except NotFound:
        return None


async def _order_and_form(
    request: Request[Any, Any, State], use_cases: UseCases, ctx: CallContext, order_id: UUID
) -> tuple[StoredOrder, FormMultiDict]:
    """The order an action is posted to, read first (another company's id is 404 whatever
    the form says), and the form."""
    stored = await use_cases.query(ctx, GetOrder(order_id))
    return stored, await request.form()


class OrderPages(Controller):
    path = "/orders/{order_id:uuid}"

    @get("/", name="console_order", opt=needs(GetOrder))
    async def order(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Template:
        stored = await use_cases.query(ctx, GetOrder(order_id))
        view = await view_of(request, use_cases)
        order = stored.order
        timeline = await use_cases.query(ctx, GetOrderTimeline(order_id))
        customer = None
        if order.customer_id is not None and view.can(GetCustomer):
            customer = await _customer(use_cases, ctx, order.customer_id)
        candidates = []
        if view.can(MergeOrders) and order.customer_id is not None:
            candidates = await use_cases.query(ctx, ListMergeCandidates(order_id))
        return await page(
            request,
            use_cases,
            "orders/order.html",
            view=view,
            stored=stored,
            order=order,
            timeline=timeline,
            traced=[e for e in order.timeline if e.rule is not None],
            customer=customer,
            candidates=candidates,
            labels=LABELS,
            methods=list(PaymentMethod),
            can={  # a retired order (split or merged away) takes no action
                name: view.can(use_case) and not order.retired for name, use_case in ACTIONS.items()
            },
        )

    @post("/approve", status_code=303, opt=needs(ApproveOrder))
    async def approve(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        _, form = await _order_and_form(request, use_cases, ctx, order_id)
        await use_cases.run(ctx, ApproveOrder(order_id, version(form)))
        return _to_order(request, order_id, "orders.approved")

    @post("/hold", status_code=303, opt=needs(HoldOrder))
    async def hold(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        _, form = await _order_and_form(request, use_cases, ctx, order_id)
        zone = (await view_of(request, use_cases)).formats.zone
        command = HoldOrder(
            order_id, needed(form, "reason"), moment(form, "until", zone), version(form)
        )
        await use_cases.run(ctx, command)
        return _to_order(request, order_id, "orders.held")

    @post("/release", status_code=303, opt=needs(ReleaseHold))
    async def release(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        _, form = await _order_and_form(request, use_cases, ctx, order_id)
        await use_cases.run(ctx, ReleaseHold(order_id, version(form)))
        return _to_order(request, order_id, "orders.released")

    @post("/payments", status_code=303, opt=needs(RecordPayment))
    async def pay(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        _, form = await _order_and_form(request, use_cases, ctx, order_id)
        method = choice(PaymentMethod, needed(form, "method"), "method")
        assert method is not None  # needed() refused an empty one
        command = RecordPayment(
            order_id, method, amount(form, "amount"), text(form, "transaction_id")
        )
        await use_cases.run(ctx, command)
        return _to_order(request, order_id, "orders.payment_recorded")

    @post("/edit", status_code=303, opt=needs(EditOrder))
    async def edit(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        stored, form = await _order_and_form(request, use_cases, ctx, order_id)
        edits = edits_of(stored.order, form)
        if not edits:
            return _to_order(request, order_id, "orders.nothing_changed")
        command = EditOrder(order_id, edits, needed(form, "reason"), version(form))
        await use_cases.run(ctx, command)
        return _to_order(request, order_id, "orders.edited")

    @post("/split", status_code=303, opt=needs(SplitOrder))
    async def split(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        _, form = await _order_and_form(request, use_cases, ctx, order_id)
        command = SplitOrder(
            order_id,
            SplitBy.LINES,
            needed(form, "reason"),
            version(form),
            ids(form.getall("line_ids", []), "line_ids"),
        )
        parts = await use_cases.run(ctx, command)
        numbers = [p.order.number.value for p in parts]  # said in the page's language
        return _to_order(request, order_id, "orders.split_done", parts=numbers)

    @post("/merge", status_code=303, opt=needs(MergeOrders))
    async def merge(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        _, form = await _order_and_form(request, use_cases, ctx, order_id)
        others = ids(form.getall("order_ids", []), "order_ids")
        command = MergeOrders((order_id, *others), needed(form, "reason"))
        merged = await use_cases.run(ctx, command)
        return _to_order(
            request, merged.order.id, "orders.merged", number=merged.order.number.value
        )
