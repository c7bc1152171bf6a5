"""Saved views of the work queue (ORD-8): a name, filters and an ordering, a user's own or
shared with the tenant. Anyone who reads orders keeps views of their own; a shared view is
made, changed and deleted with ``orders:review`` too. A view another user owns is 404, as
one that does not exist. Updates and deletes carry If-Match (the view's version)."""

from __future__ import annotations

from uuid import UUID

from application.orders.queue.ports import (
    ORDER_QUEUE,
    QueueFilter,
    QueueOrdering,
    SavedView,
    filter_json,
)
from application.shared.context import CallContext
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Command, Query, Reading, Work
from application.shared.versions import check_version
from domain.orders.permissions import ORDERS_READ, ORDERS_REVIEW
from domain.shared.errors import NotFound, ValidationFailed

ENTITY = "order_view"
MAX_NAME = 100
MAX_VIEWS = 100  # a user's own views


class ListViews(Query[list[SavedView]], entity=ENTITY, permission=ORDERS_READ):
    pass


class GetView(Query[SavedView], entity=ENTITY, permission=ORDERS_READ, target="view_id"):
    view_id: UUID


class CreateView(Command[SavedView], action="order_view.create", permission=ORDERS_READ):
    name: str
    filters: QueueFilter
    ordering: QueueOrdering
    shared: bool = False


class UpdateView(
    Command[SavedView], action="order_view.update", permission=ORDERS_READ, target="view_id"
):
    view_id: UUID
    name: str
    filters: QueueFilter
    ordering: QueueOrdering
    expected_version: int | None


class DeleteView(
    Command[None], action="order_view.delete", permission=ORDERS_READ, target="view_id"
):
    view_id: UUID
    expected_version: int | None


def _name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise ValidationFailed.single("name", "required")
    if len(clean) > MAX_NAME:
        raise ValidationFailed.single("name", "too_long", max=MAX_NAME)
    return clean


def _snapshot(view: SavedView) -> dict[str, object]:
    return {
        "name": view.name,
        "shared": view.owner is None,
        "filters": filter_json(view.filters),
        "ordering": view.ordering.value,
    }


async def visible_view(uow: UnitOfWork, ctx: CallContext, view_id: UUID) -> SavedView:
    """The view, if it is the caller's own or shared; else 404."""
    view = await uow.of(ORDER_QUEUE).views.get(view_id)
    if view is None or view.owner not in (None, ctx.actor.label):
        raise NotFound(entity=ENTITY)
    return view


async def _changeable(work: Work, view_id: UUID, expected_version: int | None) -> SavedView:
    view = await visible_view(work.uow, work.ctx, view_id)
    check_version(expected_version, view.version)
    if view.owner is None:
        work.require_extra(ORDERS_REVIEW)
    return view


class ListViewsHandler:
    async def handle(self, query: ListViews, reading: Reading) -> list[SavedView]:
        return await reading.uow.of(ORDER_QUEUE).views.visible_to(reading.ctx.actor.label)


class GetViewHandler:
    async def handle(self, query: GetView, reading: Reading) -> SavedView:
        return await visible_view(reading.uow, reading.ctx, query.view_id)


class CreateViewHandler:
    async def handle(self, command: CreateView, work: Work) -> SavedView:
        if command.shared:
            work.require_extra(ORDERS_REVIEW)
        views = work.uow.of(ORDER_QUEUE).views
        owner = None if command.shared else work.ctx.actor.label
        if owner is not None:
            own = [v for v in await views.visible_to(owner) if v.owner == owner]
            if len(own) >= MAX_VIEWS:
                raise ValidationFailed.single("name", "too_many_views", max=MAX_VIEWS)
        now = work.clock.now()
        view = SavedView(
            work.ids.new_id(),
            owner,
            _name(command.name),
            command.filters,
            command.ordering,
            now,
            now,
        )
        await views.add(view)
        work.audit(view.id, {}, _snapshot(view))
        return view


class UpdateViewHandler:
    async def handle(self, command: UpdateView, work: Work) -> SavedView:
        view = await _changeable(work, command.view_id, command.expected_version)
        before, read_version = _snapshot(view), view.version
        view.name = _name(command.name)
        view.filters, view.ordering = command.filters, command.ordering
        view.updated_at = work.clock.now()
        view.version += 1
        await work.uow.of(ORDER_QUEUE).views.save(view, read_version)
        work.audit(view.id, before, _snapshot(view))
        return view


class DeleteViewHandler:
    async def handle(self, command: DeleteView, work: Work) -> None:
        view = await _changeable(work, command.view_id, command.expected_version)
        await work.uow.of(ORDER_QUEUE).views.delete(view.id)
        work.audit(view.id, _snapshot(view), {})
