"""The work queue (ORD-8): the orders by priority, amount, age or time left, filtered by
status, channel, abnormal type and order number; a saved view picked or the current
filters saved as one; a page at a time; the orders ticked approved, held, released,
cancelled, released of an abnormal type (the one the queue is filtered by offered first)
or given a warehouse, carrier or priority at once (``BulkOrders``) with a
summary of what was done and what was refused, and why. The abnormal queue: how many
orders wait per abnormal type and how many are past their target."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.response import Template

from application.catalog.reads import ListChannels
from application.inventory.stock.skus import FindSku
from application.inventory.warehouses.queries import ListWarehouses
from application.orders.bulk import BulkAction, BulkInput, BulkOrders
from application.orders.placing import PlaceOrder
from application.orders.queries import GetOrder
from application.orders.queue.listing import GetAbnormalQueue, ListQueue
from application.orders.queue.ports import QueueFilter, QueueOrdering
from application.orders.queue.views import CreateView, ListViews
from application.shared.context import CallContext
from application.shared.use_cases import UseCases
from domain.orders.abnormal import AbnormalType
from domain.orders.status import OrderStatus
from domain.shared.errors import NotFound
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import a_choice, a_moment, a_text, a_whole, an_id, ids_in, required
from entrypoints.web.orders.labels import LABELS
from entrypoints.web.pages import View, done, is_htmx, page, view_of

QUEUE = "/console/orders"
PAGE_SIZE = 50
LISTED = 200  # channels and warehouses offered in the filters


def queue_filter(params: Mapping[str, Any], statuses: list[str]) -> QueueFilter:
    return QueueFilter(
        statuses=tuple(s for raw in statuses if (s := a_choice(OrderStatus, "status", raw))),
        abnormal_type=a_choice(AbnormalType, "abnormal", params.get("abnormal")),
        channel_id=an_id("channel", params.get("channel") or ""),
        text=a_text(params.get("q")),
    )


def next_href(kept: list[tuple[str, str]], cursor: str | None) -> str | None:
    """The next page of the queue as it is filtered now."""
    if cursor is None:
        return None
    return f"{QUEUE}?{urlencode([*kept, ('cursor', cursor)])}"


async def choices(view: View, use_cases: UseCases, ctx: CallContext) -> dict[str, Any]:
    """The channels and warehouses the filters and bulk actions offer, as the role may
    read them."""
    found: dict[str, Any] = {"channels": [], "warehouses": []}
    if view.can(ListChannels):
        found["channels"] = (await use_cases.query(ctx, ListChannels.window(None, LISTED))).items
    if view.can(ListWarehouses):
        found["warehouses"] = (
            await use_cases.query(ctx, ListWarehouses.window(None, LISTED))
        ).items
    return found


class QueuePages(Controller):
    path = "/orders"

    @get("/", name="console_orders", opt=needs(ListQueue))
    async def queue(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        params = request.query_params
        kept = [(k, v) for k, v in params.multi_items() if k != "cursor" and v]
        where = queue_filter(params, params.getall("status", []))
        ordering = a_choice(QueueOrdering, "ordering", params.get("ordering"))
        view_id = an_id("view", params.get("view") or "")
        cursor = a_text(params.get("cursor"))
        found = await use_cases.query(ctx, ListQueue(where, ordering, view_id, cursor, PAGE_SIZE))
        view = await view_of(request, use_cases)
        shown = await choices(view, use_cases, ctx)
        values = {
            "orders": found.items,
            "next_href": next_href(kept, found.next_cursor),
            "first_page": params.get("cursor") is not None,
            "where": where,
            "ordering": ordering,
            "view_id": view_id,
            "views": await use_cases.query(ctx, ListViews()),
            "channel_names": {c.id: c.name for c in shown["channels"]},
            "labels": LABELS,
            "statuses": list(OrderStatus),
            "abnormal_types": list(AbnormalType),
            "orderings": list(QueueOrdering),
            "actions": list(BulkAction),
            "can_bulk": view.can(BulkOrders.apply),
            "can_place": view.can(PlaceOrder) and view.can(FindSku),  # New order
            "query": urlencode(kept),
            **shown,
        }
        template = "orders/_queue_results.html" if is_htmx(request) else "orders/queue.html"
        return await page(request, use_cases, template, view=view, **values)

    @post("/views", status_code=303, opt=needs(CreateView))
    async def save_view(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Response[Any]:
        form = await request.form()
        command = CreateView(
            required("name", a_text(form.get("name"))),
            queue_filter(form, form.getall("status", [])),
            a_choice(QueueOrdering, "ordering", form.get("ordering")) or QueueOrdering.PRIORITY,
            shared=form.get("shared") == "on",
        )
        saved = await use_cases.run(ctx, command)
        return done(request, f"{QUEUE}?view={saved.id}", "orders.view_saved", name=saved.name)

    @post("/bulk", opt=needs(BulkOrders.apply))
    async def bulk(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        bulk: NamedDependency[BulkOrders],
    ) -> Template:
        form = await request.form()
        view = await view_of(request, use_cases)
        action = required("action", a_choice(BulkAction, "action", form.get("action")))
        given = BulkInput(
            a_text(form.get("reason")),
            a_moment("until", form.get("until"), view.formats.zone),
            an_id("warehouse", form.get("warehouse") or ""),
            a_text(form.get("carrier")),
            a_whole("priority", form.get("priority")),
            a_choice(AbnormalType, "abnormal_type", form.get("abnormal_type")),
        )
        order_ids = ids_in("order_ids", form.getall("order_ids", []))
        results = await bulk.apply(ctx, action, order_ids, given)
        refused = [(r, await _number(use_cases, ctx, r.order_id)) for r in results if not r.done]
        return await page(
            request,
            use_cases,
            "orders/bulk.html",
            view=view,
            action=action,
            done=sum(1 for r in results if r.done),
            refused=refused,
            labels=LABELS,
            back=_back(form.get("back")),
        )

    @get("/abnormal", name="console_orders_abnormal", opt=needs(GetAbnormalQueue))
    async def abnormal(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        counts = await use_cases.query(ctx, GetAbnormalQueue())
        return await page(request, use_cases, "orders/abnormal.html", counts=counts, labels=LABELS)


async def _number(use_cases: UseCases, ctx: CallContext, order_id: UUID) -> str | None:
    """A refused order's number, to say which it was (none: it does not exist)."""
    try:
        return (await use_cases.query(ctx, GetOrder(order_id))).order.number.value
    except NotFound:
        return None


def _back(target: str | None) -> str:
    """Back to the queue as it was filtered (only the queue: never another page)."""
    if target and target.startswith(QUEUE + "?") and "//" not in target:
        return target
    return QUEUE
