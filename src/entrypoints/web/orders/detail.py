"""An order's page (ORD-1..ORD-5): its lines (title and SKU code), money, payments,
receiver and customer (as customers' own use case shows them: masked without
``customers:read_pii``), the timeline with who did what, and why it is held or abnormal —
the hold, each abnormality and every step a rule took, with the rule and its version. Its
actions, each shown when the order allows it now (``StoredOrder.actions``) and the role
may run its use case, each carrying the version the page showed (the API's If-Match):
approve, hold, release, record a payment (with a reference, so a form sent twice records
one), edit the receiver and the quantities, split by lines, merge with the customer's
other orders that could be merged, unmerge, rejoin a split, resolve an abnormality."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict, State
from litestar.params import FromPath
from litestar.response import Template

from application.customers.queries import GetCustomer
from application.customers.views import CustomerView
from application.orders.desired_edits import edits_towards
from application.orders.lifecycle import (
    ApproveOrder,
    EditOrder,
    HoldOrder,
    RecordPayment,
    ReleaseHold,
    ResolveAbnormal,
)
from application.orders.merge_candidates import ListMergeCandidates
from application.orders.merging import MergeOrders, UnmergeOrder
from application.orders.ports import StoredOrder
from application.orders.queries import GetOrder, GetOrderTimeline
from application.orders.sku_codes import GetOrderSkuCodes
from application.orders.splitting import RejoinOrder, SplitBy, SplitOrder
from application.shared.context import CallContext
from application.shared.use_case import Command
from application.shared.use_cases import UseCases
from domain.orders.abnormal import AbnormalType
from domain.orders.actions import OrderAction
from domain.orders.lines import OrderLine
from domain.orders.payment_records import PaymentMethod
from domain.orders.values import Receiver, ShippingAddress
from domain.shared.errors import NotFound
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import (
    a_choice,
    a_moment,
    a_text,
    a_whole,
    an_amount,
    ids_in,
    replay_key,
    required,
    version_of,
)
from entrypoints.web.orders.labels import LABELS
from entrypoints.web.pages import done, page, view_of

OrderId = FromPath[UUID]
A = OrderAction
USE_CASES = {  # each action's use case: its button is shown to a role that may run it
    A.APPROVE: ApproveOrder,
    A.HOLD: HoldOrder,
    A.RELEASE: ReleaseHold,
    A.PAY: RecordPayment,
    A.EDIT: EditOrder,
    A.SPLIT: SplitOrder,
    A.MERGE: MergeOrders,
    A.UNMERGE: UnmergeOrder,
    A.REJOIN: RejoinOrder,
    A.RESOLVE_ABNORMAL: ResolveAbnormal,
}
CommandOf = Callable[[StoredOrder, FormMultiDict], Command[Any]]


def _to_order(
    request: Request[Any, Any, State], order_id: UUID, said: str, **params: Any
) -> Response[Any]:
    return done(request, f"/console/orders/{order_id}", said, **params)


def _text(form: FormMultiDict, name: str) -> str:
    return required(name, a_text(form.get(name)))


def _version(form: FormMultiDict) -> int | None:
    return version_of(form.get("version") or "")


def _receiver(form: FormMultiDict) -> Receiver:
    address = ShippingAddress(
        _text(form, "province"),
        _text(form, "city"),
        _text(form, "district"),
        _text(form, "line"),
        a_text(form.get("postal_code")),
    )
    return Receiver(_text(form, "name"), _text(form, "phone"), address)


def _item(line: OrderLine, codes: dict[UUID, str]) -> str:
    """A line as people name it: the title the buyer saw (when kept) and the SKU's code."""
    code = codes.get(line.sku_id, str(line.sku_id))
    return f"{line.title} · {code}" if line.title else code


async def _customer(
    use_cases: UseCases, ctx: CallContext, customer_id: UUID
) -> CustomerView | None:
    """The order's customer as customers' own use case shows them (masked without
    ``customers:read_pii``); none when the id names no customer (an intake's own id)."""
    try:
        return await use_cases.query(ctx, GetCustomer(customer_id))
    except NotFound:
        return None


async def _run(
    request: Request[Any, Any, State],
    ctx: CallContext,
    use_cases: UseCases,
    order_id: UUID,
    command_of: CommandOf,
) -> tuple[StoredOrder, Any]:
    """An action posted to an order: the order read first (another company's id is a 404
    whatever the form says), the form read into the use case's command, the command run;
    the order as read and the use case's answer."""
    stored = await use_cases.query(ctx, GetOrder(order_id))
    answer = await use_cases.run(ctx, command_of(stored, await request.form()))
    return stored, answer


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
        can = {
            action.value: action in stored.actions and view.can(use_case)
            for action, use_case in USE_CASES.items()
        }
        timeline = await use_cases.query(ctx, GetOrderTimeline(order_id))
        codes = await use_cases.query(ctx, GetOrderSkuCodes(order_id))  # lines by code
        customer = None
        if order.customer_id is not None and view.can(GetCustomer):
            customer = await _customer(use_cases, ctx, order.customer_id)
        candidates = []
        if can["merge"]:
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
            items={line.id: _item(line, codes) for line in order.lines},
            reference=replay_key("PAY"),
            can=can,
        )

    @post("/approve", status_code=303, opt=needs(ApproveOrder))
    async def approve(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        await _run(
            request, ctx, use_cases, order_id, lambda _, f: ApproveOrder(order_id, _version(f))
        )
        return _to_order(request, order_id, "orders.approved")

    @post("/hold", status_code=303, opt=needs(HoldOrder))
    async def hold(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        zone = (await view_of(request, use_cases)).formats.zone

        def command(_: StoredOrder, form: FormMultiDict) -> HoldOrder:
            until = a_moment("until", form.get("until"), zone)
            return HoldOrder(order_id, _text(form, "reason"), until, _version(form))

        await _run(request, ctx, use_cases, order_id, command)
        return _to_order(request, order_id, "orders.held")

    @post("/release", status_code=303, opt=needs(ReleaseHold))
    async def release(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        await _run(
            request, ctx, use_cases, order_id, lambda _, f: ReleaseHold(order_id, _version(f))
        )
        return _to_order(request, order_id, "orders.released")

    @post("/payments", status_code=303, opt=needs(RecordPayment))
    async def pay(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        def command(_: StoredOrder, form: FormMultiDict) -> RecordPayment:
            method = required("method", a_choice(PaymentMethod, "method", form.get("method")))
            amount = required("amount", an_amount("amount", form.get("amount") or ""))
            return RecordPayment(order_id, method, amount, a_text(form.get("transaction_id")))

        await _run(request, ctx, use_cases, order_id, command)
        return _to_order(request, order_id, "orders.payment_recorded")

    @post("/edit", status_code=303, opt=needs(EditOrder))
    async def edit(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        def command(stored: StoredOrder, form: FormMultiDict) -> EditOrder:
            order, quantities = stored.order, {}
            for line in order.lines:
                name = f"quantity_{line.id}"
                if (quantity := a_whole(name, form.get(name))) is not None:
                    quantities[line.id] = quantity
            edits = edits_towards(order, _receiver(form), quantities)
            return EditOrder(order_id, edits, _text(form, "reason"), _version(form))

        stored, edited = await _run(request, ctx, use_cases, order_id, command)
        unchanged = edited.order.version == stored.order.version  # nothing was written
        return _to_order(
            request, order_id, "orders.nothing_changed" if unchanged else "orders.edited"
        )

    @post("/split", status_code=303, opt=needs(SplitOrder))
    async def split(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        def command(_: StoredOrder, form: FormMultiDict) -> SplitOrder:
            lines = ids_in("line_ids", form.getall("line_ids", []))
            return SplitOrder(order_id, SplitBy.LINES, _text(form, "reason"), _version(form), lines)

        _, parts = await _run(request, ctx, use_cases, order_id, command)
        numbers = [p.order.number.value for p in parts]  # said in the page's language
        return _to_order(request, order_id, "orders.split_done", parts=numbers)

    @post("/rejoin", status_code=303, opt=needs(RejoinOrder))
    async def rejoin(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        def command(_: StoredOrder, form: FormMultiDict) -> RejoinOrder:
            return RejoinOrder(order_id, _text(form, "reason"), _version(form))

        await _run(request, ctx, use_cases, order_id, command)
        return _to_order(request, order_id, "orders.rejoined")

    @post("/merge", status_code=303, opt=needs(MergeOrders))
    async def merge(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        def command(_: StoredOrder, form: FormMultiDict) -> MergeOrders:
            others = ids_in("order_ids", form.getall("order_ids", []))
            return MergeOrders((order_id, *others), _text(form, "reason"))

        _, merged = await _run(request, ctx, use_cases, order_id, command)
        number = merged.order.number.value
        return _to_order(request, merged.order.id, "orders.merged", number=number)

    @post("/unmerge", status_code=303, opt=needs(UnmergeOrder))
    async def unmerge(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        def command(_: StoredOrder, form: FormMultiDict) -> UnmergeOrder:
            return UnmergeOrder(order_id, _text(form, "reason"), _version(form))

        _, restored = await _run(request, ctx, use_cases, order_id, command)
        numbers = [s.order.number.value for s in restored]
        return _to_order(request, order_id, "orders.unmerged", orders=numbers)

    @post("/resolve-abnormal", status_code=303, opt=needs(ResolveAbnormal))
    async def resolve_abnormal(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order_id: OrderId,
    ) -> Response[Any]:
        def command(_: StoredOrder, form: FormMultiDict) -> ResolveAbnormal:
            kind = required("type", a_choice(AbnormalType, "type", form.get("type")))
            return ResolveAbnormal(order_id, kind, _text(form, "reason"), _version(form))

        await _run(request, ctx, use_cases, order_id, command)
        return _to_order(request, order_id, "orders.abnormal_resolved")
